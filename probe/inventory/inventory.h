// The probe host's local address inventory (v1.AddressInventory): how many
// addresses of each global-scope class its interfaces carry, and whether it
// has IPv4 and IPv6 default routes. From these the verdict tells native
// IPv6 from 6to4/Teredo/ULA-only hosts and spots hosts behind (CG)NAT.
//
// Privacy: only counts and booleans come out of this module. Individual
// addresses never appear in its results or in its error messages.
//
// The parsing and classification functions are pure and thread-safe;
// ReadLocalInventory() does blocking file and getifaddrs() I/O (cheap, local,
// no network) and may be called from any thread.
#ifndef V6SCOPE_PROBE_INVENTORY_INVENTORY_H_
#define V6SCOPE_PROBE_INVENTORY_INVENTORY_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/net/ip_address.h"
#include "proto/results.pb.h"

namespace v6scope::probe::inventory {

// Counts the distinct addresses in `addrs` per class (net::Classify).
// Private, shared, ULA and IPv6 link-local addresses, 6to4 and Teredo keep
// their own counts; of the others, an address that is not public
// (net::IsPublicAddress: loopback, IPv4 link-local, documentation,
// benchmarking, ...) counts as v4_special / v6_special, never as v4_public
// or v6_global_native. A public address outside those two classes (e.g.
// in 64:ff9b::/96) has no field and is ignored. The same address listed
// twice (e.g. on two interfaces) counts once. Default-route fields are left
// false.
v1::AddressInventory ClassifyAddresses(
    const std::vector<net::IpAddress>& addrs);

// Whether the contents of /proc/net/route (a header line, then one route per
// line: Iface Destination Gateway Flags RefCnt Use Metric Mask MTU Window
// IRTT, hex where the kernel prints hex) hold a usable default route:
// destination and mask 00000000, RTF_UP set, RTF_REJECT (unreachable or
// prohibit route) clear. InvalidArgument naming the line for malformed
// contents.
absl::StatusOr<bool> HasV4DefaultRoute(
    absl::string_view proc_net_route_contents);

// Whether the contents of /proc/net/ipv6_route (no header; per line:
// destination (32 hex), destination prefix length (2 hex), source, source
// prefix length, next hop, metric, refcnt, use, flags (8 hex), iface) hold
// a usable default route: destination ::/0, RTF_UP set, RTF_REJECT clear.
// The reject test matters: with IPv6 and no upstream, the kernel lists an
// "unreachable" ::/0 on lo (flags 00200200), which is not a route out.
// InvalidArgument naming the line for malformed contents; empty contents
// mean no routes.
absl::StatusOr<bool> HasV6DefaultRoute(
    absl::string_view proc_net_ipv6_route_contents);

// Where ReadLocalInventory() reads the routing tables; tests point these
// elsewhere.
struct InventorySources {
  std::string proc_net_route = "/proc/net/route";
  std::string proc_net_ipv6_route = "/proc/net/ipv6_route";
};

// The inventory of this host: addresses of interfaces that are up (from
// getifaddrs()) and default routes from the routing tables. A missing
// routing-table file (IPv6 disabled, no /proc) means "no route", not an
// error; an unreadable or malformed one is an error.
absl::StatusOr<v1::AddressInventory> ReadLocalInventory(
    const InventorySources& sources);
absl::StatusOr<v1::AddressInventory> ReadLocalInventory();

}  // namespace v6scope::probe::inventory

#endif  // V6SCOPE_PROBE_INVENTORY_INVENTORY_H_
