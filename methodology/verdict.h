// The verdict of one run of the capability suite: capability class,
// root-cause labels, a 0-10 IPv6 readiness score and one plain sentence per
// label, derived from the run's raw tests and address inventory by the
// rules of docs/methodology.md.
//
// ComputeVerdict() (methodology 2) and ComputeVerdictV1() (methodology 1,
// frozen) are pure functions of the Run's contents (inventory and tests;
// never the clock, the host or an existing verdict), so the probe and the
// collector compute the same verdict from the same run. The collector never
// re-reads a stored run under another version: a v1 run keeps its v1
// verdict. Both are thread-safe. V4_V6_ASN_MISMATCH is never set here: only
// the collector knows the origin ASNs.
#ifndef V6SCOPE_METHODOLOGY_VERDICT_H_
#define V6SCOPE_METHODOLOGY_VERDICT_H_

#include <optional>

#include "absl/time/time.h"
#include "proto/results.pb.h"

namespace v6scope::methodology {

// Version of the rules in docs/methodology.md that ComputeVerdict()
// implements, stored in every Verdict so that figures made under different
// rules are never mixed. Bump it whenever a rule, a default threshold or a
// score component changes (and keep the old rules as a frozen function).
inline constexpr char kMethodologyVersion[] = "2";
// The version ComputeVerdictV1() stamps.
inline constexpr char kMethodologyVersionV1[] = "1";

// Tunable thresholds. The defaults are those of methodology versions 1 and
// 2 alike (a version that changes them must give the older versions their
// own defaults); a verdict computed with other values must not be
// published under either version.
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

// The methodology 2 verdict of `run` (capability, distinct root causes in
// ascending enum order, score, one explanation per label: the capability
// first, then each cause in order; methodology_version =
// kMethodologyVersion). Any run is accepted: missing tests count as not
// run, a repeated test kind counts once (the first), unknown test kinds
// are ignored and unknown outcome values count as failures.
v6scope::v1::Verdict ComputeVerdict(const v6scope::v1::Run& run,
                                    const VerdictThresholds& t = {});

// The methodology 1 verdict (frozen; no explanations; methodology_version
// = kMethodologyVersionV1), kept so that version 1 stays reproducible.
v6scope::v1::Verdict ComputeVerdictV1(const v6scope::v1::Run& run,
                                      const VerdictThresholds& t = {});

// The IPv6 minus IPv4 TCP handshake time of the pair of fetches SLOW_V6
// compares (see VerdictThresholds; the same pair in versions 1 and 2), or
// nullopt when the run has no comparable pair. Negative when IPv6
// connected faster.
std::optional<absl::Duration> HandshakeGap(const v6scope::v1::Run& run);

}  // namespace v6scope::methodology

#endif  // V6SCOPE_METHODOLOGY_VERDICT_H_
