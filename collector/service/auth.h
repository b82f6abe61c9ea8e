// Authentication of calls to the collector.
//
// Probes send "authorization: Bearer <probe_id>.<secret>"; the store holds
// only SHA-256(<probe_id>.<secret>). Administrators send the admin secret
// the collector keeps in its data directory.
#ifndef V6SCOPE_COLLECTOR_SERVICE_AUTH_H_
#define V6SCOPE_COLLECTOR_SERVICE_AUTH_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "collector/store/probe_registry.h"
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

}  // namespace v6scope::collector::service

#endif  // V6SCOPE_COLLECTOR_SERVICE_AUTH_H_
