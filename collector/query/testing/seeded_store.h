// A SQLite store in the test's temp dir holding a small synthetic fleet:
// its probes enrolled (so they are listed) and their runs stored (so the
// rollups hold aggregates). For tests of the read path and its adapters.
#ifndef V6SCOPE_COLLECTOR_QUERY_TESTING_SEEDED_STORE_H_
#define V6SCOPE_COLLECTOR_QUERY_TESTING_SEEDED_STORE_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "collector/sample/synthetic_fleet.h"
#include "collector/store/store.h"

namespace v6scope::collector::query::testing {

struct SeededStore {
  std::unique_ptr<store::Store> store;
  collector::sample::SyntheticFleetOptions fleet;
  std::vector<std::string> probe_ids;  // Enrolled, in fleet order.
  uint64_t runs = 0;                   // Runs stored.
  // The first probe reported this many dropped runs (one extra batch).
  uint64_t dropped_runs_of_first_probe = 0;
};

// `probes` probes, `days` days of `runs_per_day` runs each, ending at
// fleet.end. `name` makes the database file unique within the test.
absl::StatusOr<SeededStore> SeedStore(const std::string& name, int probes,
                                      int days, int runs_per_day);

// Methodology 1 and 2 verdicts side by side, as a collector holds them
// once probes upgrade: one run per probe on one day, all in AS64500, KE,
// verdicts set directly (the collector never computes them).
//   v1-a..v1-c  methodology 1: V6_PREFERRED, V6_CAPABLE, V6_BROKEN with
//               BROKEN_V6_PATH
//   v2-a..v2-d  methodology 2, with explanations: V4_BROKEN with
//               V4_PATH_BROKEN, V6_ONLY with NAT64_BROKEN, V6_BROKEN with
//               V6_UNREACHABLE, V6_BROKEN with V6_BLACKHOLE
struct MixedVersionsStore {
  std::unique_ptr<store::Store> store;
  absl::Time day;  // Midnight UTC of the runs' day.
};
absl::StatusOr<MixedVersionsStore> SeedMixedVersions(const std::string& name);

}  // namespace v6scope::collector::query::testing

#endif  // V6SCOPE_COLLECTOR_QUERY_TESTING_SEEDED_STORE_H_
