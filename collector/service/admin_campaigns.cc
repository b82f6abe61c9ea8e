// AdminService's campaign calls: CreateCampaign (a client stream: the spec,
// then the list in chunks), list, show, pause, resume, delete.
#include <string>

#include "absl/strings/str_cat.h"
#include "collector/service/admin_service.h"
#include "collector/service/auth.h"
#include "collector/service/campaign_creation.h"
#include "common/log/error_id.h"
#include "common/log/log.h"
#include "common/rpc/status.h"

namespace v6scope::collector::service {
namespace {

using v6scope::v1::CreateCampaignRequest;
using v6scope::v1::CreateCampaignResponse;

grpc::ServerUnaryReactor* Done(grpc::CallbackServerContext* context,
                               const absl::Status& status) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  reactor->Finish(rpc::ToGrpc(status));
  return reactor;
}

// NOT_FOUND and FAILED_PRECONDITION are for the caller; the rest is the
// store's, logged with an error id.
absl::Status FromStore(const absl::Status& s, absl::string_view method) {
  if (s.ok() || absl::IsNotFound(s) || absl::IsFailedPrecondition(s)) return s;
  return log::PublicError(absl::StatusCode::kUnavailable,
                          "the collector could not complete the request", s,
                          "grpc.error", method);
}

// Collects the spec and the list's chunks (at most kMaxCampaignListBytes)
// and creates the campaign when the client half-closes. The import and
// the store transaction run on the gRPC callback thread that delivers the
// end of the stream: a million names take a few seconds, and only admins
// can open this call.
class CreateCampaignReactor
    : public grpc::ServerReadReactor<CreateCampaignRequest> {
 public:
  CreateCampaignReactor(absl::Status auth, store::CampaignStore* campaigns,
                        const time::Clock* clock, CreateCampaignResponse* resp)
      : campaigns_(campaigns), clock_(clock), resp_(resp) {
    if (!auth.ok()) {
      Finish(rpc::ToGrpc(auth));
      return;
    }
    StartRead(&req_);
  }

  void OnReadDone(bool ok) override {
    absl::Status s = ok ? Take() : Create();
    if (!s.ok() || !ok) {
      Finish(rpc::ToGrpc(s));
      return;
    }
    StartRead(&req_);
  }

  void OnDone() override { delete this; }

 private:
  absl::Status Take() {
    if (req_.has_spec()) {
      if (has_spec_) return absl::InvalidArgumentError("spec: sent twice");
      spec_ = req_.spec();
      has_spec_ = true;
      return absl::OkStatus();
    }
    if (!has_spec_) {
      return absl::InvalidArgumentError("the first message must be the spec");
    }
    if (data_.size() + req_.list_chunk().size() > kMaxCampaignListBytes) {
      return absl::ResourceExhaustedError(
          absl::StrCat("the list is larger than ", kMaxCampaignListBytes >> 20,
                       " MiB: split it into several campaigns"));
    }
    data_.append(req_.list_chunk());
    return absl::OkStatus();
  }

  absl::Status Create() {
    if (!has_spec_) return absl::InvalidArgumentError("no spec was sent");
    absl::StatusOr<CreateCampaignResponse> r =
        CreateCampaignFrom(spec_, data_, *campaigns_, *clock_);
    if (!r.ok()) return r.status();
    *resp_ = *std::move(r);
    return absl::OkStatus();
  }

  store::CampaignStore* const campaigns_;
  const time::Clock* const clock_;
  CreateCampaignResponse* const resp_;
  CreateCampaignRequest req_;
  v6scope::v1::CampaignSpec spec_;
  bool has_spec_ = false;
  std::string data_;
};

}  // namespace

grpc::ServerReadReactor<CreateCampaignRequest>*
AdminServiceImpl::CreateCampaign(grpc::CallbackServerContext* context,
                                 CreateCampaignResponse* response) {
  return new CreateCampaignReactor(AuthenticateAdmin(*context, admin_secret_),
                                   campaigns_, clock_, response);
}

grpc::ServerUnaryReactor* AdminServiceImpl::ListCampaigns(
    grpc::CallbackServerContext* context,
    const v6scope::v1::ListCampaignsRequest* request,
    v6scope::v1::ListCampaignsResponse* response) {
  absl::Status s = AuthenticateAdmin(*context, admin_secret_);
  if (s.ok()) {
    absl::StatusOr<std::vector<v6scope::v1::Campaign>> all =
        campaigns_->ListCampaigns(request->include_deleted());
    s = FromStore(all.status(), "ListCampaigns");
    if (s.ok()) {
      for (v6scope::v1::Campaign& c : *all) {
        *response->add_campaigns() = std::move(c);
      }
    }
  }
  return Done(context, s);
}

grpc::ServerUnaryReactor* AdminServiceImpl::GetCampaign(
    grpc::CallbackServerContext* context,
    const v6scope::v1::GetCampaignRequest* request,
    v6scope::v1::CampaignResponse* response) {
  absl::Status s = AuthenticateAdmin(*context, admin_secret_);
  if (s.ok()) {
    absl::StatusOr<v6scope::v1::Campaign> c =
        campaigns_->GetCampaign(request->campaign_id());
    s = FromStore(c.status(), "GetCampaign");
    if (s.ok()) *response->mutable_campaign() = *std::move(c);
  }
  return Done(context, s);
}

grpc::ServerUnaryReactor* AdminServiceImpl::SetState(
    grpc::CallbackServerContext* context, const std::string& campaign_id,
    v6scope::v1::CampaignState state, v6scope::v1::CampaignResponse* response) {
  absl::Status s = AuthenticateAdmin(*context, admin_secret_);
  if (s.ok()) {
    absl::StatusOr<v6scope::v1::Campaign> c =
        campaigns_->SetCampaignState(campaign_id, state);
    s = FromStore(c.status(), "SetCampaignState");
    if (s.ok()) {
      log::Info("campaign.state",
                {{"campaign", c->id()},
                 {"state", v6scope::v1::CampaignState_Name(state)}});
      *response->mutable_campaign() = *std::move(c);
    }
  }
  return Done(context, s);
}

grpc::ServerUnaryReactor* AdminServiceImpl::PauseCampaign(
    grpc::CallbackServerContext* context,
    const v6scope::v1::CampaignIdRequest* request,
    v6scope::v1::CampaignResponse* response) {
  return SetState(context, request->campaign_id(), v6scope::v1::CAMPAIGN_PAUSED,
                  response);
}

grpc::ServerUnaryReactor* AdminServiceImpl::ResumeCampaign(
    grpc::CallbackServerContext* context,
    const v6scope::v1::CampaignIdRequest* request,
    v6scope::v1::CampaignResponse* response) {
  return SetState(context, request->campaign_id(), v6scope::v1::CAMPAIGN_ACTIVE,
                  response);
}

grpc::ServerUnaryReactor* AdminServiceImpl::DeleteCampaign(
    grpc::CallbackServerContext* context,
    const v6scope::v1::CampaignIdRequest* request,
    v6scope::v1::CampaignResponse* response) {
  return SetState(context, request->campaign_id(),
                  v6scope::v1::CAMPAIGN_DELETED, response);
}

}  // namespace v6scope::collector::service
