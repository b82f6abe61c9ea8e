#include "probe/campaign/participation.h"

#include "gtest/gtest.h"
#include "proto/config.pb.h"

namespace v6scope::probe::campaign {
namespace {

TEST(ParticipationTest, DefaultsFillZeroCaps) {
  absl::StatusOr<Participation> p =
      ParseParticipation(v6scope::v1::CampaignParticipation());
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_FALSE(p->opt_out);
  EXPECT_EQ(p->max_domains_per_day, 2000u);
  EXPECT_EQ(p->max_bytes_per_day, 200u << 20);
  EXPECT_EQ(p->max_concurrency, 8u);
}

TEST(ParticipationTest, SectorsAreCanonicalSortedAndUnique) {
  v6scope::v1::CampaignParticipation c;
  c.add_opt_out_sectors("top-sites");
  c.add_opt_out_sectors("banking");
  c.add_opt_out_sectors("banking");
  c.set_max_concurrency(2);
  absl::StatusOr<Participation> p = ParseParticipation(c);
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_EQ(p->opt_out_sectors,
            (std::vector<std::string>{"banking", "top-sites"}));
  EXPECT_TRUE(p->RefusesSector("banking"));
  EXPECT_FALSE(p->RefusesSector("government"));
  EXPECT_EQ(p->max_concurrency, 2u);
}

TEST(ParticipationTest, EmptySectorReadsAsOther) {
  v6scope::v1::CampaignParticipation c;
  c.add_opt_out_sectors("other");
  absl::StatusOr<Participation> p = ParseParticipation(c);
  ASSERT_TRUE(p.ok());
  EXPECT_TRUE(p->RefusesSector(""));
}

TEST(ParticipationTest, UnknownSectorNamesTheField) {
  v6scope::v1::CampaignParticipation c;
  c.add_opt_out_sectors("health");
  c.add_opt_out_sectors("bank");
  absl::StatusOr<Participation> p = ParseParticipation(c);
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.status().message(),
            "campaigns.opt_out_sectors[1]: \"bank\" is not a sector name "
            "(government, education, health, banking, telecom, transport, "
            "top-sites, other)");
}

TEST(ParticipationTest, CapsOutOfRangeNameTheField) {
  v6scope::v1::CampaignParticipation c;
  c.set_max_concurrency(100);
  EXPECT_EQ(ParseParticipation(c).status().message(),
            "campaigns.max_concurrency: 100 outside 1..64 (0: the default 8)");
  c = {};
  c.set_max_bytes_per_day(1000);
  EXPECT_NE(ParseParticipation(c).status().message().find(
                "campaigns.max_bytes_per_day: 1000 outside"),
            absl::string_view::npos);
  c = {};
  c.set_max_domains_per_day(2000000);
  EXPECT_NE(ParseParticipation(c).status().message().find(
                "campaigns.max_domains_per_day"),
            absl::string_view::npos);
}

}  // namespace
}  // namespace v6scope::probe::campaign
