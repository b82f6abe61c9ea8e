#include "collector/ingest/public_prefixes.h"

#include <optional>
#include <utility>

#include "absl/status/statusor.h"
#include "common/net/ip_address.h"
#include "common/net/special_purpose.h"

namespace v6scope::collector::ingest {
namespace {

// The refusal of `cidr`, or nullopt if it is public (or empty: nothing to
// refuse; or unparsable, which validation has already excluded).
std::optional<RefusedPrefix> Refusal(const std::string& cidr,
                                     const char* family) {
  if (cidr.empty()) return std::nullopt;
  absl::StatusOr<net::IpPrefix> prefix = net::IpPrefix::Parse(cidr);
  if (!prefix.ok()) return std::nullopt;
  const net::SpecialPurposeBlock* block = net::FindNonPublicOverlap(*prefix);
  if (block == nullptr) return std::nullopt;
  return RefusedPrefix{family, cidr, block->prefix.ToString(),
                       block->Describe()};
}

}  // namespace

std::vector<RefusedPrefix> RefuseNonPublicPrefixes(v6scope::v1::Run* run) {
  std::vector<RefusedPrefix> refused;
  v6scope::v1::PublicAddresses* pub = run->mutable_public_addresses();
  if (std::optional<RefusedPrefix> r = Refusal(pub->v4_prefix(), "v4")) {
    pub->clear_v4_prefix();
    refused.push_back(*std::move(r));
  }
  if (std::optional<RefusedPrefix> r = Refusal(pub->v6_prefix(), "v6")) {
    pub->clear_v6_prefix();
    refused.push_back(*std::move(r));
  }
  return refused;
}

}  // namespace v6scope::collector::ingest
