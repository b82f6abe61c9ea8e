#include "collector/service/admin_service.h"

#include "collector/service/auth.h"
#include "collector/service/enrolment_tokens.h"
#include "common/log/error_id.h"
#include "common/log/log.h"
#include "common/rpc/status.h"

namespace v6scope::collector::service {
namespace {

// A store or system failure: a short message and an error id for the
// caller, the details in the log.
absl::Status Internal(const absl::Status& detail, absl::string_view method) {
  return log::PublicError(absl::StatusCode::kUnavailable,
                          "the collector could not complete the request",
                          detail, "grpc.error", method);
}

}  // namespace

absl::Status AdminServiceImpl::DoCreateToken(
    const v6scope::v1::CreateEnrolmentTokenRequest& req,
    v6scope::v1::CreateEnrolmentTokenResponse* resp) {
  absl::StatusOr<v6scope::v1::CreateEnrolmentTokenResponse> issued =
      IssueEnrolmentToken(req, *store_, clock_->Now());
  if (absl::IsInvalidArgument(issued.status())) return issued.status();
  if (!issued.ok()) return Internal(issued.status(), "CreateEnrolmentToken");
  *resp = *std::move(issued);
  return absl::OkStatus();
}

grpc::ServerUnaryReactor* AdminServiceImpl::CreateEnrolmentToken(
    grpc::CallbackServerContext* context,
    const v6scope::v1::CreateEnrolmentTokenRequest* request,
    v6scope::v1::CreateEnrolmentTokenResponse* response) {
  absl::Status s = AuthenticateAdmin(*context, admin_secret_);
  if (s.ok()) s = DoCreateToken(*request, response);
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  reactor->Finish(rpc::ToGrpc(s));
  return reactor;
}

grpc::ServerUnaryReactor* AdminServiceImpl::RevokeProbe(
    grpc::CallbackServerContext* context,
    const v6scope::v1::RevokeProbeRequest* request,
    v6scope::v1::RevokeProbeResponse* /*response*/) {
  absl::Status s = AuthenticateAdmin(*context, admin_secret_);
  if (s.ok()) {
    s = store_->RevokeProbe(request->probe_id());
    // "no probe <id>" is for the caller; other failures are the store's.
    if (!s.ok() && !absl::IsNotFound(s)) s = Internal(s, "RevokeProbe");
  }
  if (s.ok()) log::Info("probe.revoked", {{"probe", request->probe_id()}});
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  reactor->Finish(rpc::ToGrpc(s));
  return reactor;
}

}  // namespace v6scope::collector::service
