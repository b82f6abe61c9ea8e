#include "probe/suite/whoami.h"

#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "common/net/ip_address.h"

namespace v6scope::probe::suite {

std::string WhoamiPublicPrefix(const std::string& body, bool want_v6) {
  absl::StatusOr<net::IpAddress> addr =
      net::IpAddress::Parse(absl::StripAsciiWhitespace(body));
  if (!addr.ok()) return "";
  net::IpAddress a = addr->IsV4Mapped() ? addr->Unmapped() : *addr;
  if (a.is_v6() != want_v6) return "";
  return net::PublicTruncation(a).ToString();
}

}  // namespace v6scope::probe::suite
