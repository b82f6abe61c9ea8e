#include "common/metrics/metrics.h"

#include <thread>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace v6scope::metrics {
namespace {

using ::testing::HasSubstr;

TEST(MetricsTest, RendersPrometheusTextFormat) {
  Registry r;
  r.Counter("v6_runs_total", "Runs done.")->Get()->Add(3);
  Family* rejected = r.Counter("v6_rejected_total", "Rejects.", {"reason"});
  rejected->With({"invalid_argument"})->Add(1);
  rejected->With({"rate \"limited\""})->Add(2);
  r.GaugeFunction("v6_queue", "Queue length.", [] { return 7.5; });
  EXPECT_EQ(r.Render(),
            "# HELP v6_runs_total Runs done.\n"
            "# TYPE v6_runs_total counter\n"
            "v6_runs_total 3\n"
            "# HELP v6_rejected_total Rejects.\n"
            "# TYPE v6_rejected_total counter\n"
            "v6_rejected_total{reason=\"invalid_argument\"} 1\n"
            "v6_rejected_total{reason=\"rate \\\"limited\\\"\"} 2\n"
            "# HELP v6_queue Queue length.\n"
            "# TYPE v6_queue gauge\n"
            "v6_queue 7.5\n");
}

TEST(MetricsTest, UnlabelledCounterShowsZeroBeforeFirstUse) {
  Registry r;
  r.Counter("v6_errors_total", "Errors.");
  EXPECT_THAT(r.Render(), HasSubstr("\nv6_errors_total 0\n"));
}

TEST(MetricsTest, ConcurrentAddsAreNotLost) {
  Registry r;
  Value* v = r.Counter("c_total", "c")->Get();
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([v] {
      for (int i = 0; i < 10000; ++i) v->Add(1);
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(v->Get(), 40000);
}

}  // namespace
}  // namespace v6scope::metrics
