// `v6scope-collector sample-data`: a realistic, clearly marked synthetic
// fleet for a researcher's first hour (docs/guides/researcher.md). The
// probes are enrolled in the registry with the synthetic mark (so every
// answer says "synthetic": ProbeSummary.synthetic,
// GroupAggregate.synthetic_probes) and their runs end at `end` (now).
// Never present its numbers as measurements.
#ifndef V6SCOPE_COLLECTOR_SAMPLE_SAMPLE_DATA_H_
#define V6SCOPE_COLLECTOR_SAMPLE_SAMPLE_DATA_H_

#include <cstdint>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "collector/store/store.h"

namespace v6scope::collector::sample {

// The organisation every sample probe is enrolled under.
inline constexpr char kSampleOrg[] = "sample data (synthetic)";

struct SampleDataOptions {
  int probes = 100;
  int days = 7;
  int runs_per_day = 24;
  uint32_t seed = 1;
  absl::Time end;  // The newest runs end here: pass now.
};

struct SampleDataReport {
  int enrolled = 0;          // Probes enrolled by this call.
  int already_enrolled = 0;  // Sample probes an earlier call enrolled.
  uint64_t runs = 0;         // Runs stored (an earlier call's are kept).
};

// INVALID_ARGUMENT for counts out of range (probes 1..10000, days 1..400,
// runs_per_day 1..1440); ALREADY_EXISTS when a probe id of the fleet
// belongs to a probe that is not synthetic.
absl::StatusOr<SampleDataReport> AddSampleData(
    store::Store& store, const SampleDataOptions& options);

}  // namespace v6scope::collector::sample

#endif  // V6SCOPE_COLLECTOR_SAMPLE_SAMPLE_DATA_H_
