// Authentication of calls to the collector.
//
// Probes send "authorization: Bearer <probe_id>.<secret>"; the store holds
// only SHA-256(<probe_id>.<secret>). Administrators send the admin secret
// the collector keeps in its data directory. Researchers send a read key
// "rk-<32 hex>" (stored as its SHA-256) to QueryService and the HTTP /api/.
#ifndef V6SCOPE_COLLECTOR_SERVICE_AUTH_H_
#define V6SCOPE_COLLECTOR_SERVICE_AUTH_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "collector/store/access_keys.h"
#include "collector/store/probe_registry.h"
#include "common/time/clock.h"
#include "grpcpp/server_context.h"

namespace v6scope::collector::service {

// The bearer value of the call's authorization metadata; UNAUTHENTICATED
// if it is missing or not of the form "Bearer <value>".
absl::StatusOr<std::string> BearerToken(
    const grpc::CallbackServerContext& context);

// Splits a probe credential "<probe_id>.<secret>" and checks it against the
// store. UNAUTHENTICATED (with the reason) for malformed, unknown, wrong or
// revoked credentials; other errors come from the store.
absl::StatusOr<store::ProbeRecord> AuthenticateProbe(
    absl::string_view credential, store::ProbeRegistry& store);

// Makes a fresh credential for `probe_id`.
absl::StatusOr<std::string> NewProbeCredential(absl::string_view probe_id);

// UNAUTHENTICATED unless the call carries `admin_secret`.
absl::Status AuthenticateAdmin(const grpc::CallbackServerContext& context,
                               absl::string_view admin_secret);

// True when a gRPC peer string ("ipv6:[::1]:5000", "ipv4:127.0.0.1:5000",
// or the URI-escaped "ipv6:%5B::1%5D:5000") is a loopback address.
bool IsLoopbackPeer(absl::string_view grpc_peer);

// Who may read (QueryService, the HTTP /api/): anyone when the operator
// set --public_queries, anyone connecting over loopback (the CLI and the
// demo on the collector's host), else the holder of a valid read key or of
// the admin secret. Thread-safe; the store and clock must outlive it.
class ReadAccess {
 public:
  ReadAccess(store::AccessKeys* keys, const time::Clock* clock,
             std::string admin_secret, bool public_queries)
      : keys_(keys),
        clock_(clock),
        admin_secret_(std::move(admin_secret)),
        public_queries_(public_queries) {}

  bool public_queries() const { return public_queries_; }

  // OK for a valid read key (or the admin secret); UNAUTHENTICATED naming
  // what is wrong (unknown, revoked, expired); UNAVAILABLE if the store
  // cannot answer (its details are logged, not returned).
  absl::Status CheckKey(absl::string_view key) const;

  // The decision for a request: OK when open (public, loopback) or when
  // `authorization` is "Bearer <valid key>"; UNAUTHENTICATED otherwise.
  absl::Status Authorize(bool peer_is_loopback,
                         absl::string_view authorization) const;

  // The same for a gRPC call, from its peer and metadata.
  absl::Status Authorize(const grpc::CallbackServerContext& context) const;

 private:
  store::AccessKeys* const keys_;
  const time::Clock* const clock_;
  const std::string admin_secret_;
  const bool public_queries_;
};

}  // namespace v6scope::collector::service

#endif  // V6SCOPE_COLLECTOR_SERVICE_AUTH_H_
