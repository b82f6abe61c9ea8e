#include "collector/service/auth.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/strip.h"
#include "common/crypto/secrets.h"
#include "common/log/error_id.h"
#include "common/log/log.h"
#include "common/net/ip_address.h"

namespace v6scope::collector::service {

absl::StatusOr<std::string> BearerToken(
    const grpc::CallbackServerContext& context) {
  const auto& md = context.client_metadata();
  auto it = md.find("authorization");
  if (it == md.end()) {
    return absl::UnauthenticatedError("missing authorization metadata");
  }
  absl::string_view value(it->second.data(), it->second.size());
  if (!absl::ConsumePrefix(&value, "Bearer ") || value.empty()) {
    return absl::UnauthenticatedError(
        "authorization metadata is not \"Bearer <credential>\"");
  }
  return std::string(value);
}

absl::StatusOr<store::ProbeRecord> AuthenticateProbe(
    absl::string_view credential, store::ProbeRegistry& store) {
  size_t dot = credential.find('.');
  if (dot == absl::string_view::npos || dot == 0 ||
      dot + 1 == credential.size()) {
    return absl::UnauthenticatedError(
        "malformed probe credential (want <probe_id>.<secret>)");
  }
  const std::string probe_id(credential.substr(0, dot));
  absl::StatusOr<store::ProbeRecord> probe = store.GetProbe(probe_id);
  if (absl::IsNotFound(probe.status())) {
    return absl::UnauthenticatedError(absl::StrCat("unknown probe ", probe_id));
  }
  if (!probe.ok()) {
    // A store failure: the client learns only that it may retry; the
    // details (SQL, paths) go to the log under the error id.
    return log::PublicError(absl::StatusCode::kUnavailable,
                            "could not check the credential; retry later",
                            probe.status(), "grpc.error", "auth.probe");
  }
  if (!crypto::ConstantTimeEquals(crypto::Sha256Hex(credential),
                                  probe->credential_hash)) {
    return absl::UnauthenticatedError(
        absl::StrCat("wrong credential for probe ", probe_id));
  }
  if (probe->revoked) {
    return absl::UnauthenticatedError(
        absl::StrCat("probe ", probe_id, " has been revoked"));
  }
  return probe;
}

absl::StatusOr<std::string> NewProbeCredential(absl::string_view probe_id) {
  absl::StatusOr<std::string> secret = crypto::RandomHex(32);
  if (!secret.ok()) return secret.status();
  return absl::StrCat(probe_id, ".", *secret);
}

absl::Status AuthenticateAdmin(const grpc::CallbackServerContext& context,
                               absl::string_view admin_secret) {
  absl::StatusOr<std::string> token = BearerToken(context);
  if (!token.ok()) return token.status();
  if (admin_secret.empty() ||
      !crypto::ConstantTimeEquals(crypto::Sha256Hex(*token),
                                  crypto::Sha256Hex(admin_secret))) {
    return absl::UnauthenticatedError("wrong admin secret");
  }
  return absl::OkStatus();
}

bool IsLoopbackPeer(absl::string_view grpc_peer) {
  std::string peer = absl::StrReplaceAll(
      grpc_peer, {{"%5B", "["}, {"%5D", "]"}, {"%5b", "["}, {"%5d", "]"}});
  absl::string_view host_port = peer;
  if (!absl::ConsumePrefix(&host_port, "ipv4:") &&
      !absl::ConsumePrefix(&host_port, "ipv6:")) {
    return false;  // unix:, or an unknown form: doubt means no.
  }
  return net::IsLoopbackHostPort(host_port);
}

absl::Status ReadAccess::CheckKey(absl::string_view key) const {
  if (!admin_secret_.empty() &&
      crypto::ConstantTimeEquals(crypto::Sha256Hex(key),
                                 crypto::Sha256Hex(admin_secret_))) {
    return absl::OkStatus();
  }
  if (!absl::StartsWith(key, "rk-")) {
    return absl::UnauthenticatedError("not a read key (want rk-...)");
  }
  absl::StatusOr<store::ReadKeyRecord> record =
      keys_->FindReadKey(crypto::Sha256Hex(key));
  if (absl::IsNotFound(record.status())) {
    return absl::UnauthenticatedError("unknown read key");
  }
  if (!record.ok()) {
    // The store's message may carry SQL: logged, not sent to the caller.
    log::Error("read_key.lookup_failed",
               {{"error", record.status().ToString()}});
    return absl::UnavailableError("cannot check the read key now");
  }
  if (record->revoked) {
    return absl::UnauthenticatedError(
        absl::StrCat("read key ", record->key_id, " has been revoked"));
  }
  if (clock_->Now() >= record->expires_at) {
    return absl::UnauthenticatedError(
        absl::StrCat("read key ", record->key_id, " has expired"));
  }
  return absl::OkStatus();
}

absl::Status ReadAccess::Authorize(bool peer_is_loopback,
                                   absl::string_view authorization) const {
  if (public_queries_ || peer_is_loopback) return absl::OkStatus();
  absl::string_view key = authorization;
  if (authorization.empty()) {
    return absl::UnauthenticatedError(
        "a read key is required (authorization: Bearer rk-...)");
  }
  if (!absl::ConsumePrefix(&key, "Bearer ") || key.empty()) {
    return absl::UnauthenticatedError(
        "authorization is not \"Bearer <read key>\"");
  }
  return CheckKey(key);
}

absl::Status ReadAccess::Authorize(
    const grpc::CallbackServerContext& context) const {
  const auto& md = context.client_metadata();
  auto it = md.find("authorization");
  absl::string_view authorization;
  if (it != md.end()) {
    authorization = absl::string_view(it->second.data(), it->second.size());
  }
  return Authorize(IsLoopbackPeer(context.peer()), authorization);
}

}  // namespace v6scope::collector::service
