#include "collector/campaign/sector.h"

#include "gtest/gtest.h"

namespace v6scope::collector::campaign {
namespace {

TEST(SectorTest, CanonicalNamesRoundTrip) {
  for (Sector s : {Sector::kGovernment, Sector::kEducation, Sector::kHealth,
                   Sector::kBanking, Sector::kTelecom, Sector::kTransport,
                   Sector::kTopSites, Sector::kOther}) {
    EXPECT_EQ(ParseSector(SectorName(s)), s) << SectorName(s);
  }
}

TEST(SectorTest, AliasesOfThePublicLists) {
  EXPECT_EQ(ParseSector("bank"), Sector::kBanking);
  EXPECT_EQ(ParseSector("telco"), Sector::kTelecom);
  EXPECT_EQ(ParseSector("medical"), Sector::kHealth);
  EXPECT_EQ(ParseSector("utility"), Sector::kOther);
  EXPECT_EQ(ParseSector(" Top sites "), Sector::kTopSites);
  EXPECT_EQ(ParseSector("top_sites"), Sector::kTopSites);
  EXPECT_EQ(ParseSector("GOV"), Sector::kGovernment);
}

TEST(SectorTest, UnknownIsNullopt) {
  EXPECT_EQ(ParseSector("casino"), std::nullopt);
  EXPECT_EQ(ParseSector(""), std::nullopt);
  EXPECT_EQ(SectorList(),
            "government, education, health, banking, telecom, transport, "
            "top-sites, other");
}

}  // namespace
}  // namespace v6scope::collector::campaign
