// What one run says about its probe's network, reduced to what the
// aggregates count: the unit of the rollups (docs/aggregation.md).
#ifndef V6SCOPE_METHODOLOGY_OBSERVATION_H_
#define V6SCOPE_METHODOLOGY_OBSERVATION_H_

#include <cstdint>
#include <optional>
#include <string>

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

  bool HasCause(v6scope::v1::RootCause cause) const {
    return (root_causes >> static_cast<int>(cause)) & 1u;
  }
  friend bool operator==(const Observation& a, const Observation& b) {
    return a.capability == b.capability && a.root_causes == b.root_causes &&
           a.resolver_v6 == b.resolver_v6 && a.gap_us == b.gap_us &&
           a.asn == b.asn && a.country == b.country;
  }
};

// Reads the stored verdict (never recomputed here), the DNS_V6NS test and
// the attribution of `run`.
Observation Observe(const v6scope::v1::Run& run);

// The classes counted, as docs/methodology.md §8 defines them to match
// APNIC's series.
// Measured: a verdict other than none or OFFLINE (the denominator).
bool IsMeasured(const Observation& o);
// V6_PREFERRED, V6_CAPABLE, V6_ONLY, V6_ONLY_NAT64.
bool IsV6Capable(const Observation& o);
// V6_PREFERRED, V6_ONLY, V6_ONLY_NAT64.
bool IsV6Preferred(const Observation& o);
// V6_BROKEN.
bool IsV6Broken(const Observation& o);
// PMTU_BLACKHOLE among the causes.
bool IsPmtuBroken(const Observation& o);
// V6_ONLY_NAT64, or the NAT64 cause (DNS64/NAT64 on a dual-stack network).
bool IsBehindNat64(const Observation& o);

}  // namespace v6scope::methodology

#endif  // V6SCOPE_METHODOLOGY_OBSERVATION_H_
