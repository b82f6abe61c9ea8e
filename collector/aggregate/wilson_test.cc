#include "collector/aggregate/wilson.h"

#include "gtest/gtest.h"

namespace v6scope::collector::aggregate {
namespace {

// Reference values computed by hand from Wilson's formula with z = 1.96
// (they match published tables, e.g. Newcombe 1998, Table I).
TEST(WilsonTest, MatchesHandComputedValues) {
  Interval ci = WilsonInterval(8, 10);
  EXPECT_NEAR(ci.low, 0.4902, 1e-4);
  EXPECT_NEAR(ci.high, 0.9433, 1e-4);
  ci = WilsonInterval(50, 100);
  EXPECT_NEAR(ci.low, 0.4038, 1e-4);
  EXPECT_NEAR(ci.high, 0.5962, 1e-4);
  ci = WilsonInterval(81, 263);
  EXPECT_NEAR(ci.low, 0.2553, 1e-4);
  EXPECT_NEAR(ci.high, 0.3662, 1e-4);
}

TEST(WilsonTest, NeverDegenerateAtTheEnds) {
  // The Wald interval would be [0, 0] and [1, 1] here.
  Interval none = WilsonInterval(0, 10);
  EXPECT_EQ(none.low, 0.0);
  EXPECT_NEAR(none.high, 0.2775, 1e-4);
  Interval all = WilsonInterval(3, 3);
  EXPECT_NEAR(all.low, 0.4385, 1e-4);
  EXPECT_EQ(all.high, 1.0);
}

TEST(WilsonTest, NoTrialsIsNoInformation) {
  Interval ci = WilsonInterval(0, 0);
  EXPECT_EQ(ci.low, 0.0);
  EXPECT_EQ(ci.high, 1.0);
}

TEST(WilsonTest, NarrowsWithMoreTrials) {
  const Interval small = WilsonInterval(5, 10);
  const Interval large = WilsonInterval(500, 1000);
  EXPECT_LT(large.high - large.low, small.high - small.low);
  EXPECT_LT(large.low, 0.5);
  EXPECT_GT(large.high, 0.5);
}

}  // namespace
}  // namespace v6scope::collector::aggregate
