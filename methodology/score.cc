#include "methodology/score.h"

#include <algorithm>
#include <cstdint>

#include "methodology/evidence.h"
#include "proto/results.pb.h"

namespace v6scope::methodology {
namespace {

// The points: ten; only S8 depends on another component (S2).
uint32_t Points(const Evidence& e) {
  uint32_t score = 0;
  if (e.v4_native || e.v4_via_v6) score += 1;  // S1 IPv4 content reachable.
  if (e.v6_name) score += 2;                   // S2 IPv6 by name (capable).
  if (e.v6_literal) score += 1;                // S3 IPv6 without DNS.
  if (e.dual_v6) score += 2;                   // S4 dual-stack prefers IPv6.
  if (e.dual_ok) score += 1;                   // S5 dual-stack name works.
  if (e.v6_large) score += 1;                  // S6 large packets over IPv6.
  if (e.v6ns_ok) score += 1;                   // S7 resolver has IPv6.
  if (e.v6_name && !e.slow_v6) score += 1;     // S8 IPv6 not slow.
  return score;
}

bool Has(const v6scope::v1::Verdict& verdict, v6scope::v1::RootCause cause) {
  const auto& causes = verdict.root_causes();
  return std::find(causes.begin(), causes.end(), cause) != causes.end();
}

}  // namespace

// What users feel dominates: a breakage every user of the network meets
// on ordinary sites caps the score whatever else works (docs §5).
uint32_t Score(const Evidence& e, const v6scope::v1::Verdict& verdict) {
  uint32_t cap = 10;
  // K1: the dual-stack name (what every dual-stack site looks like) fails,
  // or its large responses stall because the race goes to IPv6 over a
  // PMTU black hole. Worse than no IPv6 at all (IPv4-only scores 3).
  const bool pmtu_felt =
      Has(verdict, v6scope::v1::PMTU_BLACKHOLE) && e.dual_v6_raw;
  if (e.dual_failed || pmtu_felt) cap = std::min(cap, 1u);
  // K2: IPv4-only content (a large share of sites) unreachable while
  // something works.
  if (!e.v4_native && !e.v4_via_v6 && !e.nat64_fetch_ok && e.v6_counted) {
    cap = std::min(cap, 4u);
  }
  return std::min(Points(e), cap);
}

}  // namespace v6scope::methodology
