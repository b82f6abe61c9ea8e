// AdminService's campaign work calls: GetCampaignProgress and the
// ExportCampaignResults stream (pages of at most 1,000 results, read by
// keyset paging as each page is written).
#include <string>
#include <utility>
#include <vector>

#include "collector/service/admin_service.h"
#include "collector/service/auth.h"
#include "collector/service/campaign_progress.h"
#include "common/log/error_id.h"
#include "common/rpc/status.h"

namespace v6scope::collector::service {
namespace {

using v6scope::v1::ExportCampaignResultsResponse;

constexpr int kPageResults = 1000;

// NOT_FOUND is for the caller; the rest is the store's, logged.
absl::Status FromStore(const absl::Status& s, absl::string_view method) {
  if (s.ok() || absl::IsNotFound(s)) return s;
  return log::PublicError(absl::StatusCode::kUnavailable,
                          "the collector could not complete the request", s,
                          "grpc.error", method);
}

absl::Status NoReadiness() {
  return absl::FailedPreconditionError(
      "this collector keeps no campaign results");
}

// Writes one page at a time: the next is read from the store only when
// the previous one is written, so a large export holds one page and goes
// at the client's pace. The reads run on gRPC's callback thread (one
// indexed page; only admins can open this call).
class ExportReactor
    : public grpc::ServerWriteReactor<ExportCampaignResultsResponse> {
 public:
  ExportReactor(absl::Status auth, store::ReadinessStore* readiness,
                const v6scope::v1::ExportCampaignResultsRequest& request,
                store::CampaignStore* campaigns) {
    if (auth.ok() && readiness == nullptr) auth = NoReadiness();
    if (auth.ok()) {
      auth = FromStore(campaigns->GetCampaign(request.campaign_id()).status(),
                       "ExportCampaignResults");
    }
    if (!auth.ok()) {
      Finish(rpc::ToGrpc(auth));
      return;
    }
    readiness_ = readiness;
    query_.campaign_id = request.campaign_id();
    query_.round = request.round();
    query_.probe_id = request.probe_id();
    query_.limit = kPageResults;
    Next();
  }

  void OnWriteDone(bool ok) override {
    if (!ok) {
      Finish(grpc::Status(grpc::StatusCode::CANCELLED, "client went away"));
      return;
    }
    Next();
  }

  void OnDone() override { delete this; }

 private:
  void Next() {
    absl::StatusOr<std::vector<v6scope::v1::StoredDomainResult>> page =
        readiness_->ReadDomainResults(query_);
    if (!page.ok()) {
      Finish(rpc::ToGrpc(FromStore(page.status(), "ExportCampaignResults")));
      return;
    }
    if (page->empty()) {
      Finish(grpc::Status::OK);
      return;
    }
    const v6scope::v1::StoredDomainResult& last = page->back();
    query_.after = {last.round(), last.probe_id(), last.list_index(), true};
    response_.Clear();
    for (auto& r : *page) *response_.add_results() = std::move(r);
    StartWrite(&response_);
  }

  store::ReadinessStore* readiness_ = nullptr;
  store::DomainResultQuery query_;
  ExportCampaignResultsResponse response_;
};

}  // namespace

grpc::ServerUnaryReactor* AdminServiceImpl::GetCampaignProgress(
    grpc::CallbackServerContext* context,
    const v6scope::v1::CampaignIdRequest* request,
    v6scope::v1::CampaignProgressResponse* response) {
  absl::Status s = AuthenticateAdmin(*context, admin_secret_);
  if (s.ok() && readiness_ == nullptr) s = NoReadiness();
  if (s.ok()) {
    absl::StatusOr<v6scope::v1::CampaignProgressResponse> progress =
        CampaignProgress(request->campaign_id(), *campaigns_, *readiness_);
    s = FromStore(progress.status(), "GetCampaignProgress");
    if (s.ok()) *response = *std::move(progress);
  }
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  reactor->Finish(rpc::ToGrpc(s));
  return reactor;
}

grpc::ServerWriteReactor<ExportCampaignResultsResponse>*
AdminServiceImpl::ExportCampaignResults(
    grpc::CallbackServerContext* context,
    const v6scope::v1::ExportCampaignResultsRequest* request) {
  return new ExportReactor(AuthenticateAdmin(*context, admin_secret_),
                           readiness_, *request, campaigns_);
}

}  // namespace v6scope::collector::service
