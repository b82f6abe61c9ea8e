#include "common/net/listen_address.h"

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"

namespace v6scope::net {

absl::StatusOr<ListenAddress> ParseListenAddress(absl::string_view listen,
                                                 absl::string_view what,
                                                 int example_port) {
  auto bad = [&](absl::string_view why) {
    return absl::InvalidArgumentError(
        absl::StrCat("bad ", what, " \"", listen, "\": ", why));
  };
  const size_t colon = listen.rfind(':');
  if (colon == absl::string_view::npos) {
    return bad(absl::StrCat("want HOST:PORT, e.g. [::]:", example_port));
  }
  absl::string_view host = listen.substr(0, colon);
  const absl::string_view port_text = listen.substr(colon + 1);
  const bool bracketed =
      absl::ConsumePrefix(&host, "[") && absl::ConsumeSuffix(&host, "]");
  absl::StatusOr<IpAddress> ip = IpAddress::Parse(host);
  if (!ip.ok() || ip->is_v6() != bracketed) {
    return bad(absl::StrCat(
        "host must be an IPv4 literal or a bracketed IPv6 literal, e.g. "
        "127.0.0.1:",
        example_port, " or [::1]:", example_port));
  }
  bool digits = !port_text.empty() && port_text.size() <= 5;
  for (char c : port_text) {
    digits = digits && absl::ascii_isdigit(static_cast<unsigned char>(c));
  }
  int port = 0;
  if (!digits || !absl::SimpleAtoi(port_text, &port) || port > 65535) {
    return bad("port must be 0..65535");
  }
  return ListenAddress{*ip, port};
}

}  // namespace v6scope::net
