// Listen addresses: "[IPv6]:port" or "IPv4:port", as every v6scope
// listener (the collector's gRPC and HTTP, the probe's /metrics) takes
// them. Host names are refused: a listener bound to whichever family
// "localhost" resolves to first would surprise.
#ifndef V6SCOPE_COMMON_NET_LISTEN_ADDRESS_H_
#define V6SCOPE_COMMON_NET_LISTEN_ADDRESS_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/net/ip_address.h"

namespace v6scope::net {

struct ListenAddress {
  IpAddress ip;
  int port = 0;  // 0: any free port.

  // The literal without brackets: "::", "127.0.0.1".
  std::string host() const { return ip.ToString(); }
};

// Parses "[IPv6]:port" or "IPv4:port" (port 0..65535). INVALID_ARGUMENT
// quoting the text and saying what is wrong; `what` names the listener
// ("listen address", "metrics listen address") and `example_port` is the
// port the examples in the message use.
absl::StatusOr<ListenAddress> ParseListenAddress(
    absl::string_view listen, absl::string_view what = "listen address",
    int example_port = 8080);

}  // namespace v6scope::net

#endif  // V6SCOPE_COMMON_NET_LISTEN_ADDRESS_H_
