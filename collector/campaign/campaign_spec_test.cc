#include "collector/campaign/campaign_spec.h"

#include <sstream>
#include <string>

#include "collector/campaign/list_import.h"
#include "gtest/gtest.h"

namespace v6scope::collector::campaign {
namespace {

using v6scope::v1::Campaign;

const absl::Time kNow = absl::FromUnixSeconds(1'800'000'000);

TEST(CampaignSpecTest, DefaultsAndCanonicalSectors) {
  Campaign in;
  in.set_name("Kenya public services");
  in.add_sectors("bank");
  in.add_sectors("GOV");
  in.add_sectors("banking");
  absl::StatusOr<Campaign> c = NormalizeCampaign(in, kNow);
  ASSERT_TRUE(c.ok()) << c.status();
  ASSERT_EQ(c->sectors_size(), 2);
  EXPECT_EQ(c->sectors(0), "government");
  EXPECT_EQ(c->sectors(1), "banking");
  EXPECT_EQ(c->budget().domains_per_day(), kDefaultDomainsPerDay);
  EXPECT_EQ(c->budget().bytes_per_day(), kDefaultBytesPerDay);
  EXPECT_EQ(c->budget().concurrency(), kDefaultConcurrency);
  EXPECT_EQ(c->schedule().start().seconds(), 1'800'000'000);
  EXPECT_EQ(c->created_by(), "admin");
}

TEST(CampaignSpecTest, ErrorsNameTheField) {
  Campaign c;
  EXPECT_NE(NormalizeCampaign(c, kNow).status().message().find("name"),
            std::string::npos);
  c.set_name("x");
  c.add_sectors("casinos");
  EXPECT_NE(NormalizeCampaign(c, kNow).status().message().find("casinos"),
            std::string::npos);
  c.clear_sectors();
  c.mutable_schedule()->set_every_n_days(400);
  EXPECT_NE(NormalizeCampaign(c, kNow).status().message().find("every_n_days"),
            std::string::npos);
  c.mutable_schedule()->set_every_n_days(7);
  c.mutable_budget()->set_concurrency(65);
  EXPECT_NE(NormalizeCampaign(c, kNow).status().message().find("concurrency"),
            std::string::npos);
  c.mutable_budget()->set_concurrency(0);
  c.mutable_budget()->set_bytes_per_day(1000);
  EXPECT_NE(NormalizeCampaign(c, kNow).status().message().find("bytes_per_day"),
            std::string::npos);
}

TEST(CampaignSpecTest, StatsPerSector) {
  std::istringstream in(
      "domain,sector\nministry.go.ke,government\nbank.co.ke,bank\n"
      "kcb.co.ke,banking\nbank.co.ke,banking\n");
  ImportOptions options;
  absl::StatusOr<ImportResult> r = ImportDomainList(in, options);
  ASSERT_TRUE(r.ok()) << r.status();
  v6scope::v1::CampaignListStats s = ListStats(*r, ListFormat::kCsv);
  EXPECT_EQ(s.names(), 3u);
  EXPECT_EQ(s.names_read(), 4u);
  EXPECT_EQ(s.warnings(), 1u);
  EXPECT_EQ(s.format(), "csv");
  ASSERT_EQ(s.sectors_size(), 2);
  EXPECT_EQ(s.sectors(0).sector(), "government");
  EXPECT_EQ(s.sectors(1).sector(), "banking");
  EXPECT_EQ(s.sectors(1).names(), 2u);
}

TEST(CampaignSpecTest, EffectiveFormatDetectsFromContent) {
  ImportOptions o;
  EXPECT_EQ(EffectiveFormat(o, "# top sites\n\n1,google.com\n"),
            ListFormat::kTranco);
  EXPECT_EQ(EffectiveFormat(o, "example.org\n"), ListFormat::kText);
  o.format = ListFormat::kCsv;
  EXPECT_EQ(EffectiveFormat(o, "example.org\n"), ListFormat::kCsv);
}

}  // namespace
}  // namespace v6scope::collector::campaign
