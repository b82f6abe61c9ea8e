// AdminService's read-key calls: create (the key shown once, its SHA-256
// stored), list (never the keys) and revoke.
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "collector/service/admin_service.h"
#include "collector/service/auth.h"
#include "common/crypto/secrets.h"
#include "common/log/log.h"
#include "common/rpc/status.h"
#include "google/protobuf/util/time_util.h"

namespace v6scope::collector::service {
namespace {

using google::protobuf::util::TimeUtil;

constexpr absl::Duration kDefaultKeyLifetime = absl::Hours(24 * 365);

// 1..64 bytes, each alphanumeric or one of `extra`.
bool IsValidLabel(const std::string& text, absl::string_view extra) {
  if (text.empty() || text.size() > 64) return false;
  for (char c : text) {
    if (!isalnum(static_cast<unsigned char>(c)) &&
        extra.find(c) == absl::string_view::npos) {
      return false;
    }
  }
  return true;
}

// The requested expiry, checked: in the future and before year 10000 (a
// timestamp protobuf can carry back to the caller).
absl::StatusOr<absl::Time> KeyExpiry(
    const v6scope::v1::CreateReadKeyRequest& req, absl::Time now) {
  if (!req.has_expires_at()) return now + kDefaultKeyLifetime;
  if (req.expires_at().seconds() > TimeUtil::kTimestampMaxSeconds ||
      req.expires_at().seconds() < TimeUtil::kTimestampMinSeconds ||
      req.expires_at().nanos() < 0 || req.expires_at().nanos() > 999999999) {
    return absl::InvalidArgumentError("expires_at: must be before 10000-01-01");
  }
  const absl::Time expires =
      absl::FromUnixMicros(TimeUtil::TimestampToMicroseconds(req.expires_at()));
  if (expires <= now) {
    return absl::InvalidArgumentError("expires_at: must be in the future");
  }
  return expires;
}

google::protobuf::Timestamp ToProto(absl::Time t) {
  return TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(t));
}

grpc::ServerUnaryReactor* Done(grpc::CallbackServerContext* context,
                               const absl::Status& status) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  reactor->Finish(rpc::ToGrpc(status));
  return reactor;
}

}  // namespace

absl::Status AdminServiceImpl::DoCreateReadKey(
    const v6scope::v1::CreateReadKeyRequest& req,
    v6scope::v1::CreateReadKeyResponse* resp) {
  if (!IsValidLabel(req.name(), " ._@-")) {
    return absl::InvalidArgumentError(
        "name: must be 1..64 characters of [A-Za-z0-9 ._@-]");
  }
  if (!IsValidLabel(req.org(), "._-")) {
    return absl::InvalidArgumentError(
        "org: must be 1..64 characters of [A-Za-z0-9._-]");
  }
  const absl::Time now = clock_->Now();
  absl::StatusOr<absl::Time> expires = KeyExpiry(req, now);
  if (!expires.ok()) return expires.status();
  absl::StatusOr<std::string> secret = crypto::RandomHex(16);  // 128 bits.
  if (!secret.ok()) return secret.status();
  absl::StatusOr<std::string> id = crypto::RandomHex(4);
  if (!id.ok()) return id.status();
  store::ReadKeyRecord record;
  const std::string key = absl::StrCat("rk-", *secret);
  record.key_id = absl::StrCat("k-", *id);
  record.key_hash = crypto::Sha256Hex(key);
  record.name = req.name();
  record.org = req.org();
  record.created_at = now;
  record.expires_at = *expires;
  if (absl::Status s = keys_->AddReadKey(record); !s.ok()) return s;
  resp->set_key(key);
  resp->set_key_id(record.key_id);
  *resp->mutable_expires_at() = ToProto(*expires);
  log::Info("read_key.created", {{"key_id", record.key_id},
                                 {"name", req.name()},
                                 {"org", req.org()},
                                 {"expires", absl::FormatTime(*expires)}});
  return absl::OkStatus();
}

absl::Status AdminServiceImpl::DoListReadKeys(
    v6scope::v1::ListReadKeysResponse* resp) {
  absl::StatusOr<std::vector<store::ReadKeyRecord>> keys =
      keys_->ListReadKeys();
  if (!keys.ok()) return keys.status();
  for (const store::ReadKeyRecord& key : *keys) {
    v6scope::v1::ReadKeyInfo* info = resp->add_keys();
    info->set_key_id(key.key_id);
    info->set_name(key.name);
    info->set_org(key.org);
    *info->mutable_created_at() = ToProto(key.created_at);
    *info->mutable_expires_at() = ToProto(key.expires_at);
    info->set_revoked(key.revoked);
  }
  return absl::OkStatus();
}

grpc::ServerUnaryReactor* AdminServiceImpl::CreateReadKey(
    grpc::CallbackServerContext* context,
    const v6scope::v1::CreateReadKeyRequest* request,
    v6scope::v1::CreateReadKeyResponse* response) {
  absl::Status s = AuthenticateAdmin(*context, admin_secret_);
  if (s.ok()) s = DoCreateReadKey(*request, response);
  return Done(context, s);
}

grpc::ServerUnaryReactor* AdminServiceImpl::ListReadKeys(
    grpc::CallbackServerContext* context,
    const v6scope::v1::ListReadKeysRequest* /*request*/,
    v6scope::v1::ListReadKeysResponse* response) {
  absl::Status s = AuthenticateAdmin(*context, admin_secret_);
  if (s.ok()) s = DoListReadKeys(response);
  return Done(context, s);
}

grpc::ServerUnaryReactor* AdminServiceImpl::RevokeReadKey(
    grpc::CallbackServerContext* context,
    const v6scope::v1::RevokeReadKeyRequest* request,
    v6scope::v1::RevokeReadKeyResponse* /*response*/) {
  absl::Status s = AuthenticateAdmin(*context, admin_secret_);
  if (s.ok()) s = keys_->RevokeReadKey(request->key_id());
  if (s.ok()) log::Info("read_key.revoked", {{"key_id", request->key_id()}});
  return Done(context, s);
}

}  // namespace v6scope::collector::service
