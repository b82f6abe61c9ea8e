#include "methodology/verdict.h"

#include <optional>

#include "absl/time/time.h"
#include "methodology/evidence.h"
#include "methodology/explain.h"
#include "methodology/run_view.h"
#include "methodology/score.h"
#include "proto/results.pb.h"

// Methodology 2: every rule below is one row of docs/methodology.md; the
// row ids (C2a, R13, K1, ...) are the ones used there. Change the document
// and kMethodologyVersion together with the code. Tests are found by the
// verdict role their kind's spec declares (methodology/kinds), so an
// informational kind added to the registry changes no verdict.

namespace v6scope::methodology {
namespace {

using v6scope::v1::Capability;
using v6scope::v1::RootCause;
using v6scope::v1::Run;
using v6scope::v1::Verdict;

// The capability table; the first matching row wins.
Capability DecideCapability(const Evidence& e) {
  if (!e.http_ran) return v6scope::v1::CAPABILITY_UNSPECIFIED;     // C0
  if (!e.v4_native && !e.v6_counted) return v6scope::v1::OFFLINE;  // C1
  if (!e.v4_native && e.host.v4_configured && e.v4_transport_failed) {
    return v6scope::v1::V4_BROKEN;  // C2a (v6_counted holds after C1).
  }
  if (!e.v4_native) {
    const bool nat64_path = e.v4_via_v6 || e.nat64_fetch_ok;
    return e.nat64_prefix.has_value() && nat64_path
               ? v6scope::v1::V6_ONLY_NAT64  // C2
               : v6scope::v1::V6_ONLY;       // C3
  }
  if (e.dual_v6) return v6scope::v1::V6_PREFERRED;  // C4
  if (e.v6_name) return v6scope::v1::V6_CAPABLE;    // C5
  // IPv6 counts as configured when the inventory shows an address beyond
  // link-local or a default route, or when an IPv6 fetch worked at all
  // (the inventory may be missing).
  const bool v6_configured = e.host.v6_address || e.host.v6_route || e.v6_raw;
  if (!v6_configured) return v6scope::v1::V4_ONLY;     // C7
  if (e.v6_pinned_ran) return v6scope::v1::V6_BROKEN;  // C6
  return v6scope::v1::CAPABILITY_UNSPECIFIED;          // C8: IPv6 never tested.
}

// The root-cause table, in ascending enum order. BROKEN_V6_PATH (v1) is
// never set: V6_UNREACHABLE and V6_BLACKHOLE replace it.
void AddRootCauses(const Evidence& e, Verdict& verdict) {
  const HostFacts& h = e.host;
  const auto add_if = [&verdict](bool applies, RootCause cause) {
    if (applies) verdict.add_root_causes(cause);
  };
  const bool nat64 = e.nat64_prefix.has_value();
  // Address and route, but no IPv6 fetch worked while IPv4 did (the IPv4
  // control rules out dead targets or a dead uplink).
  const bool v6_path_dead =
      h.v6_address && h.v6_route && !e.v6_raw && e.v4_native;
  add_if(e.v6_small_raw && e.large_stalled, v6scope::v1::PMTU_BLACKHOLE);  // R1
  add_if(e.aaaa_withheld && e.dns_a_ok && e.v6_raw,
         v6scope::v1::AAAA_FILTERED);                                     // R3
  add_if(e.v6ns_failed && e.dns_a_ok, v6scope::v1::RESOLVER_NO_V6);       // R4
  add_if(h.only_6to4, v6scope::v1::TUNNEL_6TO4);                          // R5
  add_if(h.only_teredo, v6scope::v1::TUNNEL_TEREDO);                      // R6
  add_if(h.ula_only, v6scope::v1::ULA_ONLY);                              // R7
  add_if(nat64 && !e.nat64_fetch_failed, v6scope::v1::NAT64);             // R8
  add_if(e.slow_v6, v6scope::v1::SLOW_V6);                                // R9
  add_if(h.cgnat, v6scope::v1::BEHIND_CGNAT);                             // R11
  add_if(h.v6_global && !h.v6_route, v6scope::v1::NO_V6_DEFAULT_ROUTE);   // R12
  add_if(v6_path_dead && e.v6_unreachable, v6scope::v1::V6_UNREACHABLE);  // R13
  add_if(v6_path_dead && !e.v6_unreachable && e.v6_silent,
         v6scope::v1::V6_BLACKHOLE);                                 // R14
  add_if(nat64 && e.nat64_fetch_failed, v6scope::v1::NAT64_BROKEN);  // R15
  add_if(h.v4_configured && !e.v4_native && e.v4_transport_failed && e.v6_raw,
         v6scope::v1::V4_PATH_BROKEN);  // R16
}

}  // namespace

std::optional<absl::Duration> HandshakeGap(const Run& run) {
  const std::optional<HandshakePairTimes> pair = HandshakePair(RunTests(run));
  if (!pair.has_value()) return std::nullopt;
  return pair->v6 - pair->v4;
}

Verdict ComputeVerdict(const Run& run, const VerdictThresholds& t) {
  const RunTests tests(run);
  const Evidence evidence = GatherEvidence(tests, run.inventory(), t);
  Verdict verdict;
  verdict.set_capability(DecideCapability(evidence));
  AddRootCauses(evidence, verdict);
  verdict.set_score(Score(evidence, verdict));
  verdict.set_methodology_version(kMethodologyVersion);
  AddExplanations(run, tests, evidence, t, verdict);
  return verdict;
}

}  // namespace v6scope::methodology
