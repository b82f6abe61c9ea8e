// AdminService: enrolment tokens, probe revocation, researchers' read
// keys and campaigns, for callers holding the admin secret.
#ifndef V6SCOPE_COLLECTOR_SERVICE_ADMIN_SERVICE_H_
#define V6SCOPE_COLLECTOR_SERVICE_ADMIN_SERVICE_H_

#include <string>

#include "collector/store/access_keys.h"
#include "collector/store/campaign_store.h"
#include "collector/store/probe_registry.h"
#include "collector/store/readiness_store.h"
#include "common/time/clock.h"
#include "proto/admin_service.grpc.pb.h"

namespace v6scope::collector::service {

class AdminServiceImpl final
    : public v6scope::v1::AdminService::CallbackService {
 public:
  // `store`, `keys`, `campaigns`, `clock` and `readiness` must outlive
  // the service. Without `readiness` the progress and export calls are
  // FAILED_PRECONDITION.
  AdminServiceImpl(store::ProbeRegistry* store, store::AccessKeys* keys,
                   store::CampaignStore* campaigns, const time::Clock* clock,
                   std::string admin_secret,
                   store::ReadinessStore* readiness = nullptr)
      : store_(store),
        keys_(keys),
        campaigns_(campaigns),
        readiness_(readiness),
        clock_(clock),
        admin_secret_(std::move(admin_secret)) {}

  grpc::ServerUnaryReactor* CreateEnrolmentToken(
      grpc::CallbackServerContext* context,
      const v6scope::v1::CreateEnrolmentTokenRequest* request,
      v6scope::v1::CreateEnrolmentTokenResponse* response) override;

  grpc::ServerUnaryReactor* RevokeProbe(
      grpc::CallbackServerContext* context,
      const v6scope::v1::RevokeProbeRequest* request,
      v6scope::v1::RevokeProbeResponse* response) override;

  // Read keys (admin_read_keys.cc).
  grpc::ServerUnaryReactor* CreateReadKey(
      grpc::CallbackServerContext* context,
      const v6scope::v1::CreateReadKeyRequest* request,
      v6scope::v1::CreateReadKeyResponse* response) override;

  grpc::ServerUnaryReactor* ListReadKeys(
      grpc::CallbackServerContext* context,
      const v6scope::v1::ListReadKeysRequest* request,
      v6scope::v1::ListReadKeysResponse* response) override;

  grpc::ServerUnaryReactor* RevokeReadKey(
      grpc::CallbackServerContext* context,
      const v6scope::v1::RevokeReadKeyRequest* request,
      v6scope::v1::RevokeReadKeyResponse* response) override;

  // Campaigns (admin_campaigns.cc).
  grpc::ServerReadReactor<v6scope::v1::CreateCampaignRequest>* CreateCampaign(
      grpc::CallbackServerContext* context,
      v6scope::v1::CreateCampaignResponse* response) override;

  grpc::ServerUnaryReactor* ListCampaigns(
      grpc::CallbackServerContext* context,
      const v6scope::v1::ListCampaignsRequest* request,
      v6scope::v1::ListCampaignsResponse* response) override;

  grpc::ServerUnaryReactor* GetCampaign(
      grpc::CallbackServerContext* context,
      const v6scope::v1::GetCampaignRequest* request,
      v6scope::v1::CampaignResponse* response) override;

  grpc::ServerUnaryReactor* PauseCampaign(
      grpc::CallbackServerContext* context,
      const v6scope::v1::CampaignIdRequest* request,
      v6scope::v1::CampaignResponse* response) override;

  grpc::ServerUnaryReactor* ResumeCampaign(
      grpc::CallbackServerContext* context,
      const v6scope::v1::CampaignIdRequest* request,
      v6scope::v1::CampaignResponse* response) override;

  grpc::ServerUnaryReactor* DeleteCampaign(
      grpc::CallbackServerContext* context,
      const v6scope::v1::CampaignIdRequest* request,
      v6scope::v1::CampaignResponse* response) override;

  // Campaign work (admin_campaign_results.cc).
  grpc::ServerUnaryReactor* GetCampaignProgress(
      grpc::CallbackServerContext* context,
      const v6scope::v1::CampaignIdRequest* request,
      v6scope::v1::CampaignProgressResponse* response) override;

  grpc::ServerWriteReactor<v6scope::v1::ExportCampaignResultsResponse>*
  ExportCampaignResults(
      grpc::CallbackServerContext* context,
      const v6scope::v1::ExportCampaignResultsRequest* request) override;

 private:
  grpc::ServerUnaryReactor* SetState(grpc::CallbackServerContext* context,
                                     const std::string& campaign_id,
                                     v6scope::v1::CampaignState state,
                                     v6scope::v1::CampaignResponse* response);

  absl::Status DoCreateReadKey(const v6scope::v1::CreateReadKeyRequest& req,
                               v6scope::v1::CreateReadKeyResponse* resp);
  absl::Status DoListReadKeys(v6scope::v1::ListReadKeysResponse* resp);

  absl::Status DoCreateToken(
      const v6scope::v1::CreateEnrolmentTokenRequest& req,
      v6scope::v1::CreateEnrolmentTokenResponse* resp);

  store::ProbeRegistry* const store_;
  store::AccessKeys* const keys_;
  store::CampaignStore* const campaigns_;
  store::ReadinessStore* const readiness_;  // May be null.
  const time::Clock* const clock_;
  const std::string admin_secret_;
};

}  // namespace v6scope::collector::service

#endif  // V6SCOPE_COLLECTOR_SERVICE_ADMIN_SERVICE_H_
