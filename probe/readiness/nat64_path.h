// Nat64Path: a readiness check from an IPv6-only network whose IPv4 is
// reached through NAT64 (RFC 6146) with a DNS64 resolver (RFC 6147)
// (docs/methodology.md §13.6a).
//
// Three things differ there, and the DomainChecker asks this file for
// each: (1) the vantage: the network's NAT64 prefix (configured, else found
// once from the AAAA of ipv4only.arpa, RFC 7050, as probe/dns/nat64.h
// does) and whether the host has IPv4 of its own; (2) AAAA answers inside
// the prefix that embed one of the same name's A records were made by the
// resolver: they move to NameAddresses.aaaa_synthesized; (3) with no IPv4
// of its own, the IPv4 half of the comparison goes to the IPv4 addresses
// mapped into the prefix: SOA questions to the mapped address (family
// IPV4) and the IPv4-pinned home-page fetch over IPv6 to the mapped
// address, redirect hosts' A records mapped likewise, recorded as family
// IPV4 with WebFetch.via_nat64.
//
// Threading: loop thread only (the pure functions: any thread).
#ifndef V6SCOPE_PROBE_READINESS_NAT64_PATH_H_
#define V6SCOPE_PROBE_READINESS_NAT64_PATH_H_

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "common/net/ip_address.h"
#include "probe/loop/event_loop.h"
#include "probe/readiness/dns_lookup.h"
#include "probe/readiness/home_page_fetch.h"
#include "proto/readiness.pb.h"

namespace v6scope::probe::readiness {

// `v4` embedded in `prefix` at the RFC 6052 §2.2 position for its length
// (32, 40, 48, 56, 64 or 96; the u octet and the suffix zero).
net::IpAddress MapIntoNat64(const net::IpPrefix& prefix,
                            const net::IpAddress& v4);
// The IPv4 address `v6` embeds when it lies in `prefix`; nullopt when it
// does not, or is not well formed for it (u octet or suffix not zero).
std::optional<net::IpAddress> ExtractFromNat64(const net::IpPrefix& prefix,
                                               const net::IpAddress& v6);

// Moves each AAAA of `name` that lies in `prefix` and embeds one of its A
// records to `aaaa_synthesized`, keeping the order of both lists.
void MoveSynthesizedAaaa(const net::IpPrefix& prefix,
                         v6scope::v1::NameAddresses* name);

// The vantage's address families and NAT64 situation, fixed for a
// checker's life.
struct Nat64Vantage {
  std::optional<net::IpPrefix> prefix;  // None: no NAT64 (or not found).
  bool has_own_ipv4 = true;
  // False on an IPv4-only network: its IPv6 fetches and SOA questions are
  // not made (SKIPPED), or every AAAA would read as unreachable
  // (docs/methodology.md §13.7).
  bool has_own_ipv6 = true;
  // IPv4 is reached through the prefix.
  bool ipv4_via_nat64() const { return prefix.has_value() && !has_own_ipv4; }
  // Whether `v4` (else IPv6) addresses can be tried from here at all.
  bool Reaches(bool v4) const {
    return v4 ? has_own_ipv4 || prefix.has_value() : has_own_ipv6;
  }
};

// Whether this host has a route to IPv4 (a UDP socket connected to a
// public address: no packet is sent). False on an IPv6-only network.
bool HostHasIpv4Route();
// The same for IPv6. False on an IPv4-only network.
bool HostHasIpv6Route();

// Finds the vantage once for a checker: the configured prefix, else the
// AAAA of ipv4only.arpa through the host's resolvers (one question; a
// failure means no NAT64); has_own_ipv4 and has_own_ipv6 as configured,
// else HostHasIpv4Route() and HostHasIpv6Route(). Checks started meanwhile
// wait for it.
class Nat64Discovery {
 public:
  using Ready = std::function<void(std::shared_ptr<const Nat64Vantage>)>;

  Nat64Discovery(loop::EventLoop* loop, DnsLookup* dns,
                 std::optional<net::IpPrefix> configured_prefix,
                 std::optional<bool> has_own_ipv4,
                 std::optional<bool> has_own_ipv6, absl::Duration timeout,
                 int tries);

  // `ready` runs with the vantage once known, on the loop, never inline.
  void WhenKnown(Ready ready);

 private:
  struct State;
  loop::EventLoop* const loop_;
  DnsLookup* const dns_;
  const absl::Duration timeout_;
  const int tries_;
  // Shared with the lookup's callback, which may outlive this object.
  std::shared_ptr<State> state_;
};

// The home-page fetches of one check on a network with DNS64. Owns the
// lookups its fetches ask for redirect hosts; lives as long as the fetches
// it starts can ask them (the check's run holds it).
//  - StartV6: a redirect host's AAAA inside the prefix is the resolver's
//    making, not the host's IPv6: dropped (none left: DNS_NODATA), so a
//    redirect to an IPv4-only host still ends NO_ADDRESS over IPv6.
//  - StartV4ViaNat64 (no IPv4 of its own): over IPv6 to the IPv4
//    addresses mapped into the prefix, redirect hosts' A records mapped
//    likewise, recorded as IPv4 (RecordAsNat64).
class Nat64Web {
 public:
  Nat64Web(const WebContext& base, net::IpPrefix prefix);
  ~Nat64Web();
  Nat64Web(const Nat64Web&) = delete;
  Nat64Web& operator=(const Nat64Web&) = delete;

  std::shared_ptr<HomePageFetch> StartV6(std::string url,
                                         std::vector<net::IpAddress> v6,
                                         absl::Duration deadline,
                                         HomePageFetch::Done done);
  std::shared_ptr<HomePageFetch> StartV4ViaNat64(
      std::string url, const std::vector<net::IpAddress>& v4,
      absl::Duration deadline, HomePageFetch::Done done);

 private:
  class MappedALookup;
  class UnsynthesizedLookup;
  std::unique_ptr<MappedALookup> mapped_;
  std::unique_ptr<UnsynthesizedLookup> unsynthesized_;
  WebContext v4_context_;
  WebContext v6_context_;
  net::IpPrefix prefix_;
};

// Relabels a fetch made over IPv6 to mapped addresses as the IPv4 fetch it
// stands for: family IPV4, via_nat64, "no AAAA" details as "no A".
void RecordAsNat64(v6scope::v1::WebFetch* fetch);

}  // namespace v6scope::probe::readiness

#endif  // V6SCOPE_PROBE_READINESS_NAT64_PATH_H_
