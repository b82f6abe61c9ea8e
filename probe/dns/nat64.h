// NAT64 prefix discovery from the AAAA answer for ipv4only.arpa
// (RFC 7050), decoding the address format of RFC 6052.
//
// On a network with DNS64, the resolver synthesises AAAA records for the
// IPv4-only name ipv4only.arpa, whose A records are the well-known
// addresses 192.0.0.170 and 192.0.0.171. Finding either inside a
// synthesised address reveals the NAT64 prefix and its length.
//
// Pure functions: thread-safe, no I/O.
#ifndef V6SCOPE_PROBE_DNS_NAT64_H_
#define V6SCOPE_PROBE_DNS_NAT64_H_

#include <optional>
#include <vector>

#include "common/net/ip_address.h"

namespace v6scope::probe::dns {

// The name whose AAAA answer reveals the NAT64 prefix (RFC 7050).
inline constexpr char kIpv4OnlyArpa[] = "ipv4only.arpa";

// Every NAT64 prefix found in `ipv4only_arpa_aaaa`, distinct, in answer
// order. An address yields a prefix of length n (32, 40, 48, 56, 64 or 96)
// when 192.0.0.170 or 192.0.0.171 sits where RFC 6052 puts the IPv4
// address for /n, the reserved "u" octet (bits 64..71) is zero (n < 96),
// and the suffix after the IPv4 address is zero. The zero-suffix rule
// makes the position unambiguous: a spurious match inside the prefix
// would have the real IPv4 address in its suffix. IPv4 addresses and the
// non-NAT64 ranges ::/96 and ::ffff:0:0/96 are ignored.
std::vector<net::IpPrefix> Nat64PrefixesFromAaaa(
    const std::vector<net::IpAddress>& ipv4only_arpa_aaaa);

// The first prefix Nat64PrefixesFromAaaa finds (host bits zero), e.g.
// 64:ff9b::c000:aa -> 64:ff9b::/96; nullopt when there is none, which
// means the resolver does no DNS64.
std::optional<net::IpPrefix> Nat64PrefixFromAaaa(
    const std::vector<net::IpAddress>& ipv4only_arpa_aaaa);

}  // namespace v6scope::probe::dns

#endif  // V6SCOPE_PROBE_DNS_NAT64_H_
