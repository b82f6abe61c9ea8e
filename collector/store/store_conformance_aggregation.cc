// The aggregation part of the Store conformance suite (see
// store_conformance.h): rollups kept at ingest, their rebuild from raw runs,
// and exports.
#include <google/protobuf/util/time_util.h>

#include <algorithm>
#include <cstdint>
#include <random>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "collector/aggregate/rollup.h"
#include "collector/aggregate/window.h"
#include "collector/ingest/prepare_run.h"
#include "collector/store/store.h"
#include "collector/store/store_conformance.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "proto/results.pb.h"

namespace v6scope::collector::store {
namespace {

using ::google::protobuf::util::TimeUtil;
using ::testing::ElementsAre;
using ::testing::Field;
using ::v6scope::v1::Run;

// 2026-03-02 is a Monday.
absl::Time Day(int day, int hour = 12) {
  return absl::FromCivil(absl::CivilHour(2026, 3, 2 + day, hour),
                         absl::UTCTimeZone());
}

Run MakeRun(absl::Time started, v6scope::v1::Capability capability,
            uint32_t asn = 64500, const std::string& country = "KE") {
  Run run;
  *run.mutable_started_at() =
      TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(started));
  run.mutable_verdict()->set_capability(capability);
  run.mutable_verdict()->set_methodology_version("1");
  if (capability == v6scope::v1::V6_BROKEN) {
    run.mutable_verdict()->add_root_causes(v6scope::v1::PMTU_BLACKHOLE);
  }
  if (capability == v6scope::v1::V4_BROKEN) {  // Only methodology 2 says it.
    run.mutable_verdict()->set_methodology_version("2");
    run.mutable_verdict()->add_root_causes(v6scope::v1::V4_PATH_BROKEN);
  }
  v6scope::v1::TestResult* v6ns = run.add_tests();
  v6ns->set_kind(v6scope::v1::DNS_V6NS);
  v6ns->set_outcome(v6scope::v1::OK);
  run.mutable_attribution()->set_asn(asn);
  run.mutable_attribution()->set_country(country);
  return run;
}

// A methodology 2 run with the verdict it gave (built directly: the
// collector stores verdicts, it never computes them).
Run MakeV2Run(absl::Time started, v6scope::v1::Capability capability,
              std::vector<v6scope::v1::RootCause> causes, uint32_t asn = 64500,
              const std::string& country = "KE") {
  Run run = MakeRun(started, capability, asn, country);
  run.mutable_verdict()->clear_root_causes();
  for (v6scope::v1::RootCause cause : causes) {
    run.mutable_verdict()->add_root_causes(cause);
  }
  run.mutable_verdict()->set_methodology_version("2");
  v6scope::v1::Explanation* why = run.mutable_verdict()->add_explanations();
  why->set_label(v6scope::v1::Capability_Name(capability));
  why->set_text("what was seen");
  return run;
}

RunBatch Batch(const std::string& probe, uint64_t first_seq,
               std::vector<v6scope::v1::Run> runs) {
  RunBatch batch;
  batch.probe_id = probe;
  batch.first_seq = first_seq;
  for (const v6scope::v1::Run& run : runs)
    batch.runs.push_back(*ingest::PrepareRun(run));
  batch.received_at = Day(40);
  return batch;
}

std::vector<aggregate::ProbeWindow> Windows(Store& store,
                                            aggregate::WindowKind kind,
                                            ProbeWindowQuery query = {}) {
  query.kind = kind;
  absl::StatusOr<std::vector<aggregate::ProbeWindow>> rows =
      store.ListProbeWindows(query);
  EXPECT_TRUE(rows.ok()) << rows.status();
  return rows.ok() ? *rows : std::vector<aggregate::ProbeWindow>();
}

std::vector<aggregate::ProbeWindow> AllWindows(Store& store) {
  std::vector<aggregate::ProbeWindow> all;
  for (aggregate::WindowKind kind : aggregate::kAllWindowKinds) {
    std::vector<aggregate::ProbeWindow> rows = Windows(store, kind);
    all.insert(all.end(), rows.begin(), rows.end());
  }
  return all;
}

TEST_P(StoreConformanceTest, RollupCountsRunsAndKeepsLatestPerProbe) {
  // Arrive out of order: the run that started last wins, not the last sent.
  ASSERT_TRUE(store()
                  .StoreBatches({Batch(
                      "p1", 1,
                      {MakeRun(Day(0, 10), v6scope::v1::V6_BROKEN),
                       MakeRun(Day(0, 14), v6scope::v1::V6_PREFERRED, 64501),
                       MakeRun(Day(0, 8), v6scope::v1::V4_ONLY)})})
                  .ok());
  std::vector<aggregate::ProbeWindow> days =
      Windows(store(), aggregate::WindowKind::kDay);
  ASSERT_EQ(days.size(), 1u);
  EXPECT_EQ(days[0].probe_id, "p1");
  EXPECT_EQ(days[0].window_start_us, absl::ToUnixMicros(Day(0, 0)));
  EXPECT_EQ(days[0].runs, 3);
  EXPECT_EQ(days[0].latest_seq, 2);
  EXPECT_EQ(days[0].latest.capability, v6scope::v1::V6_PREFERRED);
  EXPECT_EQ(days[0].latest.asn, 64501u);
  EXPECT_EQ(days[0].latest.country, "KE");
  EXPECT_EQ(days[0].latest.resolver_v6, methodology::ResolverV6::kYes);

  // A later call with an older run changes the count, not the verdict.
  ASSERT_TRUE(store()
                  .StoreBatches({Batch(
                      "p1", 4, {MakeRun(Day(0, 9), v6scope::v1::V6_BROKEN)})})
                  .ok());
  days = Windows(store(), aggregate::WindowKind::kDay);
  ASSERT_EQ(days.size(), 1u);
  EXPECT_EQ(days[0].runs, 4);
  EXPECT_EQ(days[0].latest.capability, v6scope::v1::V6_PREFERRED);
}

TEST_P(StoreConformanceTest, DuplicateRunsAreNotCountedInRollups) {
  const RunBatch batch = Batch("p1", 1,
                               {MakeRun(Day(1), v6scope::v1::V6_CAPABLE),
                                MakeRun(Day(1, 13), v6scope::v1::V6_CAPABLE)});
  ASSERT_TRUE(store().StoreBatches({batch}).ok());
  ASSERT_TRUE(store().StoreBatches({batch, batch}).ok());  // Resends.
  std::vector<aggregate::ProbeWindow> days =
      Windows(store(), aggregate::WindowKind::kDay);
  ASSERT_EQ(days.size(), 1u);
  EXPECT_EQ(days[0].runs, 2);
}

TEST_P(StoreConformanceTest, RollupWindowsAreUtcDaysIsoWeeksAndMonths) {
  // Sunday 23:59:59 and Monday 00:00:00 are different weeks; 31 March and
  // 1 April different months.
  ASSERT_TRUE(
      store()
          .StoreBatches({Batch("p1", 1,
                               {MakeRun(Day(6, 23) + absl::Seconds(3599),
                                        v6scope::v1::V6_CAPABLE),
                                MakeRun(Day(7, 0), v6scope::v1::V6_CAPABLE),
                                MakeRun(Day(29, 23), v6scope::v1::V6_CAPABLE),
                                MakeRun(Day(30, 0), v6scope::v1::V6_CAPABLE)})})
          .ok());
  EXPECT_EQ(Windows(store(), aggregate::WindowKind::kDay).size(), 4u);
  std::vector<aggregate::ProbeWindow> weeks =
      Windows(store(), aggregate::WindowKind::kWeek);
  ASSERT_EQ(weeks.size(), 3u);  // Mar 2, Mar 9, Mar 30 (Mon).
  EXPECT_EQ(weeks[0].window_start_us, absl::ToUnixMicros(Day(0, 0)));
  EXPECT_EQ(weeks[0].runs, 1);
  EXPECT_EQ(weeks[1].window_start_us, absl::ToUnixMicros(Day(7, 0)));
  std::vector<aggregate::ProbeWindow> months =
      Windows(store(), aggregate::WindowKind::kMonth);
  ASSERT_EQ(months.size(), 2u);
  EXPECT_EQ(months[0].runs, 3);
  EXPECT_EQ(months[1].window_start_us,
            absl::ToUnixMicros(absl::FromCivil(absl::CivilDay(2026, 4, 1),
                                               absl::UTCTimeZone())));
}

TEST_P(StoreConformanceTest, ListProbeWindowsFilters) {
  ASSERT_TRUE(
      store()
          .StoreBatches(
              {Batch("a", 1,
                     {MakeRun(Day(0), v6scope::v1::V6_CAPABLE, 1, "KE")}),
               Batch("b", 1,
                     {MakeRun(Day(0), v6scope::v1::V6_CAPABLE, 2, "DE")}),
               Batch("c", 1,
                     {MakeRun(Day(1), v6scope::v1::V6_CAPABLE, 2, "DE")})})
          .ok());
  ProbeWindowQuery query;
  query.country = "DE";
  EXPECT_THAT(Windows(store(), aggregate::WindowKind::kDay, query),
              ElementsAre(Field(&aggregate::ProbeWindow::probe_id, "b"),
                          Field(&aggregate::ProbeWindow::probe_id, "c")));
  query = {};
  query.asn = 1;
  EXPECT_THAT(Windows(store(), aggregate::WindowKind::kDay, query),
              ElementsAre(Field(&aggregate::ProbeWindow::probe_id, "a")));
  query = {};
  query.from = Day(1, 0);
  query.to = Day(2, 0);
  EXPECT_THAT(Windows(store(), aggregate::WindowKind::kDay, query),
              ElementsAre(Field(&aggregate::ProbeWindow::probe_id, "c")));
}

TEST_P(StoreConformanceTest, RollupsKeepTheLatestRunsMethodologyVersion) {
  // p1 upgrades to methodology 2 on day 1; p2 stays on 1; p3 runs 2 only.
  ASSERT_TRUE(
      store()
          .StoreBatches(
              {Batch("p1", 1,
                     {MakeRun(Day(0, 10), v6scope::v1::V6_ONLY),
                      MakeV2Run(Day(1, 10), v6scope::v1::V6_ONLY,
                                {v6scope::v1::NAT64_BROKEN})}),
               Batch("p2", 1, {MakeRun(Day(1, 9), v6scope::v1::V6_BROKEN)}),
               Batch("p3", 1,
                     {MakeV2Run(
                         Day(1, 8), v6scope::v1::V6_BROKEN,
                         {v6scope::v1::ULA_ONLY, v6scope::v1::V6_BLACKHOLE})})})
          .ok());
  std::vector<aggregate::ProbeWindow> days =
      Windows(store(), aggregate::WindowKind::kDay);
  ASSERT_EQ(days.size(), 4u);  // p1 day 0; p1, p2, p3 day 1.
  EXPECT_EQ(days[0].probe_id, "p1");
  EXPECT_EQ(days[0].latest.methodology_version, "1");
  EXPECT_EQ(days[1].latest.methodology_version, "2");
  EXPECT_TRUE(days[1].latest.HasCause(v6scope::v1::NAT64_BROKEN));
  EXPECT_EQ(days[2].latest.methodology_version, "1");
  EXPECT_TRUE(days[2].latest.HasCause(v6scope::v1::PMTU_BLACKHOLE));
  EXPECT_EQ(days[3].latest.methodology_version, "2");
  EXPECT_TRUE(days[3].latest.HasCause(v6scope::v1::V6_BLACKHOLE));
  EXPECT_TRUE(days[3].latest.HasCause(v6scope::v1::ULA_ONLY));
  std::vector<aggregate::ProbeWindow> weeks =
      Windows(store(), aggregate::WindowKind::kWeek);
  ASSERT_EQ(weeks.size(), 3u);
  EXPECT_EQ(weeks[0].runs, 2);
  EXPECT_EQ(weeks[0].latest.methodology_version, "2");  // p1's latest.
  // A rebuild reads each stored verdict's version again: same rows.
  const std::vector<aggregate::ProbeWindow> ingested = AllWindows(store());
  ASSERT_TRUE(store().RebuildRollups().ok());
  EXPECT_TRUE(AllWindows(store()) == ingested);
}

TEST_P(StoreConformanceTest, RebuildGivesTheRowsIngestMaintained) {
  // Many probes, runs spread over five weeks, sent in shuffled batches;
  // methodology 1 and 2 verdicts mixed (each probe upgrades at some run).
  std::mt19937 random(7);
  const v6scope::v1::Capability kinds[] = {
      v6scope::v1::V6_PREFERRED, v6scope::v1::V6_CAPABLE,
      v6scope::v1::V6_BROKEN,    v6scope::v1::V4_ONLY,
      v6scope::v1::OFFLINE,      v6scope::v1::V4_BROKEN};
  const v6scope::v1::RootCause v2_causes[] = {
      v6scope::v1::V6_UNREACHABLE, v6scope::v1::V6_BLACKHOLE,
      v6scope::v1::NAT64_BROKEN, v6scope::v1::V4_PATH_BROKEN};
  std::vector<RunBatch> batches;
  for (int p = 0; p < 12; ++p) {
    std::vector<v6scope::v1::Run> runs;
    const int upgrade = static_cast<int>(random() % 41);
    for (int i = 0; i < 40; ++i) {
      const absl::Time at =
          Day(static_cast<int>(random() % 35), static_cast<int>(random() % 24));
      const uint32_t asn = 64500 + random() % 3;
      const v6scope::v1::Capability kind = kinds[random() % 6];
      runs.push_back(i < upgrade
                         ? MakeRun(at, kind, asn, p % 2 ? "KE" : "FJ")
                         : MakeV2Run(at, kind, {v2_causes[random() % 4]}, asn,
                                     p % 2 ? "KE" : "FJ"));
    }
    for (int first = 0; first < 40; first += 8) {
      batches.push_back(
          Batch(absl::StrCat("probe-", p), static_cast<uint64_t>(first) + 1,
                std::vector<v6scope::v1::Run>(runs.begin() + first,
                                              runs.begin() + first + 8)));
    }
  }
  std::shuffle(batches.begin(), batches.end(), random);
  for (size_t i = 0; i < batches.size(); i += 7) {
    std::vector<RunBatch> call(
        batches.begin() + i, batches.begin() + std::min(batches.size(), i + 7));
    ASSERT_TRUE(store().StoreBatches(call).ok());
  }
  const std::vector<aggregate::ProbeWindow> ingested = AllWindows(store());
  absl::StatusOr<RebuildReport> report = store().RebuildRollups();
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_EQ(report->runs_scanned, 12u * 40u);
  EXPECT_EQ(report->rows_written, ingested.size());
  EXPECT_TRUE(AllWindows(store()) == ingested);
  std::set<std::string> versions;
  for (const aggregate::ProbeWindow& row : ingested) {
    versions.insert(row.latest.methodology_version);
  }
  EXPECT_EQ(versions, (std::set<std::string>{"1", "2"}));
  int64_t runs = 0;
  for (const aggregate::ProbeWindow& row :
       Windows(store(), aggregate::WindowKind::kMonth)) {
    runs += row.runs;
  }
  EXPECT_EQ(runs, 12 * 40);
}

TEST_P(StoreConformanceTest, ExportRunsFiltersAndPagesInArrivalOrder) {
  ASSERT_TRUE(
      store()
          .StoreBatches(
              {Batch("a", 1,
                     {MakeRun(Day(0), v6scope::v1::V6_CAPABLE, 1, "KE"),
                      MakeRun(Day(1), v6scope::v1::V6_CAPABLE, 1, "KE"),
                      MakeRun(Day(2), v6scope::v1::V6_CAPABLE, 1, "KE")}),
               Batch("b", 1,
                     {MakeRun(Day(1), v6scope::v1::V6_CAPABLE, 2, "DE")})})
          .ok());
  ExportFilter filter;
  std::vector<std::pair<std::string, uint64_t>> seen;
  int64_t cursor = 0;
  int slices = 0;
  while (true) {
    absl::StatusOr<ExportPage> page = store().ExportRuns(filter, cursor, 2);
    ASSERT_TRUE(page.ok()) << page.status();
    ASSERT_LE(++slices, 10);
    for (const auto& run : page->runs)
      seen.emplace_back(run.probe_id(), run.seq());
    if (page->done) break;
    cursor = page->cursor;
  }
  EXPECT_THAT(seen,
              ElementsAre(std::make_pair("a", 1), std::make_pair("a", 2),
                          std::make_pair("a", 3), std::make_pair("b", 1)));
  filter.since = Day(1, 0);
  filter.until = Day(2, 0);
  absl::StatusOr<ExportPage> day1 = store().ExportRuns(filter, 0, 100);
  ASSERT_TRUE(day1.ok());
  EXPECT_EQ(day1->runs.size(), 2u);
  EXPECT_TRUE(day1->done);
  filter.country = "DE";
  absl::StatusOr<ExportPage> de = store().ExportRuns(filter, 0, 100);
  ASSERT_TRUE(de.ok());
  ASSERT_EQ(de->runs.size(), 1u);
  EXPECT_EQ(de->runs[0].probe_id(), "b");
  filter = {};
  filter.asn = 1;
  filter.probe_id = "a";
  absl::StatusOr<ExportPage> a = store().ExportRuns(filter, 0, 100);
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->runs.size(), 3u);
  EXPECT_EQ(store().ExportRuns(filter, 0, 0).status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace v6scope::collector::store
