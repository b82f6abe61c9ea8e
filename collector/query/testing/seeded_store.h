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
#include "collector/store/store.h"
#include "collector/testing/synthetic_fleet.h"

namespace v6scope::collector::query::testing {

struct SeededStore {
  std::unique_ptr<store::Store> store;
  collector::testing::SyntheticFleetOptions fleet;
  std::vector<std::string> probe_ids;  // Enrolled, in fleet order.
  uint64_t runs = 0;                   // Runs stored.
  // The first probe reported this many dropped runs (one extra batch).
  uint64_t dropped_runs_of_first_probe = 0;
};

// `probes` probes, `days` days of `runs_per_day` runs each, ending at
// fleet.end. `name` makes the database file unique within the test.
absl::StatusOr<SeededStore> SeedStore(const std::string& name, int probes,
                                      int days, int runs_per_day);

}  // namespace v6scope::collector::query::testing

#endif  // V6SCOPE_COLLECTOR_QUERY_TESTING_SEEDED_STORE_H_
