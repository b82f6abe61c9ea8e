// The one readiness rollup rebuild both backends run
// (ReadinessRollupStore::RebuildReadinessRollups), in the shape of
// rollup_rebuild.h.
//
// It scans every stored readiness result in (probe_id, seq) order, slice
// by slice, folds each slice with the merge ingest uses
// (aggregate::readiness::ReadinessRollupDeltas) and merges it into the
// emptied table with ingest's own upsert (the merge is associative and
// commutative, so slice by slice gives the rows ingest kept, while memory
// stays bounded by one slice). Results stored before schema step 9 have
// no methodology_version column value (''): their check is parsed for the
// verdict's version and the column is backfilled, so that a later rebuild
// reads columns only. All in one transaction.
#ifndef V6SCOPE_COLLECTOR_STORE_READINESS_ROLLUP_REBUILD_H_
#define V6SCOPE_COLLECTOR_STORE_READINESS_ROLLUP_REBUILD_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "collector/aggregate/readiness/result.h"
#include "collector/aggregate/readiness/rollup.h"
#include "collector/store/readiness_rollup_store.h"

namespace v6scope::collector::store {

// Where a scan stands: the last (probe_id, seq) seen.
struct DomainResultKey {
  std::string probe_id;
  int64_t seq = 0;
};

// One stored result as the rebuild scans it: its columns, and (only when
// the methodology_version column is '') its check_blob.
struct ScannedDomainResult {
  DomainResultKey key;
  aggregate::readiness::ReadinessResult result;  // Version may be ''.
  std::string check_blob;  // Set only when result.methodology_version is ''.
};

// A result whose methodology_version column is to be set.
struct VersionBackfill {
  DomainResultKey key;
  std::string methodology_version;
};

// One backend's tables, as the rebuild sees them.
class ReadinessRebuildTarget {
 public:
  virtual ~ReadinessRebuildTarget() = default;

  // Runs `body` in one write transaction: commits if it returns OK, rolls
  // back otherwise. Readers keep seeing the old rows until it commits.
  virtual absl::Status InTransaction(
      absl::FunctionRef<absl::Status()> body) = 0;

  // Deletes every readiness rollup row (and the migration's "rebuild
  // pending" mark), and keeps ingest from adding to the rows until the
  // transaction ends (so no result is counted twice).
  virtual absl::Status ClearReadinessRollups() = 0;

  // Calls `visit` for up to `limit` results after `after` in (probe_id,
  // seq) order. `visit` must not call back into the target.
  virtual absl::Status ScanDomainResults(
      const DomainResultKey& after, int64_t limit,
      absl::FunctionRef<void(const ScannedDomainResult&)> visit) = 0;

  // Sets the results' methodology_version columns.
  virtual absl::Status BackfillVersions(
      const std::vector<VersionBackfill>& backfills) = 0;

  // Merges `rows` (key order) into the table as ingest does.
  virtual absl::Status MergeReadinessRollups(
      const std::vector<aggregate::readiness::DomainRollup>& rows) = 0;

  // The number of readiness rollup rows.
  virtual absl::StatusOr<uint64_t> CountReadinessRollups() = 0;
};

inline constexpr int64_t kReadinessRebuildSlice = 10000;

// Recomputes every readiness rollup row of `target` (see above).
// INVALID_ARGUMENT if `slice` < 1; errors of the target otherwise, after
// which nothing has changed. A result whose check does not parse (only
// results stored before step 9 are parsed) is left out, counted in the
// report and logged (store.readiness_results_unreadable), so that a
// rebuild on open never keeps the collector from starting.
absl::StatusOr<ReadinessRebuildReport> RunReadinessRollupRebuild(
    ReadinessRebuildTarget& target, int64_t slice = kReadinessRebuildSlice);

}  // namespace v6scope::collector::store

#endif  // V6SCOPE_COLLECTOR_STORE_READINESS_ROLLUP_REBUILD_H_
