#include "collector/ingest/rate_limiter.h"

#include "gtest/gtest.h"

namespace v6scope::collector::ingest {
namespace {

TEST(RateLimiterTest, BurstThenRefillAtRate) {
  time::FakeClock clock(absl::FromUnixSeconds(1'800'000'000));
  RateLimiter limiter(&clock, /*runs_per_second=*/10, /*burst=*/100);
  EXPECT_EQ(limiter.Take("p-1", 100), absl::ZeroDuration());
  // Empty now: 50 runs need 5 s of refill; nothing is taken.
  EXPECT_EQ(limiter.Take("p-1", 50), absl::Seconds(5));
  clock.Advance(absl::Seconds(5));
  EXPECT_EQ(limiter.Take("p-1", 50), absl::ZeroDuration());
}

TEST(RateLimiterTest, ProbesDoNotShareBuckets) {
  time::FakeClock clock(absl::FromUnixSeconds(1'800'000'000));
  RateLimiter limiter(&clock, 1, 10);
  EXPECT_EQ(limiter.Take("greedy", 10), absl::ZeroDuration());
  EXPECT_GT(limiter.Take("greedy", 10), absl::ZeroDuration());
  EXPECT_EQ(limiter.Take("polite", 10), absl::ZeroDuration());
}

TEST(RateLimiterTest, OversizeBatchPassesWhenBucketIsFull) {
  time::FakeClock clock(absl::FromUnixSeconds(1'800'000'000));
  RateLimiter limiter(&clock, 1, 10);
  EXPECT_EQ(limiter.Take("p", 500), absl::ZeroDuration());
  EXPECT_EQ(limiter.Take("p", 500), absl::Seconds(10));
}

TEST(RateLimiterTest, IdleProbesAreForgotten) {
  time::FakeClock clock(absl::FromUnixSeconds(1'800'000'000));
  RateLimiter limiter(&clock, 1, 10);
  for (int i = 0; i < 1000; ++i) limiter.Take("p-" + std::to_string(i), 1);
  EXPECT_EQ(limiter.tracked_probes(), 1000u);
  clock.Advance(absl::Hours(1));
  limiter.Take("p-new", 1);
  EXPECT_EQ(limiter.tracked_probes(), 1u);
}

// Issue #14: keyed by client address, every request may bring a new key;
// the table stays within its cap and a limited key stays limited while
// keys that refilled make room.
TEST(RateLimiterTest, KeysStayWithinTheCap) {
  time::FakeClock clock(absl::FromUnixSeconds(1'800'000'000));
  RateLimiter limiter(&clock, 1, 2, /*max_keys=*/100);
  for (int i = 0; i < 99; ++i) limiter.Take("a-" + std::to_string(i), 1);
  clock.Advance(absl::Seconds(2));  // The a-* buckets are full again.
  EXPECT_EQ(limiter.Take("busy", 2), absl::ZeroDuration());
  EXPECT_EQ(limiter.tracked_probes(), 100u);
  limiter.Take("new", 1);
  EXPECT_LE(limiter.tracked_probes(), 100u);
  EXPECT_GT(limiter.Take("busy", 2), absl::ZeroDuration());  // Kept.
  for (int i = 0; i < 10000; ++i) limiter.Take("b-" + std::to_string(i), 1);
  EXPECT_LE(limiter.tracked_probes(), 100u);
}

}  // namespace
}  // namespace v6scope::collector::ingest
