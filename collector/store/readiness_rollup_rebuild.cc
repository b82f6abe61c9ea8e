#include "collector/store/readiness_rollup_rebuild.h"

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "collector/aggregate/readiness/rollup.h"
#include "collector/store/check_blob.h"
#include "common/log/log.h"
#include "proto/readiness.pb.h"

namespace v6scope::collector::store {
namespace {

namespace readiness = aggregate::readiness;

// The verdict's version of a result stored before step 9; nullopt when
// its check does not parse.
std::optional<std::string> VersionOfBlob(const ScannedDomainResult& r) {
  v6scope::v1::DomainCheck check;
  if (!ParseStoredCheck(r.check_blob, &check).ok()) return std::nullopt;
  return check.verdict().methodology_version();
}

// Scans the slice after `*after` (moved past it), folds it into the table
// and backfills versions. Returns the results scanned.
absl::StatusOr<int64_t> RebuildSlice(ReadinessRebuildTarget& target,
                                     int64_t slice, DomainResultKey* after,
                                     ReadinessRebuildReport* report) {
  readiness::ReadinessRollupDeltas deltas;
  std::vector<VersionBackfill> backfills;
  int64_t scanned = 0;
  absl::Status read = target.ScanDomainResults(
      *after, slice, [&](const ScannedDomainResult& r) {
        ++scanned;
        *after = r.key;
        if (!r.result.methodology_version.empty()) {
          deltas.Add(r.result);
          return;
        }
        std::optional<std::string> version = VersionOfBlob(r);
        if (!version.has_value()) {
          if (report->results_unreadable++ == 0) {
            report->first_unreadable =
                absl::StrCat("probe ", r.key.probe_id, " seq ", r.key.seq);
          }
          return;
        }
        readiness::ReadinessResult result = r.result;
        result.methodology_version = *version;
        deltas.Add(result);
        backfills.push_back({r.key, *std::move(version)});
      });
  if (!read.ok()) return read;
  report->results_scanned += static_cast<uint64_t>(scanned);
  if (!backfills.empty()) {
    absl::Status backfilled = target.BackfillVersions(backfills);
    if (!backfilled.ok()) return backfilled;
  }
  if (!deltas.empty()) {
    absl::Status merged = target.MergeReadinessRollups(deltas.Take());
    if (!merged.ok()) return merged;
  }
  return scanned;
}

absl::Status Rebuild(ReadinessRebuildTarget& target, int64_t slice,
                     ReadinessRebuildReport* report) {
  absl::Status cleared = target.ClearReadinessRollups();
  if (!cleared.ok()) return cleared;
  DomainResultKey after;
  while (true) {
    absl::StatusOr<int64_t> scanned =
        RebuildSlice(target, slice, &after, report);
    if (!scanned.ok()) return scanned.status();
    if (*scanned < slice) break;
  }
  absl::StatusOr<uint64_t> rows = target.CountReadinessRollups();
  if (!rows.ok()) return rows.status();
  report->rows_written = *rows;
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<ReadinessRebuildReport> RunReadinessRollupRebuild(
    ReadinessRebuildTarget& target, int64_t slice) {
  if (slice < 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("rebuild slice ", slice, " is not positive"));
  }
  ReadinessRebuildReport report;
  absl::Status rebuilt = target.InTransaction(
      [&]() -> absl::Status { return Rebuild(target, slice, &report); });
  if (!rebuilt.ok()) return rebuilt;
  if (report.results_unreadable > 0) {
    log::Warn("store.readiness_results_unreadable",
              {{"results", static_cast<int64_t>(report.results_unreadable)},
               {"first", report.first_unreadable},
               {"effect", "left out of the readiness rollups, kept stored"}});
  }
  return report;
}

}  // namespace v6scope::collector::store
