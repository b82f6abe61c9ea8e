// What one run says about its probe's network, reduced to what the
// aggregates count: the unit of the rollups (docs/aggregation.md).
#ifndef V6SCOPE_METHODOLOGY_OBSERVATION_H_
#define V6SCOPE_METHODOLOGY_OBSERVATION_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "proto/results.pb.h"

namespace v6scope::methodology {

// Whether the probe's resolver reached a name served only over IPv6.
// Values are stored: never renumber.
enum class ResolverV6 { kNotTested = 0, kNo = 1, kYes = 2 };

struct Observation {
  v6scope::v1::Capability capability = v6scope::v1::CAPABILITY_UNSPECIFIED;
  // Bit (1 << cause) for each RootCause of the verdict (causes are < 32).
  uint32_t root_causes = 0;
  ResolverV6 resolver_v6 = ResolverV6::kNotTested;
  // IPv6 minus IPv4 handshake time, microseconds (the SLOW_V6 pair).
  std::optional<int64_t> gap_us;
  // Attribution at ingest (0 / "" unknown).
  uint32_t asn = 0;
  std::string country;
  // Methodology version of the stored verdict ("1", "2"; "" for a run
  // uploaded without one), copied, never recomputed: a methodology 1 run
  // is counted as methodology 1 forever.
  std::string methodology_version;

  bool HasCause(v6scope::v1::RootCause cause) const {
    return (root_causes >> static_cast<int>(cause)) & 1u;
  }
  friend bool operator==(const Observation& a, const Observation& b) {
    return a.capability == b.capability && a.root_causes == b.root_causes &&
           a.resolver_v6 == b.resolver_v6 && a.gap_us == b.gap_us &&
           a.asn == b.asn && a.country == b.country &&
           a.methodology_version == b.methodology_version;
  }
};

// Every methodology version a stored verdict can carry, ascending: what
// the aggregates' methodology filter accepts. kMethodologyVersion
// (verdict.h) is among them; a new version is appended here with it.
const std::vector<std::string>& KnownMethodologyVersions();

// True for a version of KnownMethodologyVersions().
bool IsKnownMethodologyVersion(const std::string& version);

// Reads the stored verdict (never recomputed here, methodology version
// included), the DNS_V6NS test and the attribution of `run`.
Observation Observe(const v6scope::v1::Run& run);

// The classes counted, as docs/methodology.md §8 defines them to match
// APNIC's series, and docs/aggregation.md §3 lists them.
// Measured: a verdict other than none or OFFLINE (the denominator).
bool IsMeasured(const Observation& o);
// V6_PREFERRED, V6_CAPABLE, V6_ONLY, V6_ONLY_NAT64, V4_BROKEN (IPv6
// works there: that is what V4_BROKEN means).
bool IsV6Capable(const Observation& o);
// V6_PREFERRED, V6_ONLY, V6_ONLY_NAT64. Not V4_BROKEN: its traffic goes
// over IPv6 because IPv4 is faulty, not because IPv6 is preferred.
bool IsV6Preferred(const Observation& o);
// V6_BROKEN.
bool IsV6Broken(const Observation& o);
// V4_BROKEN (methodology 2): IPv4 configured but failing, IPv6 working.
bool IsV4Broken(const Observation& o);
// PMTU_BLACKHOLE among the causes.
bool IsPmtuBroken(const Observation& o);
// V6_ONLY_NAT64, or the NAT64 cause (DNS64/NAT64 on a dual-stack
// network), or NAT64_BROKEN: a network whose resolver synthesizes
// addresses is behind DNS64/NAT64 even while its translator is down.
bool IsBehindNat64(const Observation& o);

}  // namespace v6scope::methodology

#endif  // V6SCOPE_METHODOLOGY_OBSERVATION_H_
