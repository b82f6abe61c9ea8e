// The one rollup rebuild both backends run (RollupStore::RebuildRollups).
//
// It scans every stored run in arrival order, slice by slice, recomputes
// the rollups with the same merge ingest uses (collector/aggregate/
// rollup.h; the merge is associative, so merging slice by slice gives the
// rows ingest maintained while memory stays bounded by one slice and the
// rows), copies each run's attribution into its asn/country columns where
// they disagree (runs stored before schema v2), and replaces the rollup
// rows, all in one transaction. A backend supplies a RollupRebuildTarget:
// the few statements over its own tables.
#ifndef V6SCOPE_COLLECTOR_STORE_ROLLUP_REBUILD_H_
#define V6SCOPE_COLLECTOR_STORE_ROLLUP_REBUILD_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "collector/aggregate/rollup.h"
#include "collector/store/rollup_store.h"
#include "proto/query_service.pb.h"

namespace v6scope::collector::store {

// One stored run as the rebuild scans it.
struct ScannedRun {
  int64_t id = 0;                 // Arrival position (the runs table's id).
  v6scope::v1::StoredRun stored;  // Parsed from the stored blob.
  // The run's asn and country columns, as stored.
  int64_t asn_column = 0;
  std::string country_column;
};

// A run whose asn/country columns are to be set from its attribution.
struct ColumnBackfill {
  int64_t id = 0;
  uint32_t asn = 0;
  std::string country;
};

// One backend's tables, as the rebuild sees them.
class RollupRebuildTarget {
 public:
  virtual ~RollupRebuildTarget() = default;

  // Runs `body` in one write transaction: commits if it returns OK, rolls
  // back otherwise and returns its error. Readers keep seeing the old
  // rows until it commits.
  virtual absl::Status InTransaction(
      absl::FunctionRef<absl::Status()> body) = 0;

  // Deletes every rollup row, and keeps ingest from adding to the rollups
  // until the transaction ends (so no run is counted twice).
  virtual absl::Status ClearRollups() = 0;

  // Calls `visit` for up to `limit` runs with id > `after`, in id order.
  // DATA_LOSS naming the run for one that does not parse. `visit` must not
  // call back into the target.
  virtual absl::Status ScanRuns(
      int64_t after, int64_t limit,
      absl::FunctionRef<void(const ScannedRun&)> visit) = 0;

  // Sets the runs' asn/country columns.
  virtual absl::Status BackfillColumns(
      const std::vector<ColumnBackfill>& backfills) = 0;

  // Merges `rows` into the rollup rows as ingest does (MergeProbeWindow).
  virtual absl::Status MergeRollups(
      const std::vector<aggregate::ProbeWindow>& rows) = 0;

  // The number of rollup rows.
  virtual absl::StatusOr<uint64_t> CountRollups() = 0;
};

// Runs read and merged per slice.
inline constexpr int64_t kRebuildSlice = 10000;

// Recomputes every rollup row of `target` from its runs (see above).
// INVALID_ARGUMENT if `slice` < 1; errors of the target otherwise, after
// which nothing has changed.
absl::StatusOr<RebuildReport> RunRollupRebuild(RollupRebuildTarget& target,
                                               int64_t slice = kRebuildSlice);

}  // namespace v6scope::collector::store

#endif  // V6SCOPE_COLLECTOR_STORE_ROLLUP_REBUILD_H_
