// Access to the HTTP /api/: the decision is made by the collector's
// ReadAccess (collector/service/auth.h: public queries, loopback peers,
// read keys), handed in as a function so this layer never sees the store.
// Kept apart from the handlers so it can be re-wired under another HTTP
// server library: it needs only the peer address and one header.
#ifndef V6SCOPE_COLLECTOR_HTTP_ACCESS_H_
#define V6SCOPE_COLLECTOR_HTTP_ACCESS_H_

#include <functional>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace v6scope::collector::http {

// OK, UNAUTHENTICATED (no or a bad key) or UNAVAILABLE (cannot check now),
// given whether the peer is on loopback and the Authorization header
// ("" when absent).
using ApiAuthorizer = std::function<absl::Status(
    bool peer_is_loopback, absl::string_view authorization)>;

// True when the request may be answered; else `*status` is 401 (with the
// reason in `*message`, and the caller adds "WWW-Authenticate: Bearer")
// or 503. An empty `authorize` lets everything through (tests, and the
// listener of an in-process demo). `remote_addr` is the peer's address
// literal ("::1", "127.0.0.1", "::ffff:127.0.0.1").
bool Authorized(const ApiAuthorizer& authorize, absl::string_view remote_addr,
                absl::string_view authorization, int* status,
                std::string* message);

}  // namespace v6scope::collector::http

#endif  // V6SCOPE_COLLECTOR_HTTP_ACCESS_H_
