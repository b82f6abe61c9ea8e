#include "collector/store/rollup_rebuild.h"

#include <google/protobuf/util/time_util.h>

#include <cstdint>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "collector/aggregate/rollup.h"
#include "collector/store/rollup_store.h"
#include "proto/query_service.pb.h"
#include "proto/results.pb.h"

namespace v6scope::collector::store {
namespace {

using ::google::protobuf::util::TimeUtil;

// Scans the slice of runs after `*after` (moved past it), merges them into
// the rollups and backfills their columns. Returns the runs scanned.
absl::StatusOr<int64_t> RebuildSlice(RollupRebuildTarget& target, int64_t slice,
                                     int64_t* after, RebuildReport* report) {
  aggregate::RollupDeltas rollups;
  std::vector<ColumnBackfill> backfills;
  int64_t scanned = 0;
  absl::Status read =
      target.ScanRuns(*after, slice, [&](const ScannedRun& run) {
        ++scanned;
        *after = run.id;
        const v6scope::v1::StoredRun& stored = run.stored;
        rollups.Add(stored.probe_id(), stored.seq(), stored.run(),
                    absl::FromUnixMicros(TimeUtil::TimestampToMicroseconds(
                        stored.received_at())));
        // Runs stored before schema v2 have the columns' defaults.
        const v6scope::v1::Attribution& a = stored.run().attribution();
        if (run.asn_column != a.asn() || run.country_column != a.country()) {
          backfills.push_back({run.id, a.asn(), a.country()});
        }
      });
  if (!read.ok()) return read;
  report->runs_scanned += scanned;
  if (!backfills.empty()) {
    absl::Status backfilled = target.BackfillColumns(backfills);
    if (!backfilled.ok()) return backfilled;
    report->columns_backfilled += backfills.size();
  }
  if (!rollups.empty()) {
    absl::Status merged = target.MergeRollups(rollups.Take());
    if (!merged.ok()) return merged;
  }
  return scanned;
}

// The body of the rebuild's transaction.
absl::Status Rebuild(RollupRebuildTarget& target, int64_t slice,
                     RebuildReport* report) {
  absl::Status cleared = target.ClearRollups();
  if (!cleared.ok()) return cleared;
  int64_t after = 0;
  while (true) {
    absl::StatusOr<int64_t> scanned =
        RebuildSlice(target, slice, &after, report);
    if (!scanned.ok()) return scanned.status();
    if (*scanned < slice) break;
  }
  absl::StatusOr<uint64_t> rows = target.CountRollups();
  if (!rows.ok()) return rows.status();
  report->rows_written = *rows;
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<RebuildReport> RunRollupRebuild(RollupRebuildTarget& target,
                                               int64_t slice) {
  if (slice < 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("rebuild slice ", slice, " is not positive"));
  }
  RebuildReport report;
  absl::Status rebuilt = target.InTransaction(
      [&]() -> absl::Status { return Rebuild(target, slice, &report); });
  if (!rebuilt.ok()) return rebuilt;
  return report;
}

}  // namespace v6scope::collector::store
