#include "collector/store/rollup_rebuild.h"

#include <google/protobuf/util/time_util.h>

#include <cstdint>
#include <map>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "collector/aggregate/rollup.h"
#include "collector/aggregate/window.h"
#include "collector/store/rollup_store.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "proto/query_service.pb.h"
#include "proto/results.pb.h"

namespace v6scope::collector::store {
namespace {

using ::google::protobuf::util::TimeUtil;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Pair;

// 2026-03-02 is a Monday.
absl::Time Day(int day, int hour = 12) {
  return absl::FromCivil(absl::CivilHour(2026, 3, 2 + day, hour),
                         absl::UTCTimeZone());
}

// A run as a backend holds it: its columns and its stored form.
struct MemoryRun {
  int64_t id = 0;
  v6scope::v1::StoredRun stored;
  int64_t asn_column = 0;
  std::string country_column;
  bool corrupt = false;  // Its blob does not parse.
};

// A backend in memory. A transaction that fails restores the runs and the
// rollups as they were.
class MemoryTarget : public RollupRebuildTarget {
 public:
  using Key = std::tuple<int, int64_t, std::string>;

  absl::Status InTransaction(absl::FunctionRef<absl::Status()> body) override {
    const std::vector<MemoryRun> runs_before = runs;
    const std::map<Key, aggregate::ProbeWindow> rollups_before = rollups;
    absl::Status done = body();
    if (!done.ok()) {
      runs = runs_before;
      rollups = rollups_before;
    }
    return done;
  }

  absl::Status ClearRollups() override {
    rollups.clear();
    return absl::OkStatus();
  }

  absl::Status ScanRuns(
      int64_t after, int64_t limit,
      absl::FunctionRef<void(const ScannedRun&)> visit) override {
    scans.push_back(after);
    int64_t visited = 0;
    for (const MemoryRun& run : runs) {
      if (run.id <= after) continue;
      if (visited++ == limit) break;
      if (run.corrupt) {
        return absl::DataLossError(
            absl::StrCat("run ", run.id, " is not a valid v6scope.v1.Run"));
      }
      visit(ScannedRun{run.id, run.stored, run.asn_column, run.country_column});
    }
    return absl::OkStatus();
  }

  absl::Status BackfillColumns(
      const std::vector<ColumnBackfill>& backfills) override {
    for (const ColumnBackfill& b : backfills) {
      for (MemoryRun& run : runs) {
        if (run.id != b.id) continue;
        run.asn_column = b.asn;
        run.country_column = b.country;
      }
    }
    return absl::OkStatus();
  }

  absl::Status MergeRollups(
      const std::vector<aggregate::ProbeWindow>& rows) override {
    for (const aggregate::ProbeWindow& row : rows) {
      const Key key{static_cast<int>(row.kind), row.window_start_us,
                    row.probe_id};
      auto [it, inserted] = rollups.emplace(key, row);
      if (!inserted) aggregate::MergeProbeWindow(row, &it->second);
    }
    return absl::OkStatus();
  }

  absl::StatusOr<uint64_t> CountRollups() override { return rollups.size(); }

  // Appends a run received on day `received` that started on `started`,
  // with its columns matching its attribution unless `stale_columns`.
  void AddRun(const std::string& probe, uint64_t seq, int started,
              v6scope::v1::Capability capability, uint32_t asn = 64500,
              bool stale_columns = false) {
    MemoryRun run;
    run.id = static_cast<int64_t>(runs.size()) + 1;
    run.stored.set_probe_id(probe);
    run.stored.set_seq(seq);
    *run.stored.mutable_received_at() =
        TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(Day(40)));
    v6scope::v1::Run& r = *run.stored.mutable_run();
    *r.mutable_started_at() =
        TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(Day(started)));
    r.mutable_verdict()->set_capability(capability);
    r.mutable_attribution()->set_asn(asn);
    r.mutable_attribution()->set_country("KE");
    if (!stale_columns) {
      run.asn_column = asn;
      run.country_column = "KE";
    }
    runs.push_back(std::move(run));
  }

  // What ingest would have maintained: every run merged at once.
  std::vector<aggregate::ProbeWindow> Expected() const {
    aggregate::RollupDeltas deltas;
    for (const MemoryRun& run : runs) {
      deltas.Add(run.stored.probe_id(), run.stored.seq(), run.stored.run(),
                 absl::FromUnixMicros(TimeUtil::TimestampToMicroseconds(
                     run.stored.received_at())));
    }
    return deltas.Take();
  }

  std::vector<aggregate::ProbeWindow> Rows() const {
    std::vector<aggregate::ProbeWindow> rows;
    for (const auto& [key, row] : rollups) rows.push_back(row);
    return rows;
  }

  std::vector<MemoryRun> runs;  // In id (arrival) order.
  std::map<Key, aggregate::ProbeWindow> rollups;
  std::vector<int64_t> scans;  // `after` of each ScanRuns call.
};

// Seven runs of three probes over two weeks, out of start order.
void AddFleet(MemoryTarget& db) {
  db.AddRun("p1", 1, 3, v6scope::v1::V6_PREFERRED);
  db.AddRun("p2", 1, 0, v6scope::v1::V4_ONLY);
  db.AddRun("p1", 2, 1, v6scope::v1::V6_BROKEN);  // Earlier: does not win.
  db.AddRun("p3", 7, 9, v6scope::v1::V6_PREFERRED);
  db.AddRun("p2", 2, 0, v6scope::v1::V6_PREFERRED);
  db.AddRun("p3", 8, 10, v6scope::v1::V4_ONLY);
  db.AddRun("p1", 3, 4, v6scope::v1::V6_PREFERRED);
}

aggregate::ProbeWindow StaleRow(const std::string& probe) {
  aggregate::ProbeWindow row;
  row.kind = aggregate::WindowKind::kDay;
  row.window_start_us = absl::ToUnixMicros(Day(0, 0));
  row.probe_id = probe;
  row.runs = 99;
  return row;
}

TEST(RollupRebuildTest, GivesTheRowsOfOneMergeOverAllRuns) {
  MemoryTarget db;
  AddFleet(db);
  absl::StatusOr<RebuildReport> report = RunRollupRebuild(db, /*slice=*/3);
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_EQ(db.Rows(), db.Expected());
  EXPECT_EQ(report->runs_scanned, 7u);
  EXPECT_EQ(report->rows_written, db.Expected().size());
  EXPECT_EQ(report->columns_backfilled, 0u);
  // Slices in arrival order, each after the last run of the one before.
  EXPECT_THAT(db.scans, ElementsAre(0, 3, 6));
}

TEST(RollupRebuildTest, SliceSizeDoesNotChangeTheResult) {
  for (int64_t slice : {1, 2, 7, 100}) {
    MemoryTarget db;
    AddFleet(db);
    absl::StatusOr<RebuildReport> report = RunRollupRebuild(db, slice);
    ASSERT_TRUE(report.ok()) << report.status();
    EXPECT_EQ(db.Rows(), db.Expected()) << "slice " << slice;
    EXPECT_EQ(report->runs_scanned, 7u);
  }
}

TEST(RollupRebuildTest, FullLastSliceEndsWithAnEmptyScan) {
  MemoryTarget db;
  AddFleet(db);
  db.runs.pop_back();  // Six runs, two slices of three.
  ASSERT_TRUE(RunRollupRebuild(db, 3).ok());
  EXPECT_THAT(db.scans, ElementsAre(0, 3, 6));
  EXPECT_EQ(db.Rows(), db.Expected());
}

TEST(RollupRebuildTest, ReplacesStaleRows) {
  MemoryTarget db;
  AddFleet(db);
  db.MergeRollups({StaleRow("p1"), StaleRow("gone")}).IgnoreError();
  ASSERT_TRUE(RunRollupRebuild(db).ok());
  EXPECT_EQ(db.Rows(), db.Expected());
}

TEST(RollupRebuildTest, EmptyStoreClearsTheRows) {
  MemoryTarget db;
  db.MergeRollups({StaleRow("gone")}).IgnoreError();
  absl::StatusOr<RebuildReport> report = RunRollupRebuild(db);
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_EQ(report->runs_scanned, 0u);
  EXPECT_EQ(report->rows_written, 0u);
  EXPECT_TRUE(db.rollups.empty());
}

TEST(RollupRebuildTest, BackfillsColumnsThatDisagreeWithTheAttribution) {
  MemoryTarget db;
  db.AddRun("p1", 1, 0, v6scope::v1::V6_PREFERRED, 64500,
            /*stale_columns=*/true);
  db.AddRun("p1", 2, 1, v6scope::v1::V6_PREFERRED, 64501);
  db.AddRun("p2", 1, 1, v6scope::v1::V4_ONLY, 64502, /*stale_columns=*/true);
  absl::StatusOr<RebuildReport> report = RunRollupRebuild(db, 2);
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_EQ(report->columns_backfilled, 2u);
  std::vector<std::pair<int64_t, std::string>> columns;
  for (const MemoryRun& run : db.runs) {
    columns.emplace_back(run.asn_column, run.country_column);
  }
  EXPECT_THAT(columns, ElementsAre(Pair(64500, "KE"), Pair(64501, "KE"),
                                   Pair(64502, "KE")));
  // Nothing left to copy the second time.
  EXPECT_EQ(RunRollupRebuild(db)->columns_backfilled, 0u);
}

TEST(RollupRebuildTest, UnparsableRunRollsEverythingBack) {
  MemoryTarget db;
  db.AddRun("p1", 1, 0, v6scope::v1::V6_PREFERRED, 64500,
            /*stale_columns=*/true);
  AddFleet(db);
  db.runs[5].corrupt = true;  // In the second slice of three.
  db.MergeRollups({StaleRow("gone")}).IgnoreError();
  absl::StatusOr<RebuildReport> report = RunRollupRebuild(db, 3);
  EXPECT_EQ(report.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(report.status().message(), HasSubstr("run 6"));
  // The old rows and the first slice's column backfill are back.
  ASSERT_EQ(db.rollups.size(), 1u);
  EXPECT_EQ(db.rollups.begin()->second, StaleRow("gone"));
  EXPECT_EQ(db.runs[0].asn_column, 0);
}

TEST(RollupRebuildTest, NonPositiveSliceIsInvalidArgument) {
  MemoryTarget db;
  EXPECT_EQ(RunRollupRebuild(db, 0).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(db.scans.empty());
}

}  // namespace
}  // namespace v6scope::collector::store
