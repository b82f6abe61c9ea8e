#include "collector/http/api_limit.h"

#include "common/time/clock.h"
#include "gtest/gtest.h"

namespace v6scope::collector::http {
namespace {

TEST(ApiClientKeyTest, Ipv4AddressOrIpv6Slash64) {
  EXPECT_EQ(ApiClientKey("192.0.2.7"), "192.0.2.7");
  EXPECT_EQ(ApiClientKey("::ffff:192.0.2.7"), "192.0.2.7");
  EXPECT_EQ(ApiClientKey("2001:db8:1:2:aaaa::1"), "2001:db8:1:2::/64");
  EXPECT_EQ(ApiClientKey("2001:db8:1:2:bbbb::9"), "2001:db8:1:2::/64");
  EXPECT_EQ(ApiClientKey("not an address"), "not an address");
}

TEST(ApiRateLimitTest, BurstThenRateAndClientsApart) {
  time::FakeClock clock(absl::FromUnixSeconds(1'800'000'000));
  ApiRateLimit limit(&clock, /*requests_per_second=*/2, /*burst=*/4);
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(limit.Take("2001:db8::1"), absl::ZeroDuration()) << i;
  }
  // The same /64 shares the bucket; another client has its own.
  EXPECT_EQ(limit.Take("2001:db8::2"), absl::Milliseconds(500));
  EXPECT_EQ(limit.Take("192.0.2.1"), absl::ZeroDuration());
  clock.Advance(absl::Milliseconds(500));
  EXPECT_EQ(limit.Take("2001:db8::1"), absl::ZeroDuration());
}

}  // namespace
}  // namespace v6scope::collector::http
