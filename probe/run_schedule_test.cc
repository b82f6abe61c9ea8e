#include "probe/run_schedule.h"

#include "gtest/gtest.h"

namespace v6scope::probe {
namespace {

const absl::Time kT0 = absl::FromUnixSeconds(1'700'000'000);

ScheduleOptions Every(absl::Duration interval, absl::Duration spread,
                      int max_runs = 0) {
  ScheduleOptions o;
  o.interval = interval;
  o.spread = spread;
  o.max_runs = max_runs;
  o.final_drain = absl::Seconds(30);
  return o;
}

TEST(RunScheduleTest, FirstRunAtOnceThenSlotPlusOffset) {
  double u = 0.5;
  RunSchedule s(Every(absl::Minutes(10), absl::Minutes(4)), kT0,
                [&] { return u; });
  EXPECT_TRUE(s.due(kT0));
  s.RunEnded(kT0 + absl::Seconds(20));
  EXPECT_EQ(s.next_run(), kT0 + absl::Minutes(12));
  EXPECT_FALSE(s.due(kT0 + absl::Minutes(11)));
  EXPECT_TRUE(s.due(kT0 + absl::Minutes(12)));
  u = 0.0;
  s.RunEnded(kT0 + absl::Minutes(12) + absl::Seconds(20));
  // Slots do not drift with the offsets: the third slot is at 20 min.
  EXPECT_EQ(s.next_run(), kT0 + absl::Minutes(20));
  EXPECT_EQ(s.runs(), 2);
  EXPECT_TRUE(s.measuring());
  EXPECT_EQ(s.drain_deadline(), absl::InfiniteFuture());
}

TEST(RunScheduleTest, OverrunPushesTheNextRunToItsEnd) {
  RunSchedule s(Every(absl::Minutes(10), absl::Minutes(2)), kT0,
                [] { return 0.5; });
  s.RunEnded(kT0 + absl::Minutes(25));               // Ran past two slots.
  EXPECT_EQ(s.next_run(), kT0 + absl::Minutes(26));  // End + offset.
}

TEST(RunScheduleTest, ZeroSpreadNeedsNoRandomness) {
  RunSchedule s(Every(absl::Minutes(1), absl::ZeroDuration()), kT0, nullptr);
  s.RunEnded(kT0);
  EXPECT_EQ(s.next_run(), kT0 + absl::Minutes(1));
}

TEST(RunScheduleTest, MaxRunsEndsTheScheduleAndStartsTheFinalDrain) {
  RunSchedule s(Every(absl::Minutes(1), absl::ZeroDuration(), 2), kT0, nullptr);
  s.RunEnded(kT0 + absl::Seconds(5));
  EXPECT_TRUE(s.measuring());
  s.RunEnded(kT0 + absl::Minutes(1) + absl::Seconds(5));
  EXPECT_FALSE(s.measuring());
  EXPECT_FALSE(s.due(kT0 + absl::Hours(5)));
  EXPECT_EQ(s.next_run(), absl::InfiniteFuture());
  EXPECT_EQ(s.drain_deadline(), kT0 + absl::Minutes(1) + absl::Seconds(35));
}

}  // namespace
}  // namespace v6scope::probe
