#include "collector/campaign/rounds.h"

#include "gtest/gtest.h"

namespace v6scope::collector::campaign {
namespace {

const absl::Time kT0 = absl::FromUnixSeconds(1'800'000'000);

v6scope::v1::Campaign Every(uint32_t days, bool with_start) {
  v6scope::v1::Campaign c;
  c.mutable_created_at()->set_seconds(absl::ToUnixSeconds(kT0));
  c.mutable_schedule()->set_every_n_days(days);
  if (with_start) {
    c.mutable_schedule()->mutable_start()->set_seconds(
        absl::ToUnixSeconds(kT0 + absl::Hours(10)));
  }
  return c;
}

TEST(RoundsTest, OnceIsOneRoundFromCreation) {
  const v6scope::v1::Campaign c = Every(0, false);
  EXPECT_EQ(CurrentRound(c, kT0 - absl::Seconds(1)), 0u);
  EXPECT_EQ(CurrentRound(c, kT0), 1u);
  EXPECT_EQ(CurrentRound(c, kT0 + absl::Hours(24 * 400)), 1u);
  EXPECT_EQ(NextRoundStart(c, 1), absl::InfiniteFuture());
}

TEST(RoundsTest, EveryNDaysFromStart) {
  const v6scope::v1::Campaign c = Every(7, true);
  const absl::Time start = kT0 + absl::Hours(10);
  EXPECT_EQ(CurrentRound(c, kT0), 0u);  // Created, not started.
  EXPECT_EQ(RoundStart(c, 1), start);
  EXPECT_EQ(CurrentRound(c, start), 1u);
  EXPECT_EQ(CurrentRound(c, start + absl::Hours(24 * 7) - absl::Seconds(1)),
            1u);
  EXPECT_EQ(CurrentRound(c, start + absl::Hours(24 * 7)), 2u);
  EXPECT_EQ(RoundStart(c, 3), start + absl::Hours(24 * 14));
  EXPECT_EQ(NextRoundStart(c, 2), start + absl::Hours(24 * 14));
}

}  // namespace
}  // namespace v6scope::collector::campaign
