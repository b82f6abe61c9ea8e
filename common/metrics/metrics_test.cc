#include "common/metrics/metrics.h"

#include <cmath>
#include <limits>
#include <thread>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace v6scope::metrics {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

TEST(MetricsTest, RendersPrometheusTextFormat) {
  Registry r;
  r.Counter("v6_runs_total", "Runs done.")->Get()->Add(3);
  Family* rejected = r.Counter("v6_rejected_total", "Rejects.", {"reason"});
  rejected->With({"invalid_argument"})->Add(1);
  rejected->With({"rate \"limited\"\\\n"})->Add(2);
  r.GaugeFunction("v6_queue", "Queue length.", [] { return 7.5; });
  EXPECT_EQ(r.Render(),
            "# HELP v6_runs_total Runs done.\n"
            "# TYPE v6_runs_total counter\n"
            "v6_runs_total 3\n"
            "# HELP v6_rejected_total Rejects.\n"
            "# TYPE v6_rejected_total counter\n"
            "v6_rejected_total{reason=\"invalid_argument\"} 1\n"
            "v6_rejected_total{reason=\"rate \\\"limited\\\"\\\\\\n\"} 2\n"
            "# HELP v6_queue Queue length.\n"
            "# TYPE v6_queue gauge\n"
            "v6_queue 7.5\n");
}

TEST(MetricsTest, FullPrecisionValues) {
  Registry r;
  r.Counter("big_total", "Big.")->Get()->Add(1234567890123);
  r.Gauge("when_timestamp_seconds", "When.")
      ->Get()
      ->SetTime(absl::FromUnixMillis(1796601234567));
  r.Gauge("inf", "Inf.")->Get()->Set(std::numeric_limits<double>::infinity());
  r.Gauge("nan", "NaN.")->Get()->Set(std::nan(""));
  const std::string text = r.Render();
  EXPECT_THAT(text, HasSubstr("\nbig_total 1234567890123\n"));
  EXPECT_THAT(text, HasSubstr("\nwhen_timestamp_seconds 1796601234.567\n"));
  EXPECT_THAT(text, HasSubstr("\ninf +Inf\n"));
  EXPECT_THAT(text, HasSubstr("\nnan NaN\n"));
  EXPECT_THAT(text, Not(HasSubstr("e+")));
}

TEST(MetricsTest, SetTimeDropsBelowMilliseconds) {
  Registry r;
  Value* v = r.Gauge("t_seconds", "T.")->Get();
  v->SetTime(absl::FromUnixMicros(1796601234567891));
  EXPECT_THAT(r.Render(), HasSubstr("\nt_seconds 1796601234.567\n"));
}

TEST(MetricsTest, HelpIsEscaped) {
  Registry r;
  r.Gauge("g", "Line one\nline two \\ end.");
  EXPECT_THAT(r.Render(),
              HasSubstr("# HELP g Line one\\nline two \\\\ end.\n"));
}

TEST(MetricsTest, UnlabelledCounterShowsZeroBeforeFirstUse) {
  Registry r;
  r.Counter("v6_errors_total", "Errors.");
  EXPECT_THAT(r.Render(), HasSubstr("\nv6_errors_total 0\n"));
}

TEST(MetricsTest, CounterFunctionIsTypedCounter) {
  Registry r;
  r.CounterFunction("dropped_total", "Dropped.", [] { return 5.0; });
  EXPECT_EQ(r.Render(),
            "# HELP dropped_total Dropped.\n"
            "# TYPE dropped_total counter\n"
            "dropped_total 5\n");
}

TEST(MetricsTest, GaugeFamilyFunctionReadsEverySampleAtScrape) {
  Registry r;
  int calls = 0;
  r.GaugeFamilyFunction("last_seconds", "Last.", {"probe", "org"}, [&calls] {
    ++calls;
    return std::vector<Sample>{{{"p-1", "Acme \"A\""}, 1796601234.5},
                               {{"p-2", "B"}, 0}};
  });
  EXPECT_EQ(r.Render(),
            "# HELP last_seconds Last.\n"
            "# TYPE last_seconds gauge\n"
            "last_seconds{probe=\"p-1\",org=\"Acme \\\"A\\\"\"} 1796601234.5\n"
            "last_seconds{probe=\"p-2\",org=\"B\"} 0\n");
  r.Render();
  EXPECT_EQ(calls, 2);
}

TEST(MetricsTest, SameFamilyTwiceIsOneFamily) {
  Registry r;
  Family* a = r.Counter("x_total", "X.", {"k"});
  Family* b = r.Counter("x_total", "X.", {"k"});
  EXPECT_EQ(a, b);
}

TEST(MetricsDeathTest, NamingRulesAreEnforced) {
  EXPECT_DEATH(Registry().Counter("runs", "No suffix."), "must end in _total");
  EXPECT_DEATH(Registry().Gauge("dropped_total", "Gauge."),
               "must not end in _total");
  EXPECT_DEATH(Registry().GaugeFunction("spool_dropped_runs_total", "Gauge.",
                                        [] { return 0.0; }),
               "must not end in _total");
  EXPECT_DEATH(Registry().Gauge("bad-name", "Bad."), "invalid metric name");
  EXPECT_DEATH(Registry().Gauge("g", "G.", {"__x"}), "invalid label name");
  EXPECT_DEATH(
      {
        Registry r;
        r.Counter("c_total", "C.");
        r.Counter("c_total", "C.", {"k"});
      },
      "registered twice");
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
