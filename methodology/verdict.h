// The verdict of one run of the capability suite: capability class,
// root-cause labels and a 0-10 IPv6 readiness score, derived from the run's
// raw tests and address inventory by the rules of docs/methodology.md.
//
// ComputeVerdict() is a pure function of the Run's contents (inventory and
// tests; never the clock, the host or an existing verdict), so the probe
// and the collector compute the same verdict from the same run, and the
// collector can recompute stored runs when the methodology changes. It is
// thread-safe. V4_V6_ASN_MISMATCH is never set here: only the collector
// knows the origin ASNs.
#ifndef V6SCOPE_METHODOLOGY_VERDICT_H_
#define V6SCOPE_METHODOLOGY_VERDICT_H_

#include <optional>

#include "absl/time/time.h"
#include "proto/results.pb.h"

namespace v6scope::methodology {

// Version of the rules in docs/methodology.md that ComputeVerdict()
// implements, stored in every Verdict so that figures made under different
// rules are never mixed. Bump it whenever a rule, a default threshold or a
// score component changes.
inline constexpr char kMethodologyVersion[] = "1";

// Tunable thresholds. The defaults are methodology version 1; a verdict
// computed with other values must not be published under that version.
struct VerdictThresholds {
  // SLOW_V6 is set when the IPv6 TCP handshake (HTTP_V6_ONLY, else
  // HTTP_WHOAMI_V6) takes longer than the IPv4 one (HTTP_V4_ONLY, else
  // HTTP_WHOAMI_V4) by more than slow_v6_gap AND by more than the factor
  // slow_v6_ratio. Both must hold: the gap alone would
  // flag long paths where 10% jitter exceeds 100 ms, the ratio alone would
  // flag LAN noise (3 ms vs 1 ms). 100 ms is RFC 8305's recommended
  // Minimum Connection Attempt Delay, i.e. from there on a Happy Eyeballs
  // client may start IPv4 instead of waiting for IPv6, and about the
  // threshold of a delay people notice. 1.5x is what a detour through
  // a tunnel relay or a distant gateway typically adds; same-path
  // differences between the families stay well below it.
  absl::Duration slow_v6_gap = absl::Milliseconds(100);
  double slow_v6_ratio = 1.5;
};

// The verdict of `run` (capability, distinct root causes in ascending enum
// order, score, methodology_version = kMethodologyVersion). Any run is
// accepted: missing tests count as not run, a repeated test kind counts
// once (the first), unknown test kinds are ignored and unknown outcome
// values count as failures.
v6scope::v1::Verdict ComputeVerdict(const v6scope::v1::Run& run,
                                    const VerdictThresholds& t = {});

// The IPv6 minus IPv4 TCP handshake time of the pair of fetches SLOW_V6
// compares (see VerdictThresholds), or nullopt when the run has no
// comparable pair. Negative when IPv6 connected faster.
std::optional<absl::Duration> HandshakeGap(const v6scope::v1::Run& run);

}  // namespace v6scope::methodology

#endif  // V6SCOPE_METHODOLOGY_VERDICT_H_
