#include "common/net/special_purpose.h"

#include <cstdlib>

#include "absl/strings/str_cat.h"

namespace v6scope::net {
namespace {

using GR = GloballyReachable;

// One row as written in the registry; parsed once into SpecialPurposeBlock.
struct Row {
  const char* prefix;
  const char* name;
  const char* rfc;
  GR globally_reachable;
  bool multicast = false;
  bool public_by_exception = false;
};

// IANA IPv4 Special-Purpose Address Registry, then 224.0.0.0/4 (RFC 5771's
// multicast registry): not a unicast destination, never a probe's address.
const Row kV4Rows[] = {
    {"0.0.0.0/8", "this network", "RFC 791", GR::kFalse},
    {"0.0.0.0/32", "this host on this network", "RFC 1122", GR::kFalse},
    {"10.0.0.0/8", "private-use", "RFC 1918", GR::kFalse},
    {"100.64.0.0/10", "shared address space", "RFC 6598", GR::kFalse},
    {"127.0.0.0/8", "loopback", "RFC 1122", GR::kFalse},
    {"169.254.0.0/16", "link-local", "RFC 3927", GR::kFalse},
    {"172.16.0.0/12", "private-use", "RFC 1918", GR::kFalse},
    {"192.0.0.0/24", "IETF protocol assignments", "RFC 6890", GR::kFalse},
    {"192.0.0.0/29", "IPv4 service continuity prefix", "RFC 7335", GR::kFalse},
    {"192.0.0.8/32", "IPv4 dummy address", "RFC 7600", GR::kFalse},
    {"192.0.0.9/32", "Port Control Protocol anycast", "RFC 7723", GR::kTrue},
    {"192.0.0.10/32", "TURN anycast", "RFC 8155", GR::kTrue},
    {"192.0.0.170/32", "NAT64/DNS64 discovery", "RFC 8880", GR::kFalse},
    {"192.0.0.171/32", "NAT64/DNS64 discovery", "RFC 8880", GR::kFalse},
    {"192.0.2.0/24", "documentation (TEST-NET-1)", "RFC 5737", GR::kFalse},
    {"192.31.196.0/24", "AS112-v4", "RFC 7535", GR::kTrue},
    {"192.52.193.0/24", "AMT", "RFC 7450", GR::kTrue},
    {"192.88.99.0/24", "deprecated 6to4 relay anycast", "RFC 7526",
     GR::kNotApplicable},
    {"192.88.99.2/32", "6a44 relay anycast", "RFC 6751", GR::kFalse},
    {"192.168.0.0/16", "private-use", "RFC 1918", GR::kFalse},
    {"192.175.48.0/24", "direct delegation AS112 service", "RFC 7534",
     GR::kTrue},
    {"198.18.0.0/15", "benchmarking", "RFC 2544", GR::kFalse},
    {"198.51.100.0/24", "documentation (TEST-NET-2)", "RFC 5737", GR::kFalse},
    {"203.0.113.0/24", "documentation (TEST-NET-3)", "RFC 5737", GR::kFalse},
    {"224.0.0.0/4", "multicast", "RFC 5771", GR::kFalse, true},
    {"240.0.0.0/4", "reserved", "RFC 1112", GR::kFalse},
    {"255.255.255.255/32", "limited broadcast", "RFC 919", GR::kFalse},
};

// IANA IPv6 Special-Purpose Address Registry, then ff00::/8 (RFC 4291).
const Row kV6Rows[] = {
    {"::/128", "unspecified", "RFC 4291", GR::kFalse},
    {"::1/128", "loopback", "RFC 4291", GR::kFalse},
    {"::ffff:0:0/96", "IPv4-mapped", "RFC 4291", GR::kFalse},
    {"64:ff9b::/96", "IPv4-IPv6 translation", "RFC 6052", GR::kTrue},
    {"64:ff9b:1::/48", "local-use IPv4-IPv6 translation", "RFC 8215",
     GR::kFalse},
    {"100::/64", "discard-only", "RFC 6666", GR::kFalse},
    {"2001::/23", "IETF protocol assignments", "RFC 2928", GR::kFalse},
    {"2001::/32", "Teredo", "RFC 4380", GR::kNotApplicable, false, true},
    {"2001:1::1/128", "Port Control Protocol anycast", "RFC 7723", GR::kTrue},
    {"2001:1::2/128", "TURN anycast", "RFC 8155", GR::kTrue},
    {"2001:1::3/128", "DNS-SD service registration protocol anycast",
     "RFC 9665", GR::kTrue},
    {"2001:2::/48", "benchmarking", "RFC 5180", GR::kFalse},
    {"2001:3::/32", "AMT", "RFC 7450", GR::kTrue},
    {"2001:4:112::/48", "AS112-v6", "RFC 7535", GR::kTrue},
    {"2001:10::/28", "deprecated ORCHID", "RFC 4843", GR::kNotApplicable},
    {"2001:20::/28", "ORCHIDv2", "RFC 7343", GR::kTrue},
    {"2001:30::/28", "drone remote ID entity tags", "RFC 9374", GR::kTrue},
    {"2001:db8::/32", "documentation", "RFC 3849", GR::kFalse},
    {"2002::/16", "6to4", "RFC 3056", GR::kNotApplicable, false, true},
    {"2620:4f:8000::/48", "direct delegation AS112 service", "RFC 7534",
     GR::kTrue},
    {"3fff::/20", "documentation", "RFC 9637", GR::kFalse},
    {"5f00::/16", "SRv6 SIDs", "RFC 9602", GR::kFalse},
    {"fc00::/7", "unique-local", "RFC 4193", GR::kFalse},
    {"fe80::/10", "link-local", "RFC 4291", GR::kFalse},
    {"ff00::/8", "multicast", "RFC 4291", GR::kFalse, true},
};

template <size_t N>
void AppendRows(const Row (&rows)[N], std::vector<SpecialPurposeBlock>* out) {
  for (const Row& row : rows) {
    absl::StatusOr<IpPrefix> prefix = IpPrefix::Parse(row.prefix);
    // The rows are constants checked by the tests: a bad one is a bug.
    if (!prefix.ok()) std::abort();
    out->push_back(SpecialPurposeBlock{*prefix, row.name, row.rfc,
                                       row.globally_reachable, row.multicast,
                                       row.public_by_exception});
  }
}

// True if `inner` lies entirely inside `outer` (same family).
bool Covers(const IpPrefix& outer, const IpPrefix& inner) {
  return outer.length() <= inner.length() && outer.Contains(inner.address());
}

// The most specific block containing all of `prefix`, or null.
const SpecialPurposeBlock* MostSpecificCovering(const IpPrefix& prefix) {
  const SpecialPurposeBlock* best = nullptr;
  for (const SpecialPurposeBlock& block : SpecialPurposeBlocks()) {
    if (Covers(block.prefix, prefix) &&
        (best == nullptr || block.prefix.length() > best->prefix.length())) {
      best = &block;
    }
  }
  return best;
}

// ::ffff:a.b.c.d/n with n >= 96 as a.b.c.d/(n-96); other prefixes as is.
IpPrefix UnmappedPrefix(const IpPrefix& prefix) {
  if (prefix.length() < 96 || !prefix.address().IsV4Mapped()) return prefix;
  return IpPrefix::FromAddress(prefix.address().Unmapped(),
                               prefix.length() - 96);
}

}  // namespace

std::string SpecialPurposeBlock::Describe() const {
  return absl::StrCat(name, ", ", rfc);
}

const std::vector<SpecialPurposeBlock>& SpecialPurposeBlocks() {
  static const std::vector<SpecialPurposeBlock>* const blocks = [] {
    auto* all = new std::vector<SpecialPurposeBlock>();
    AppendRows(kV4Rows, all);
    AppendRows(kV6Rows, all);
    return all;
  }();
  return *blocks;
}

const SpecialPurposeBlock* FindSpecialPurpose(const IpAddress& address) {
  const IpAddress unmapped = address.Unmapped();
  return MostSpecificCovering(
      IpPrefix::FromAddress(unmapped, unmapped.bit_length()));
}

bool IsPublicAddress(const IpAddress& address) {
  const SpecialPurposeBlock* block = FindSpecialPurpose(address);
  return block == nullptr || block->IsPublic();
}

const SpecialPurposeBlock* FindNonPublicOverlap(const IpPrefix& prefix) {
  const IpPrefix p = UnmappedPrefix(prefix);
  const SpecialPurposeBlock* covering = MostSpecificCovering(p);
  if (covering != nullptr && !covering->IsPublic()) return covering;
  // A public prefix may still contain a non-public block (::/48 holds ::1).
  for (const SpecialPurposeBlock& block : SpecialPurposeBlocks()) {
    if (block.prefix.length() > p.length() && Covers(p, block.prefix) &&
        !block.IsPublic()) {
      return &block;
    }
  }
  return nullptr;
}

bool IsPublicPrefix(const IpPrefix& prefix) {
  return FindNonPublicOverlap(prefix) == nullptr;
}

}  // namespace v6scope::net
