// Internal to //methodology:verdict: the evidence of methodology 2 (rules
// E1-E14 of docs/methodology.md §2), derived once from a run and read by the
// capability, root-cause and score tables and by the explanations.
#ifndef V6SCOPE_METHODOLOGY_EVIDENCE_H_
#define V6SCOPE_METHODOLOGY_EVIDENCE_H_

#include <optional>
#include <string>

#include "methodology/run_view.h"
#include "methodology/verdict.h"
#include "proto/results.pb.h"

namespace v6scope::methodology {

// What the inventory says about the host's own configuration.
struct HostFacts {
  bool v6_global = false;      // Native, 6to4 or Teredo address (2000::/3).
  bool v6_address = false;     // Any v6 address beyond link-local.
  bool v6_route = false;       // An IPv6 default route.
  bool ula_only = false;       // ULA addresses and no global one.
  bool only_6to4 = false;      // 6to4 address and no native global one.
  bool only_teredo = false;    // Teredo address and no native global one.
  bool cgnat = false;          // A 100.64.0.0/10 address.
  bool v4_configured = false;  // E9: IPv4 address and IPv4 default route.
};

// Everything the rules look at. "raw" successes are what was observed;
// "counted" ones exclude IPv6 from a ULA-only host (E6) and feed
// capability and score only.
struct Evidence {
  HostFacts host;
  bool http_ran = false;       // Some reachability fetch ran (C0).
  bool v6_pinned_ran = false;  // Some IPv6-pinned test ran (C6, C8).
  bool v4_native = false;      // Some fetch over IPv4 succeeded.
  bool v6_raw = false;         // Some fetch over IPv6 succeeded.
  bool v6_counted = false;     // Same, counting for capability.
  bool v6_small_raw = false;   // Same, other than the large object.
  bool v6_name = false;        // HTTP_V6_ONLY over IPv6 (counted).
  bool v6_literal = false;     // HTTP_V6_LITERAL over IPv6 (counted).
  bool v6_large = false;       // HTTP_V6_LARGE over IPv6 (counted).
  bool dual_v6 = false;        // HTTP_DUAL_STACK over IPv6 (counted).
  bool dual_ok = false;        // HTTP_DUAL_STACK fetched (counted).
  bool dual_v6_raw = false;    // HTTP_DUAL_STACK OK over IPv6 (raw).
  bool dual_failed = false;    // HTTP_DUAL_STACK ran and failed.
  bool v4_via_v6 = false;      // HTTP_V4_ONLY over IPv6 (counted).
  // E10: an IPv4 fetch's packets went nowhere (timeout, stall, ICMP error).
  bool v4_transport_failed = false;
  // E11: an IPv6-pinned test got an ICMPv6 error (no route, address
  // unreachable, administratively prohibited).
  bool v6_unreachable = false;
  // E12: an IPv6-pinned test got no answer at all (timeout, or a stall
  // before any byte).
  bool v6_silent = false;
  bool large_stalled = false;   // E13: HTTP_V6_LARGE STALLED/TRUNCATED_BODY.
  bool nat64_fetch_ok = false;  // E14: HTTP_NAT64 OK over IPv6.
  bool nat64_fetch_failed = false;  // E14: the NAT64 path failed.
  bool dns_a_ok = false;
  bool aaaa_withheld = false;  // DNS_AAAA NODATA or NXDOMAIN.
  bool v6ns_ok = false;
  bool v6ns_failed = false;                 // DNS_V6NS SERVFAIL or TIMEOUT.
  std::optional<std::string> nat64_prefix;  // E7, e.g. "64:ff9b::/96".
  bool slow_v6 = false;
};

Evidence GatherEvidence(const RunTests& tests,
                        const v6scope::v1::AddressInventory& inventory,
                        const VerdictThresholds& t);

// R9 (SLOW_V6) on the handshake pair.
bool IsSlow(const HandshakePairTimes& pair, const VerdictThresholds& t);

}  // namespace v6scope::methodology

#endif  // V6SCOPE_METHODOLOGY_EVIDENCE_H_
