#include "collector/service/admin_service.h"

#include "absl/strings/str_cat.h"
#include "collector/service/auth.h"
#include "common/crypto/secrets.h"
#include "common/log/error_id.h"
#include "common/log/log.h"
#include "common/rpc/status.h"
#include "google/protobuf/util/time_util.h"

namespace v6scope::collector::service {
namespace {

using google::protobuf::util::TimeUtil;

constexpr absl::Duration kDefaultTokenLifetime = absl::Hours(24 * 7);

bool IsValidOrg(const std::string& org) {
  if (org.empty() || org.size() > 64) return false;
  for (char c : org) {
    if (!(isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' ||
          c == '-')) {
      return false;
    }
  }
  return true;
}

// A store or system failure: a short message and an error id for the
// caller, the details in the log.
absl::Status Internal(const absl::Status& detail, absl::string_view method) {
  return log::PublicError(absl::StatusCode::kUnavailable,
                          "the collector could not complete the request",
                          detail, "grpc.error", method);
}

// The requested expiry, checked before any conversion: a Timestamp outside
// 0001-01-01..9999-12-31 (or with invalid nanos) would overflow the
// microsecond arithmetic and be stored as a wrong expiry.
absl::StatusOr<absl::Time> TokenExpiry(
    const v6scope::v1::CreateEnrolmentTokenRequest& req, absl::Time now) {
  if (!req.has_expires_at()) return now + kDefaultTokenLifetime;
  const google::protobuf::Timestamp& ts = req.expires_at();
  if (ts.seconds() > TimeUtil::kTimestampMaxSeconds || ts.nanos() < 0 ||
      ts.nanos() > 999'999'999) {
    return absl::InvalidArgumentError(
        "expires_at: after 9999-12-31T23:59:59Z or not a valid timestamp");
  }
  const absl::Time expires =
      absl::FromUnixSeconds(ts.seconds()) + absl::Nanoseconds(ts.nanos());
  if (expires <= now) {
    return absl::InvalidArgumentError("expires_at: must be in the future");
  }
  return expires;
}

}  // namespace

absl::Status AdminServiceImpl::DoCreateToken(
    const v6scope::v1::CreateEnrolmentTokenRequest& req,
    v6scope::v1::CreateEnrolmentTokenResponse* resp) {
  if (!IsValidOrg(req.org())) {
    return absl::InvalidArgumentError(
        "org: must be 1..64 characters of [A-Za-z0-9._-]");
  }
  const absl::Time now = clock_->Now();
  absl::StatusOr<absl::Time> expires = TokenExpiry(req, now);
  if (!expires.ok()) return expires.status();
  absl::StatusOr<std::string> secret = crypto::RandomHex(16);
  if (!secret.ok()) return Internal(secret.status(), "CreateEnrolmentToken");
  const std::string token = absl::StrCat("et-", *secret);
  store::EnrolmentTokenRecord record;
  record.token_hash = crypto::Sha256Hex(token);
  record.org = req.org();
  record.created_at = now;
  record.expires_at = *expires;
  absl::Status s = store_->AddEnrolmentToken(record);
  if (!s.ok()) return Internal(s, "CreateEnrolmentToken");
  resp->set_token(token);
  *resp->mutable_expires_at() =
      TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(*expires));
  log::Info("token.created",
            {{"org", req.org()}, {"expires", absl::FormatTime(*expires)}});
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
