#include "probe/suite/whoami.h"

#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/net/ip_address.h"
#include "common/net/special_purpose.h"

namespace v6scope::probe::suite {

WhoamiAnswer ReadWhoamiAnswer(const std::string& body, bool want_v6) {
  absl::StatusOr<net::IpAddress> addr =
      net::IpAddress::Parse(absl::StripAsciiWhitespace(body));
  if (!addr.ok()) return {};
  const net::IpAddress a = addr->Unmapped();
  if (a.is_v6() != want_v6) return {};
  // A server on the probe's own host or network (a proxy, a test set-up)
  // sees a loopback, private or documentation address: that is no
  // network's public prefix, and attributing it would pool every such
  // probe under one meaningless prefix (127.0.0.0/24, ::/48).
  if (const net::SpecialPurposeBlock* block = net::FindSpecialPurpose(a);
      block != nullptr && !block->IsPublic()) {
    return {"", absl::StrCat("who-am-I saw ", a.ToString(), " (",
                             block->Describe(), "): not a public address")};
  }
  const net::IpPrefix prefix = net::PublicTruncation(a);
  // A public address in a block whose neighbours are not (192.0.0.9 in
  // 192.0.0.0/24): the address itself is not named, only its block.
  if (const net::SpecialPurposeBlock* block = net::FindNonPublicOverlap(prefix);
      block != nullptr) {
    return {"", absl::StrCat("who-am-I saw an address whose prefix ",
                             prefix.ToString(), " overlaps ",
                             block->prefix.ToString(), " (", block->Describe(),
                             "): not a public prefix")};
  }
  return {prefix.ToString(), ""};
}

std::string WhoamiPublicPrefix(const std::string& body, bool want_v6) {
  return ReadWhoamiAnswer(body, want_v6).prefix;
}

}  // namespace v6scope::probe::suite
