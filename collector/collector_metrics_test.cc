// The collector's own metric families: attribution (always present) and
// the fleet's per-probe last runs (capped, silent probes kept).
#include <string>

#include "collector/attribution_metrics.h"
#include "collector/fleet_metrics.h"
#include "collector/query/probe_queries.h"
#include "common/metrics/metrics.h"
#include "common/time/clock.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/time_util.h"
#include "gtest/gtest.h"

namespace v6scope::collector {
namespace {

using ::google::protobuf::util::TimeUtil;
using ::testing::HasSubstr;

TEST(AttributionMetricsTest, LoadedTimestampIsZeroWhenNothingIsLoaded) {
  metrics::Registry registry;
  AttributionMetrics m(&registry);
  m.RecordNoneConfigured();
  const std::string text = registry.Render();
  EXPECT_THAT(text, HasSubstr("# TYPE v6scope_collector_attribution_loaded_"
                              "timestamp_seconds gauge\n"
                              "v6scope_collector_attribution_loaded_timestamp_"
                              "seconds 0\n"));
  EXPECT_THAT(text, HasSubstr("0 when none is loaded"));
  EXPECT_THAT(text,
              HasSubstr("\nv6scope_collector_attribution_last_reload_success "
                        "1\n"));
}

TEST(AttributionMetricsTest, FailedReloadIsCountedAndFlagged) {
  metrics::Registry registry;
  AttributionMetrics m(&registry);
  m.RecordFailedReload();
  const std::string text = registry.Render();
  EXPECT_THAT(text, HasSubstr("v6scope_collector_attribution_loads_total{"
                              "result=\"failed\"} 1\n"));
  EXPECT_THAT(text,
              HasSubstr("\nv6scope_collector_attribution_last_reload_success "
                        "0\n"));
}

v6scope::v1::ListProbesResponse Fleet() {
  v6scope::v1::ListProbesResponse r;
  auto add = [&r](const std::string& id, int64_t last_ms, bool revoked) {
    v6scope::v1::ProbeSummary* p = r.add_probes();
    p->set_probe_id(id);
    p->set_org("office");
    p->set_revoked(revoked);
    if (last_ms > 0) {
      *p->mutable_last_run_at() = TimeUtil::MillisecondsToTimestamp(last_ms);
    }
  };
  add("p-a", 1796601234567, false);
  add("p-b", 1796590000000, false);
  add("p-never", 0, false);
  add("p-gone", 1700000000000, true);
  return r;
}

TEST(FleetMetricsTest, OneSeriesPerActiveProbeOldestFirstWithMilliseconds) {
  ProbeSeries s = LastRunSeries(Fleet(), 10);
  ASSERT_EQ(s.samples.size(), 3u);
  EXPECT_EQ(s.omitted, 0u);
  EXPECT_EQ(s.samples[0].label_values,
            (std::vector<std::string>{"p-never", "office"}));
  EXPECT_EQ(s.samples[0].value, 0);
  EXPECT_EQ(s.samples[1].label_values[0], "p-b");
  EXPECT_EQ(s.samples[2].label_values[0], "p-a");
  EXPECT_EQ(s.samples[2].value, 1796601234.567);
}

TEST(FleetMetricsTest, TheCapLeavesOutTheProbesThatReport) {
  ProbeSeries s = LastRunSeries(Fleet(), 2);
  ASSERT_EQ(s.samples.size(), 2u);
  EXPECT_EQ(s.omitted, 1u);
  EXPECT_EQ(s.samples[0].label_values[0], "p-never");
  EXPECT_EQ(s.samples[1].label_values[0], "p-b");
}

// The register behind a real ProbeQueries: Fleet()'s probes.
class FleetRegistry : public store::ProbeRegistry {
 public:
  absl::Status AddEnrolmentToken(const store::EnrolmentTokenRecord&) override {
    return absl::UnimplementedError("fake");
  }
  absl::StatusOr<store::ProbeRecord> ConsumeEnrolmentToken(
      const std::string&, absl::Time, store::ProbeRecord) override {
    return absl::UnimplementedError("fake");
  }
  absl::StatusOr<store::ProbeRecord> GetProbe(const std::string&) override {
    return absl::UnimplementedError("fake");
  }
  absl::Status RevokeProbe(const std::string&) override {
    return absl::UnimplementedError("fake");
  }
  absl::StatusOr<std::vector<v6scope::v1::ProbeSummary>> ListProbes() override {
    const v6scope::v1::ListProbesResponse r = Fleet();
    return std::vector<v6scope::v1::ProbeSummary>(r.probes().begin(),
                                                  r.probes().end());
  }
};

class NoRuns : public store::RunSink {
 public:
  absl::StatusOr<std::vector<store::BatchOutcome>> StoreBatches(
      const std::vector<store::RunBatch>&) override {
    return absl::UnimplementedError("fake");
  }
  absl::StatusOr<uint64_t> LastStoredSeq(const std::string&) override {
    return 0;
  }
  absl::StatusOr<uint64_t> DroppedRuns(const std::string&) override {
    return 0;
  }
};

TEST(FleetMetricsTest, ScrapeRendersEveryFamily) {
  FleetRegistry fleet;
  NoRuns runs;
  time::FakeClock clock(absl::FromUnixSeconds(1796601600));
  query::ProbeQueries probes(&fleet, &runs, &clock);
  metrics::Registry registry;
  RegisterFleetMetrics(&registry, &probes, /*max_probe_series=*/2);
  const std::string text = registry.Render();
  EXPECT_THAT(text, HasSubstr("v6scope_collector_probe_last_run_timestamp_"
                              "seconds{probe=\"p-never\",org=\"office\"} 0\n"
                              "v6scope_collector_probe_last_run_timestamp_"
                              "seconds{probe=\"p-b\",org=\"office\"} "
                              "1796590000\n"));
  EXPECT_THAT(text,
              HasSubstr("v6scope_collector_probes{state=\"active\"} 3\n"
                        "v6scope_collector_probes{state=\"revoked\"} 1\n"));
  EXPECT_THAT(text, HasSubstr("\nv6scope_collector_probe_series_omitted 1\n"));
}

}  // namespace
}  // namespace v6scope::collector
