#include "probe/uplink/backoff.h"

#include "gtest/gtest.h"

namespace v6scope::probe::uplink {
namespace {

TEST(BackoffTest, WindowDoublesUpToTheCapWithFullJitter) {
  double u = 1.0;  // Top of each window.
  Backoff b(absl::Seconds(1), absl::Seconds(10), [&] { return u; });
  EXPECT_EQ(b.NextDelay(), absl::Seconds(1));
  EXPECT_EQ(b.NextDelay(), absl::Seconds(2));
  EXPECT_EQ(b.NextDelay(), absl::Seconds(4));
  EXPECT_EQ(b.NextDelay(), absl::Seconds(8));
  EXPECT_EQ(b.NextDelay(), absl::Seconds(10));
  for (int i = 0; i < 100; ++i) EXPECT_EQ(b.NextDelay(), absl::Seconds(10));
  u = 0.25;
  EXPECT_EQ(b.NextDelay(), absl::Seconds(2.5));
  u = 0.0;  // Full jitter reaches zero: no floor.
  EXPECT_EQ(b.NextDelay(), absl::ZeroDuration());
}

TEST(BackoffTest, ResetStartsOver) {
  Backoff b(absl::Seconds(1), absl::Minutes(5), [] { return 1.0; });
  b.NextDelay();
  b.NextDelay();
  b.Reset();
  EXPECT_EQ(b.attempts(), 0);
  EXPECT_EQ(b.NextDelay(), absl::Seconds(1));
}

TEST(BackoffTest, CollectorHintIsAFloorForOneDelay) {
  Backoff b(absl::Seconds(1), absl::Minutes(5), [] { return 0.1; });
  b.Hint(absl::Seconds(30));
  EXPECT_EQ(b.NextDelay(), absl::Seconds(30));
  EXPECT_EQ(b.NextDelay(), absl::Seconds(0.2));
}

TEST(BackoffTest, JitterSpreadsAFleet) {
  // 1000 probes failing together: their first retries are spread over the
  // whole window, not bunched at its end.
  uint64_t state = 42;
  auto lcg = [&] {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<double>(state >> 11) / 9007199254740992.0;
  };
  int first_half = 0;
  for (int i = 0; i < 1000; ++i) {
    Backoff b(absl::Seconds(8), absl::Minutes(5), lcg);
    if (b.NextDelay() < absl::Seconds(4)) ++first_half;
  }
  EXPECT_GT(first_half, 400);
  EXPECT_LT(first_half, 600);
}

}  // namespace
}  // namespace v6scope::probe::uplink
