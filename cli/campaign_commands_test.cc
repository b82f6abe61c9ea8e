#include "cli/campaign_commands.h"

#include <string>

#include "gtest/gtest.h"

namespace v6scope::cli {
namespace {

TEST(CampaignCommandsTest, FlagsBecomeTheSpec) {
  CampaignFlags f;
  f.name = "Kenya";
  f.list_file = "kenya.csv";
  f.sectors = "gov, bank";
  f.countries = "KE,UG";
  f.asns = "AS33771,36866";
  f.regions = "africa";
  f.probe_ids = "p-1";
  f.include_collector = true;
  f.every_days = 7;
  f.start = "2026-12-01";
  f.bytes_per_day = "500M";
  f.concurrency = 8;
  absl::StatusOr<v6scope::v1::CampaignSpec> spec = BuildCampaignSpec(f);
  ASSERT_TRUE(spec.ok()) << spec.status();
  const v6scope::v1::Campaign& c = spec->campaign();
  EXPECT_EQ(spec->file_name(), "kenya.csv");
  ASSERT_EQ(c.sectors_size(), 2);
  EXPECT_EQ(c.sectors(1), "bank");
  ASSERT_EQ(c.selector().asns_size(), 2);
  EXPECT_EQ(c.selector().asns(0), 33771u);
  EXPECT_EQ(c.selector().countries_size(), 2);
  EXPECT_TRUE(c.selector().include_collector());
  EXPECT_EQ(c.schedule().every_n_days(), 7u);
  EXPECT_EQ(c.schedule().start().seconds(), 1'796'083'200);
  EXPECT_EQ(c.budget().bytes_per_day(), 500u << 20);
  EXPECT_EQ(c.budget().concurrency(), 8u);
}

TEST(CampaignCommandsTest, BadFlagsAreNamed) {
  CampaignFlags f;
  f.asns = "ASX";
  EXPECT_NE(BuildCampaignSpec(f).status().message().find("--asns"),
            std::string::npos);
  f.asns = "";
  f.start = "tomorrow";
  EXPECT_NE(BuildCampaignSpec(f).status().message().find("--start"),
            std::string::npos);
  f.start = "";
  f.bytes_per_day = "lots";
  EXPECT_NE(BuildCampaignSpec(f).status().message().find("--bytes_per_day"),
            std::string::npos);
}

TEST(CampaignCommandsTest, TableShowsTheCampaign) {
  v6scope::v1::Campaign c;
  c.set_id("c-0011aabb");
  c.set_name("Kenya");
  c.set_state(v6scope::v1::CAMPAIGN_PAUSED);
  c.mutable_list()->set_names(1200);
  c.add_sectors("government");
  c.mutable_selector()->add_countries("KE");
  c.mutable_selector()->add_asns(33771);
  c.set_selected_probes(3);
  std::string out = CampaignTable({c}).Render(OutputFormat::kCsv);
  EXPECT_NE(out.find("c-0011aabb,Kenya,paused,1200,government,KE AS33771,3"),
            std::string::npos)
      << out;
}

}  // namespace
}  // namespace v6scope::cli
