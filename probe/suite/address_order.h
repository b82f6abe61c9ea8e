// Destination address ordering as the host's own resolver library would do
// it (RFC 6724 section 6), so the dual-stack race starts with the family a
// browser on this host would try first.
//
// The probe resolves names with c-ares, which does not sort answers, and
// then hands curl a list whose first address decides which family Happy
// Eyeballs tries first. Putting IPv6 first unconditionally would overstate
// "preferred" on hosts whose only IPv6 is 6to4, Teredo or ULA: getaddrinfo
// puts IPv4 first there (rule 5, matching label), and so do browsers.
#ifndef V6SCOPE_PROBE_SUITE_ADDRESS_ORDER_H_
#define V6SCOPE_PROBE_SUITE_ADDRESS_ORDER_H_

#include <functional>
#include <optional>
#include <vector>

#include "common/net/ip_address.h"

namespace v6scope::probe::suite {

// The source address the kernel would use towards `destination`, or none
// when it has no route (RFC 6724 rule 1: unusable destination).
using SourceLookup =
    std::function<std::optional<net::IpAddress>(const net::IpAddress&)>;

// Asks the kernel: connect() a UDP socket (sends nothing) and read back the
// chosen local address.
std::optional<net::IpAddress> KernelSourceFor(const net::IpAddress& dest);

// Stable sort by RFC 6724 rules 1, 2, 5, 6, 8 and 9 with the default policy
// table (rules 3, 4 and 7 need information a probe does not have).
std::vector<net::IpAddress> SortDestinations(
    std::vector<net::IpAddress> destinations, const SourceLookup& source_for);

}  // namespace v6scope::probe::suite

#endif  // V6SCOPE_PROBE_SUITE_ADDRESS_ORDER_H_
