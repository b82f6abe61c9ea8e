#include "collector/aggregate/rollup.h"

#include <google/protobuf/util/time_util.h>

#include <algorithm>
#include <random>
#include <vector>

#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "methodology/observation.h"
#include "methodology/testing/run_builder.h"
#include "proto/results.pb.h"

namespace v6scope::collector::aggregate {
namespace {

using ::google::protobuf::util::TimeUtil;

v6scope::v1::Run RunAt(absl::Time started, v6scope::v1::Capability c) {
  v6scope::v1::Run run;
  *run.mutable_started_at() =
      TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(started));
  run.mutable_verdict()->set_capability(c);
  return run;
}

TEST(ObservationTest, ReadsVerdictResolverGapAndAttribution) {
  v6scope::v1::Run run = methodology::testing::RunBuilder()
                             .Http(v6scope::v1::HTTP_V4_ONLY, v6scope::v1::OK)
                             .Http(v6scope::v1::HTTP_V6_ONLY, v6scope::v1::OK)
                             .Connect(v6scope::v1::HTTP_V4_ONLY, 0, 20000)
                             .Connect(v6scope::v1::HTTP_V6_ONLY, 0, 50000)
                             .Build();
  v6scope::v1::TestResult* v6ns = run.add_tests();
  v6ns->set_kind(v6scope::v1::DNS_V6NS);
  v6ns->set_outcome(v6scope::v1::TIMEOUT);
  run.mutable_verdict()->set_capability(v6scope::v1::V6_ONLY_NAT64);
  run.mutable_verdict()->add_root_causes(v6scope::v1::PMTU_BLACKHOLE);
  run.mutable_attribution()->set_asn(13335);
  run.mutable_attribution()->set_country("KE");
  const methodology::Observation o = methodology::Observe(run);
  EXPECT_EQ(o.capability, v6scope::v1::V6_ONLY_NAT64);
  EXPECT_TRUE(o.HasCause(v6scope::v1::PMTU_BLACKHOLE));
  EXPECT_FALSE(o.HasCause(v6scope::v1::NAT64));
  EXPECT_EQ(o.resolver_v6, methodology::ResolverV6::kNo);
  EXPECT_EQ(o.gap_us, 30000);
  EXPECT_EQ(o.asn, 13335u);
  EXPECT_EQ(o.country, "KE");
  EXPECT_TRUE(methodology::IsMeasured(o));
  EXPECT_TRUE(methodology::IsV6Capable(o));
  EXPECT_TRUE(methodology::IsV6Preferred(o));
  EXPECT_TRUE(methodology::IsBehindNat64(o));
  EXPECT_TRUE(methodology::IsPmtuBroken(o));
  EXPECT_FALSE(methodology::IsV6Broken(o));
}

TEST(ObservationTest, ClassesFollowMethodologySection8) {
  methodology::Observation o;
  o.capability = v6scope::v1::V6_CAPABLE;
  EXPECT_TRUE(methodology::IsV6Capable(o));
  EXPECT_FALSE(methodology::IsV6Preferred(o));
  o.capability = v6scope::v1::OFFLINE;
  EXPECT_FALSE(methodology::IsMeasured(o));
  o.capability = v6scope::v1::V4_ONLY;
  EXPECT_TRUE(methodology::IsMeasured(o));
  EXPECT_FALSE(methodology::IsV6Capable(o));
  o.capability = v6scope::v1::V6_BROKEN;
  EXPECT_TRUE(methodology::IsV6Broken(o));
  EXPECT_EQ(methodology::Observe(v6scope::v1::Run()).resolver_v6,
            methodology::ResolverV6::kNotTested);
}

TEST(RollupTest, OneRowPerWindowWithCountAndLatest) {
  const absl::Time monday =
      absl::FromCivil(absl::CivilDay(2026, 11, 23), absl::UTCTimeZone());
  RollupDeltas deltas;
  deltas.Add("p", 1, RunAt(monday + absl::Hours(30), v6scope::v1::V6_BROKEN),
             monday);
  deltas.Add("p", 2, RunAt(monday + absl::Hours(5), v6scope::v1::V4_ONLY),
             monday);
  deltas.Add("p", 3, RunAt(monday + absl::Hours(29), v6scope::v1::V6_CAPABLE),
             monday);
  std::vector<ProbeWindow> rows = deltas.Take();
  ASSERT_EQ(rows.size(), 4u);  // 2 days, 1 week, 1 month.
  EXPECT_EQ(rows[0].kind, WindowKind::kDay);
  EXPECT_EQ(rows[0].runs, 1);
  EXPECT_EQ(rows[0].latest.capability, v6scope::v1::V4_ONLY);
  EXPECT_EQ(rows[1].runs, 2);
  EXPECT_EQ(rows[1].latest.capability, v6scope::v1::V6_BROKEN);
  EXPECT_EQ(rows[2].kind, WindowKind::kWeek);
  EXPECT_EQ(rows[2].runs, 3);
  EXPECT_EQ(rows[2].latest_seq, 1);
  EXPECT_EQ(rows[3].kind, WindowKind::kMonth);
  EXPECT_TRUE(deltas.empty());
}

TEST(RollupTest, LatestObservationKeepsItsMethodologyVersion) {
  // A probe upgraded to methodology 2 mid-week: the week's row is the v2
  // run's, the earlier day's row stays v1.
  const absl::Time monday =
      absl::FromCivil(absl::CivilDay(2026, 11, 23), absl::UTCTimeZone());
  v6scope::v1::Run v1_run =
      RunAt(monday + absl::Hours(2), v6scope::v1::V6_ONLY);
  v1_run.mutable_verdict()->set_methodology_version("1");
  v6scope::v1::Run v2_run =
      RunAt(monday + absl::Hours(50), v6scope::v1::V4_BROKEN);
  v2_run.mutable_verdict()->set_methodology_version("2");
  v2_run.mutable_verdict()->add_root_causes(v6scope::v1::V4_PATH_BROKEN);
  RollupDeltas deltas;
  deltas.Add("p", 2, v2_run, monday);
  deltas.Add("p", 1, v1_run, monday);
  std::vector<ProbeWindow> rows = deltas.Take();
  ASSERT_EQ(rows.size(), 4u);  // 2 days, 1 week, 1 month.
  EXPECT_EQ(rows[0].latest.methodology_version, "1");
  EXPECT_EQ(rows[0].latest.capability, v6scope::v1::V6_ONLY);
  EXPECT_EQ(rows[1].latest.methodology_version, "2");
  EXPECT_EQ(rows[2].runs, 2);
  EXPECT_EQ(rows[2].latest.methodology_version, "2");
  EXPECT_EQ(rows[2].latest.capability, v6scope::v1::V4_BROKEN);
  EXPECT_TRUE(rows[2].latest.HasCause(v6scope::v1::V4_PATH_BROKEN));
}

TEST(RollupTest, RunWithoutStartTimeCountsAtReceipt) {
  const absl::Time received =
      absl::FromCivil(absl::CivilDay(2026, 1, 5), absl::UTCTimeZone());
  EXPECT_EQ(RunTime(v6scope::v1::Run(), received), received);
}

TEST(RollupTest, MergeOrderDoesNotMatter) {
  std::vector<std::pair<int, v6scope::v1::Run>> runs;
  const absl::Time base = absl::FromUnixSeconds(1'790'000'000);
  std::mt19937 random(3);
  for (int i = 1; i <= 50; ++i) {
    runs.push_back(
        {i, RunAt(base + absl::Minutes(random() % 20000),
                  static_cast<v6scope::v1::Capability>(1 + random() % 8))});
    runs.back().second.mutable_verdict()->set_methodology_version(
        random() % 2 ? "1" : "2");
  }
  RollupDeltas in_order;
  for (const auto& [seq, run] : runs) in_order.Add("p", seq, run, base);
  const std::vector<ProbeWindow> expected = in_order.Take();
  std::shuffle(runs.begin(), runs.end(), random);
  // Shuffled, and merged in two halves as two ingest calls would.
  RollupDeltas first, second;
  for (size_t i = 0; i < runs.size(); ++i) {
    (i < 25 ? first : second).Add("p", runs[i].first, runs[i].second, base);
  }
  std::vector<ProbeWindow> merged = first.Take();
  for (const ProbeWindow& delta : second.Take()) {
    auto it = std::find_if(merged.begin(), merged.end(), [&](const auto& r) {
      return r.kind == delta.kind && r.window_start_us == delta.window_start_us;
    });
    if (it == merged.end()) {
      merged.push_back(delta);
    } else {
      MergeProbeWindow(delta, &*it);
    }
  }
  std::sort(merged.begin(), merged.end(), [](const auto& a, const auto& b) {
    return std::make_pair(a.kind, a.window_start_us) <
           std::make_pair(b.kind, b.window_start_us);
  });
  EXPECT_TRUE(merged == expected);
}

}  // namespace
}  // namespace v6scope::collector::aggregate
