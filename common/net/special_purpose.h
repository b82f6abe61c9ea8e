// Addresses that are never public: the IANA IPv4 and IPv6 Special-Purpose
// Address Registries (RFC 6890, as of 2024), plus IPv4 and IPv6 multicast,
// as one table, and the rule v6scope applies with it everywhere an address
// or a prefix is meant to be public (docs/attribution.md, "Addresses that
// are never public"):
//
//   an address is public unless the most specific block containing it has
//   "Globally Reachable" False or N/A;
//
// with two documented exceptions: 6to4 (2002::/16) and Teredo (2001::/32)
// are N/A in the registry but count as public, because a who-am-I server
// sees the relay-routed address of a tunnelled host, and the verdict wants
// such runs (TUNNEL_6TO4, TUNNEL_TEREDO). An IPv4-mapped address
// (::ffff:a.b.c.d) is judged by the IPv4 address it carries.
//
// Pure functions over a constant table: thread-safe, no I/O.
#ifndef V6SCOPE_COMMON_NET_SPECIAL_PURPOSE_H_
#define V6SCOPE_COMMON_NET_SPECIAL_PURPOSE_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "common/net/ip_address.h"

namespace v6scope::net {

// The registry's "Globally Reachable" column.
enum class GloballyReachable { kTrue, kFalse, kNotApplicable };

struct SpecialPurposeBlock {
  IpPrefix prefix;
  // Short lower-case name ("loopback", "documentation (TEST-NET-1)") for
  // sentences such as "127.0.0.1 (loopback, RFC 1122)".
  absl::string_view name;
  // The RFC that requested the block ("RFC 1122").
  absl::string_view rfc;
  GloballyReachable globally_reachable;
  // True for the blocks that are not in the special-purpose registries
  // (224.0.0.0/4 and ff00::/8, from the multicast registries).
  bool multicast = false;
  // True for 6to4 and Teredo: public although N/A in the registry.
  bool public_by_exception = false;

  // Whether an address whose most specific block is this one is public.
  bool IsPublic() const {
    return globally_reachable == GloballyReachable::kTrue ||
           public_by_exception;
  }
  // "loopback, RFC 1122".
  std::string Describe() const;
};

// Every block, IPv4 first, each family in address order (a block before
// the more specific blocks inside it).
const std::vector<SpecialPurposeBlock>& SpecialPurposeBlocks();

// The most specific block containing `address` (an IPv4-mapped address is
// looked up as its IPv4 address); null if it is in none.
const SpecialPurposeBlock* FindSpecialPurpose(const IpAddress& address);

// False for an address whose most specific block is not public (see the
// file comment); true for every other address, including space that no
// registry mentions (11.0.0.0/8, 3ffe::/16).
bool IsPublicAddress(const IpAddress& address);

// The non-public block that makes `prefix` not public: the most specific
// block containing all of it if that one is not public, else the first
// non-public block lying inside it; null if every address of the prefix is
// public. An IPv6 prefix inside ::ffff:0:0/96 is judged as the IPv4 prefix
// it carries.
const SpecialPurposeBlock* FindNonPublicOverlap(const IpPrefix& prefix);

// A prefix is public only if no part of it overlaps a non-public block.
bool IsPublicPrefix(const IpPrefix& prefix);

}  // namespace v6scope::net

#endif  // V6SCOPE_COMMON_NET_SPECIAL_PURPOSE_H_
