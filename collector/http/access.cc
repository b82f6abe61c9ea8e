#include "collector/http/access.h"

#include "absl/status/statusor.h"
#include "common/net/ip_address.h"

namespace v6scope::collector::http {

bool Authorized(const ApiAuthorizer& authorize, absl::string_view remote_addr,
                absl::string_view authorization, int* status,
                std::string* message) {
  if (!authorize) return true;
  absl::StatusOr<net::IpAddress> peer = net::IpAddress::Parse(remote_addr);
  const bool loopback =
      peer.ok() && net::IsLoopbackHostPort(peer->Unmapped().ToString());
  const absl::Status decision = authorize(loopback, authorization);
  if (decision.ok()) return true;
  *status = absl::IsUnauthenticated(decision) ? 401 : 503;
  *message = std::string(decision.message());
  return false;
}

}  // namespace v6scope::collector::http
