#include "collector/enrich/prefix_table.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/data/data_paths.h"

namespace v6scope::collector::enrich {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using tests::data::FixturePath;

net::IpAddress Ip(const char* text) { return *net::IpAddress::Parse(text); }
net::IpPrefix Prefix(const char* text) { return *net::IpPrefix::Parse(text); }

TEST(IsPublicAsnTest, SkipsPrivateDocumentationAndReserved) {
  EXPECT_TRUE(IsPublicAsn(1));
  EXPECT_TRUE(IsPublicAsn(13335));
  EXPECT_TRUE(IsPublicAsn(64495));
  EXPECT_TRUE(IsPublicAsn(131072));
  EXPECT_TRUE(IsPublicAsn(399999));
  EXPECT_TRUE(IsPublicAsn(4199999999u));
  for (uint32_t asn :
       {0u, 23456u, 64496u, 64511u, 64512u, 65000u, 65534u, 65535u, 65536u,
        65551u, 131071u, 4200000000u, 4294967294u, 4294967295u}) {
    EXPECT_FALSE(IsPublicAsn(asn)) << asn;
  }
}

TEST(OriginFieldTest, ParsesSingleMoasAndAsSets) {
  absl::StatusOr<OriginField> single = ParseOriginField("13335");
  ASSERT_TRUE(single.ok());
  EXPECT_FALSE(single->moas());
  EXPECT_FALSE(single->has_as_set());
  EXPECT_EQ(PrimaryOrigin(*single), 13335u);

  absl::StatusOr<OriginField> moas = ParseOriginField("3908_209");
  ASSERT_TRUE(moas.ok());
  EXPECT_TRUE(moas->moas());
  EXPECT_THAT(moas->Asns(), ElementsAre(3908, 209));
  // CAIDA lists the most-seen origin first: not the lowest number.
  EXPECT_EQ(PrimaryOrigin(*moas), 3908u);

  absl::StatusOr<OriginField> set = ParseOriginField("271,7860,8111");
  ASSERT_TRUE(set.ok());
  EXPECT_FALSE(set->moas());
  EXPECT_TRUE(set->has_as_set());
  EXPECT_EQ(PrimaryOrigin(*set), 271u);

  absl::StatusOr<OriginField> both = ParseOriginField("31133_6854,25159,31133");
  ASSERT_TRUE(both.ok());
  EXPECT_TRUE(both->moas());
  EXPECT_TRUE(both->has_as_set());
  EXPECT_THAT(both->Asns(), ElementsAre(31133, 6854, 25159));
  EXPECT_EQ(both->ToString(), "31133_6854,25159,31133");
  EXPECT_EQ(PrimaryOrigin(*both), 31133u);
}

TEST(OriginFieldTest, PrivateOriginsAreSkippedOrUnknown) {
  EXPECT_EQ(PrimaryOrigin(*ParseOriginField("65288_7713")), 7713u);
  EXPECT_EQ(PrimaryOrigin(*ParseOriginField("64512,65001,3320")), 3320u);
  EXPECT_EQ(PrimaryOrigin(*ParseOriginField("64646")), 0u);
  EXPECT_EQ(PrimaryOrigin(*ParseOriginField("4200000001_4200000002")), 0u);
  EXPECT_EQ(PrimaryOrigin(*ParseOriginField("23456_1")), 1u);
}

TEST(OriginFieldTest, RejectsMalformedFields) {
  for (const char* bad : {"", "_", "1_", "_1", "1,", ",1", "1__2", "AS1",
                          "4294967296", "1 2", "{1,2}", "-1"}) {
    EXPECT_FALSE(ParseOriginField(bad).ok()) << bad;
  }
  EXPECT_THAT(ParseOriginField("1_x").status().message(), HasSubstr("\"x\""));
}

class PrefixTableFixtureTest : public ::testing::Test {
 protected:
  void SetUp() override {
    PrefixTable::Builder builder;
    for (const char* name : {"pfx2as_v4.txt", "pfx2as_v6.txt.gz"}) {
      absl::StatusOr<DataFile> file = ReadDataFile(FixturePath(name));
      ASSERT_TRUE(file.ok()) << file.status();
      MalformedLines bad(name);
      accepted_.push_back(builder.AddContents(file->contents, &bad));
      malformed_.push_back(bad.count());
      examples_.push_back(bad.examples());
    }
    table_ = std::move(builder).Build();
  }

  PrefixOrigin MustLookup(const char* address) {
    std::optional<PrefixOrigin> match = table_.Lookup(Ip(address));
    EXPECT_TRUE(match.has_value()) << address;
    return match.value_or(PrefixOrigin{});
  }

  std::vector<uint64_t> accepted_;
  std::vector<uint64_t> malformed_;
  std::vector<std::vector<std::string>> examples_;
  PrefixTable table_;
};

TEST_F(PrefixTableFixtureTest, CountsRecordsAndMalformedLines) {
  // pfx2as_v4.txt: 13 good lines (one of them IPv6, one with CRLF); 7 bad,
  // of which the first 5 are kept as examples.
  EXPECT_EQ(accepted_[0], 13u);
  EXPECT_EQ(malformed_[0], 7u);
  EXPECT_THAT(examples_[0],
              ElementsAre(HasSubstr("pfx2as_v4.txt:14: bad AS number"),
                          HasSubstr("pfx2as_v4.txt:15: bad prefix length"),
                          HasSubstr("pfx2as_v4.txt:16: host bits set"),
                          HasSubstr("pfx2as_v4.txt:17: want 3 TAB"),
                          HasSubstr("pfx2as_v4.txt:18: want 3 TAB")));
  // pfx2as_v6.txt.gz: 10 good lines, 2 bad.
  EXPECT_EQ(accepted_[1], 10u);
  EXPECT_EQ(malformed_[1], 2u);
  EXPECT_EQ(table_.v4_size(), 12u);
  EXPECT_EQ(table_.v6_size(), 11u);
}

TEST_F(PrefixTableFixtureTest, SingleOrigin) {
  const PrefixOrigin p = MustLookup("1.0.0.1");
  EXPECT_EQ(p.prefix, Prefix("1.0.0.0/24"));
  EXPECT_EQ(p.origin_asn, 13335u);
  EXPECT_THAT(p.origins, ElementsAre(13335));
  EXPECT_FALSE(p.moas);
  EXPECT_FALSE(p.as_set);
  EXPECT_EQ(p.origin_field, "13335");
  EXPECT_EQ(MustLookup("5.5.5.5").origin_asn, 5555u);  // CRLF line.
  EXPECT_FALSE(table_.Lookup(Ip("1.0.1.0")).has_value());
}

TEST_F(PrefixTableFixtureTest, LongestPrefixWinsInNestedPrefixes) {
  EXPECT_EQ(MustLookup("10.9.9.9").prefix, Prefix("10.0.0.0/8"));
  EXPECT_EQ(MustLookup("10.9.9.9").origin_asn, 0u);  // AS64512 only.
  EXPECT_THAT(MustLookup("10.9.9.9").origins, ElementsAre(64512));
  EXPECT_EQ(MustLookup("10.1.0.0").origin_asn, 3356u);
  EXPECT_EQ(MustLookup("10.1.2.127").origin_asn, 174u);
  const PrefixOrigin p25 = MustLookup("10.1.2.128");
  EXPECT_EQ(p25.prefix, Prefix("10.1.2.128/25"));
  EXPECT_EQ(p25.origin_asn, 7018u);  // 65001 is private.
  EXPECT_THAT(p25.origins, ElementsAre(65001, 7018));
  EXPECT_TRUE(p25.moas);
  EXPECT_EQ(MustLookup("10.1.3.0").origin_asn, 3356u);
}

TEST_F(PrefixTableFixtureTest, MoasAndAsSetRule) {
  const PrefixOrigin moas = MustLookup("11.1.1.1");
  EXPECT_EQ(moas.origin_asn, 1u);
  EXPECT_THAT(moas.origins, ElementsAre(1, 2, 3));
  EXPECT_TRUE(moas.moas);
  const PrefixOrigin set = MustLookup("12.0.0.1");
  EXPECT_EQ(set.origin_asn, 7018u);
  EXPECT_TRUE(set.as_set);
  EXPECT_FALSE(set.moas);
  EXPECT_EQ(MustLookup("13.0.0.1").origin_asn, 3320u);  // 64496 is doc.
  const PrefixOrigin both = MustLookup("14.0.255.255");
  EXPECT_EQ(both.origin_asn, 31133u);
  EXPECT_EQ(both.origin_field, "31133_6854,25159");
  EXPECT_EQ(MustLookup("203.0.113.1").origin_asn, 0u);
  EXPECT_EQ(MustLookup("255.255.255.255").origin_asn, 15169u);
  EXPECT_EQ(MustLookup("2001:db8:ffff::").origin_asn, 15169u);  // In v4 file.
}

TEST_F(PrefixTableFixtureTest, Ipv6FromGzip) {
  const PrefixOrigin teredo = MustLookup("2001::1");
  EXPECT_EQ(teredo.origin_asn, 6939u);
  EXPECT_THAT(teredo.origins, ElementsAre(6939, 1101, 25192));
  EXPECT_EQ(MustLookup("2001:410:1::").origin_asn, 271u);
  EXPECT_EQ(MustLookup("2001:5e0::").origin_asn, 16713u);
  EXPECT_EQ(MustLookup("2400:cb00:11::1").prefix, Prefix("2400:cb00:11::/48"));
  EXPECT_EQ(MustLookup("2400:cb00:12::1").prefix, Prefix("2400:cb00::/32"));
  EXPECT_EQ(MustLookup("2a0f:ffff::").origin_asn, 3333u);
  EXPECT_EQ(MustLookup("2c0f:fff0::1").origin_asn, 37282u);
  EXPECT_EQ(MustLookup("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff").origin_asn,
            2914u);
  EXPECT_FALSE(table_.Lookup(Ip("2002::1")).has_value());
  EXPECT_EQ(table_.OriginAsn(Ip("2400:cb00:11::1")), 13335u);
  EXPECT_EQ(table_.OriginAsn(Ip("2002::1")), 0u);
}

TEST_F(PrefixTableFixtureTest, MappedAddressesLookUpAsIpv4) {
  EXPECT_EQ(MustLookup("::ffff:1.0.0.9").origin_asn, 13335u);
  EXPECT_EQ(table_.OriginAsn(Ip("::ffff:10.1.2.3")), 174u);
}

TEST_F(PrefixTableFixtureTest, CoveringLookupOfTruncatedProbePrefixes) {
  // The /64 inside 2001:db8:1::/48 covers only part of that /48.
  std::optional<PrefixOrigin> p48 =
      table_.LookupCovering(Prefix("2001:db8:1::/48"));
  ASSERT_TRUE(p48.has_value());
  EXPECT_EQ(p48->prefix, Prefix("2001:db8:1::/48"));
  EXPECT_EQ(p48->origin_asn, 0u);  // AS64496: documentation.
  EXPECT_EQ(table_.Lookup(Ip("2001:db8:1::"))->prefix,
            Prefix("2001:db8:1::/48"));
  EXPECT_EQ(table_.Lookup(Ip("2001:db8:1:1::"))->origin_asn, 2906u);
  // A /24 whose first /25 is announced separately.
  EXPECT_EQ(table_.LookupCovering(Prefix("10.1.2.0/24"))->origin_asn, 174u);
  EXPECT_EQ(table_.LookupCovering(Prefix("10.1.2.128/25"))->origin_asn, 7018u);
  EXPECT_FALSE(table_.LookupCovering(Prefix("1.0.0.0/23")).has_value());
}

TEST(PrefixTableTest, TruncatedGzipLoadsTheCompleteLines) {
  absl::StatusOr<DataFile> file =
      ReadDataFile(FixturePath("pfx2as_truncated.gz"));
  ASSERT_TRUE(file.ok());
  ASSERT_TRUE(file->truncated);
  PrefixTable::Builder builder;
  MalformedLines bad("pfx2as_truncated.gz");
  const uint64_t accepted = builder.AddContents(file->contents, &bad);
  PrefixTable table = std::move(builder).Build();
  EXPECT_GT(accepted, 0u);
  EXPECT_EQ(bad.count(), 1u);  // The cut-off last line.
  EXPECT_EQ(table.OriginAsn(Ip("1.0.0.1")), 13335u);
  // The cut line was "12.0.0.0<TAB>8<TAB>7018,701,70": not loaded.
  EXPECT_EQ(table.OriginAsn(Ip("12.0.0.1")), 0u);
  EXPECT_FALSE(table.Lookup(Ip("12.0.0.1")).has_value());
}

TEST(PrefixTableTest, AddRejectsBadOriginField) {
  PrefixTable::Builder builder;
  EXPECT_TRUE(builder.Add(Prefix("192.0.2.0/24"), "64500_3356").ok());
  EXPECT_FALSE(builder.Add(Prefix("198.51.100.0/24"), "x").ok());
  PrefixTable table = std::move(builder).Build();
  EXPECT_EQ(table.OriginAsn(Ip("192.0.2.1")), 3356u);
  EXPECT_EQ(table.v4_size(), 1u);
}

TEST(PrefixTableTest, EmptyTable) {
  PrefixTable table;
  EXPECT_FALSE(table.Lookup(Ip("1.1.1.1")).has_value());
  EXPECT_FALSE(table.LookupCovering(Prefix("2001:db8::/48")).has_value());
  EXPECT_EQ(table.OriginAsn(Ip("::1")), 0u);
}

}  // namespace
}  // namespace v6scope::collector::enrich
