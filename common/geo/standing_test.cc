#include "common/geo/standing.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace v6scope::geo {
namespace {

using ::testing::ElementsAre;

TEST(MedianTest, OddEvenAndEmpty) {
  EXPECT_EQ(Median({}), 0.0);
  EXPECT_EQ(Median({3, 1, 2}), 2.0);
  EXPECT_EQ(Median({4, 1, 3, 2}), 2.5);
}

// Africa: ZA KE NG MU RW SC ET; MU and SC are SIDS, RW and ET are LDC and
// LLDC; BO is in the Americas (LLDC).
const CountryValues kValues = {{"ZA", 300}, {"KE", 135}, {"NG", 135},
                               {"MU", 22},  {"RW", 266}, {"SC", 14},
                               {"ET", 0},   {"BO", 22},  {"EU", 999}};

TEST(StandingTest, GroupSummaryRanksMembersWithAValue) {
  const GroupSummary africa = SummarizeGroup("Africa", kValues);
  EXPECT_EQ(africa.group, "africa");
  // Ties (KE, NG) by code; "EU" is not a country and is left out.
  EXPECT_THAT(africa.ranked,
              ElementsAre("ZA", "RW", "KE", "NG", "MU", "SC", "ET"));
  EXPECT_EQ(africa.median, 135.0);
  const GroupSummary lldc = SummarizeGroup("lldc", kValues);
  EXPECT_THAT(lldc.ranked, ElementsAre("RW", "BO", "ET"));
  EXPECT_EQ(lldc.median, 22.0);
  EXPECT_TRUE(SummarizeGroup("nowhere", kValues).ranked.empty());
}

TEST(StandingTest, RankInRegionAndGroups) {
  const std::optional<CountryStanding> rw = StandingOf("rw", kValues);
  ASSERT_TRUE(rw.has_value());
  EXPECT_EQ(rw->cc, "RW");
  EXPECT_EQ(rw->value, 266.0);
  ASSERT_EQ(rw->groups.size(), 3u);  // africa, ldc, lldc.
  EXPECT_EQ(rw->groups[0].group, "africa");
  EXPECT_EQ(rw->groups[0].rank, 2);
  EXPECT_EQ(rw->groups[0].members, 7);
  EXPECT_EQ(rw->groups[0].median, 135.0);
  EXPECT_EQ(rw->groups[1].group, "ldc");
  EXPECT_EQ(rw->groups[1].rank, 1);
  EXPECT_EQ(rw->groups[1].members, 2);
  EXPECT_EQ(rw->groups[1].median, 133.0);
  EXPECT_EQ(rw->groups[2].group, "lldc");
  EXPECT_EQ(rw->groups[2].rank, 1);
}

TEST(StandingTest, TiesShareTheBetterRank) {
  const std::optional<CountryStanding> ng = StandingOf("NG", kValues);
  const std::optional<CountryStanding> ke = StandingOf("KE", kValues);
  const std::optional<CountryStanding> mu = StandingOf("MU", kValues);
  ASSERT_TRUE(ng && ke && mu);
  EXPECT_EQ(ke->groups[0].rank, 3);
  EXPECT_EQ(ng->groups[0].rank, 3);
  EXPECT_EQ(mu->groups[0].rank, 5);  // "1, 2, 3, 3, 5".
  ASSERT_EQ(mu->groups.size(), 2u);
  EXPECT_EQ(mu->groups[1].group, "sids");
  EXPECT_EQ(mu->groups[1].rank, 1);
  EXPECT_EQ(mu->groups[1].median, 18.0);
}

TEST(StandingTest, NoValueOrNoCountryMeansNoStanding) {
  EXPECT_FALSE(StandingOf("DE", kValues).has_value());  // Unknown, not zero.
  EXPECT_FALSE(StandingOf("EU", kValues).has_value());
  // Antarctica has no ITU-D region and is in no UN group: no groups.
  const std::optional<CountryStanding> aq = StandingOf("AQ", {{"AQ", 1}});
  ASSERT_TRUE(aq.has_value());
  EXPECT_TRUE(aq->groups.empty());
}

}  // namespace
}  // namespace v6scope::geo
