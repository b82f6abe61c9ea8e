// A synthetic fleet for tests, benchmarks and the dashboard demo: probes in
// a fixed set of networks (ASN, country) with per-network capability mixes,
// each producing runs that look like the probe's (made by
// methodology/synthetic/run_generator.h: the suite's tests, jittered timings,
// the verdict the methodology computes from them), plus attribution.
// Deterministic for a seed. Clearly synthetic: ASNs are real-looking but
// the mixes are invented; never present its numbers as measurements.
#ifndef V6SCOPE_COLLECTOR_SAMPLE_SYNTHETIC_FLEET_H_
#define V6SCOPE_COLLECTOR_SAMPLE_SYNTHETIC_FLEET_H_

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "collector/store/store.h"
#include "methodology/synthetic/run_generator.h"
#include "proto/results.pb.h"

namespace v6scope::collector::sample {

struct SyntheticNetwork {
  uint32_t asn;
  std::string country;
  std::string name;
  // Relative weights of V6_PREFERRED, V6_CAPABLE, V6_BROKEN, V4_ONLY,
  // V6_ONLY_NAT64.
  double preferred, capable, broken, v4_only, nat64;
};

// The built-in networks (a dozen countries over every ITU region).
const std::vector<SyntheticNetwork>& SyntheticNetworks();

struct SyntheticFleetOptions {
  int probes = 100;
  // Runs are spread over [end - days, end).
  int days = 7;
  int runs_per_day = 24;
  absl::Time end = absl::FromUnixSeconds(1'795'000'000);
  uint32_t seed = 1;
  // The networks probes are spread over (probe i in networks[i % size]);
  // empty: SyntheticNetworks().
  std::vector<SyntheticNetwork> networks;
};

class SyntheticFleet {
 public:
  explicit SyntheticFleet(const SyntheticFleetOptions& options);

  int probes() const { return options_.probes; }
  const SyntheticFleetOptions& options() const { return options_; }
  int days() const { return options_.days; }
  std::string ProbeId(int probe) const;
  const SyntheticNetwork& NetworkOf(int probe) const;

  // The runs of `probe` on day `day` (0 = the oldest). Deterministic.
  std::vector<v6scope::v1::Run> DayRuns(int probe, int day) const;
  // The same runs prepared as one batch, sequence numbers continuing from
  // earlier days, received at the end of the day.
  store::RunBatch DayBatch(int probe, int day) const;

  // Stores every probe's runs, `days_per_call` days of all probes per
  // StoreBatches call. Returns the number of runs stored.
  absl::StatusOr<uint64_t> StoreAll(store::Store& store) const;

 private:
  v6scope::v1::Run MakeRun(
      int probe, absl::Time started,
      methodology::synthetic::RunGenerator& generator) const;

  SyntheticFleetOptions options_;
};

}  // namespace v6scope::collector::sample

#endif  // V6SCOPE_COLLECTOR_SAMPLE_SYNTHETIC_FLEET_H_
