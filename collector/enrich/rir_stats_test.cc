#include "collector/enrich/rir_stats.h"

#include <string>
#include <utility>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/data/data_paths.h"

namespace v6scope::collector::enrich {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Pair;
using tests::data::FixturePath;

net::IpAddress Ip(const char* text) { return *net::IpAddress::Parse(text); }
net::IpPrefix Prefix(const char* text) { return *net::IpPrefix::Parse(text); }

RirFile ParseFixture(const std::string& name, MalformedLines* bad) {
  absl::StatusOr<DataFile> file = ReadDataFile(FixturePath(name));
  EXPECT_TRUE(file.ok()) << file.status();
  return ParseRirFile(file.ok() ? file->contents : "", bad);
}

TEST(RangeToBlocksTest, SplitsIntoAlignedPowerOfTwoBlocks) {
  const auto ip = [](const char* t) { return V4Key(Ip(t)); };
  EXPECT_THAT(
      RangeToBlocks(ip("164.146.0.0"), 393216),
      ElementsAre(Pair(ip("164.146.0.0"), 15), Pair(ip("164.148.0.0"), 14)));
  EXPECT_THAT(RangeToBlocks(ip("1.1.0.0"), 768),
              ElementsAre(Pair(ip("1.1.0.0"), 23), Pair(ip("1.1.2.0"), 24)));
  EXPECT_THAT(RangeToBlocks(ip("10.0.0.1"), 4),
              ElementsAre(Pair(ip("10.0.0.1"), 32), Pair(ip("10.0.0.2"), 31),
                          Pair(ip("10.0.0.4"), 32)));
  EXPECT_THAT(RangeToBlocks(0, uint64_t{1} << 32), ElementsAre(Pair(0, 0)));
  EXPECT_THAT(RangeToBlocks(ip("255.255.255.0"), 256),
              ElementsAre(Pair(ip("255.255.255.0"), 24)));
  EXPECT_THAT(RangeToBlocks(7545, 4),
              ElementsAre(Pair(7545, 32), Pair(7546, 31), Pair(7548, 32)));
  EXPECT_THAT(RangeToBlocks(5, 0), ElementsAre());
}

TEST(RirParseTest, StandardFileWithCommentsSummariesAndBadLines) {
  MalformedLines bad("delegated-apnic-test");
  const RirFile file = ParseFixture("delegated-apnic-test", &bad);
  ASSERT_TRUE(file.has_header);
  EXPECT_FALSE(file.extended);
  EXPECT_EQ(file.header.version, "2");
  EXPECT_EQ(file.registry(), Registry::kApnic);
  EXPECT_EQ(file.header.serial, "20241109");
  EXPECT_EQ(file.header.records, 17u);
  EXPECT_EQ(file.header.start_date, 19830613);
  EXPECT_EQ(file.header.end_date, 20241108);
  EXPECT_EQ(file.date(), 20241108);
  EXPECT_EQ(file.header.utc_offset, "+1000");
  EXPECT_THAT(file.header.summary, ElementsAre(3, 5, 3));
  EXPECT_EQ(file.records.size(), 12u);
  EXPECT_EQ(bad.count(), 11u);
  EXPECT_THAT(bad.examples(),
              ElementsAre(HasSubstr(":24: unknown type"),
                          HasSubstr(":25: bad IPv4 start address"),
                          HasSubstr(":26: bad IPv4 address count"),
                          HasSubstr(":27: host bits set in IPv6 prefix"),
                          HasSubstr(":28: bad date")));

  const RirRecord& asn = file.records[2];
  EXPECT_EQ(asn.type, ResourceType::kAsn);
  EXPECT_EQ(asn.start_asn, 7545u);
  EXPECT_EQ(asn.value, 4u);
  EXPECT_EQ(asn.cc, "AU");
  const RirRecord& v4 = file.records[6];
  EXPECT_EQ(v4.type, ResourceType::kIpv4);
  EXPECT_EQ(v4.start_address, Ip("1.1.0.0"));
  EXPECT_EQ(v4.value, 768u);
  EXPECT_EQ(v4.date, 20110412);
  EXPECT_EQ(v4.status, RirStatus::kAllocated);
  EXPECT_EQ(v4.holder, Registry::kApnic);
  EXPECT_TRUE(v4.HasCountry());
  const RirRecord& v6 = file.records[11];
  EXPECT_EQ(v6.type, ResourceType::kIpv6);
  EXPECT_EQ(v6.start_address, Ip("2400:cb00:11::"));
  EXPECT_EQ(v6.value, 48u);
  EXPECT_EQ(v6.status, RirStatus::kAssigned);
}

TEST(RirParseTest, ExtendedFileWithOpaqueIdsAndUndelegatedSpace) {
  MalformedLines bad("delegated-afrinic-extended-test");
  const RirFile file = ParseFixture("delegated-afrinic-extended-test", &bad);
  EXPECT_EQ(bad.count(), 0u);
  ASSERT_TRUE(file.has_header);
  EXPECT_TRUE(file.extended);
  EXPECT_EQ(file.registry(), Registry::kAfrinic);
  EXPECT_EQ(file.header.start_date, 0);  // "00000000".
  EXPECT_EQ(file.date(), 20260505);
  ASSERT_EQ(file.records.size(), 11u);
  EXPECT_EQ(file.records[1].status, RirStatus::kAvailable);
  EXPECT_EQ(file.records[1].cc, "");
  EXPECT_EQ(file.records[1].date, 0);
  EXPECT_FALSE(file.records[1].HasCountry());
  EXPECT_EQ(file.records[4].status, RirStatus::kReserved);
  EXPECT_EQ(file.records[4].cc, "ZZ");
  EXPECT_FALSE(file.records[4].HasCountry());
  EXPECT_EQ(file.records[6].cc, "MU");  // The line with extensions.
  EXPECT_EQ(file.records[0].opaque_id, "F36B9F4B");
  EXPECT_EQ(file.records[1].opaque_id, "");  // Available: empty 8th field.
  EXPECT_EQ(file.records[6].opaque_id, "E5F6");
}

TEST(RirParseTest, IanaFileNamesTheHolderInTheStatusField) {
  MalformedLines bad("delegated-iana-test");
  const RirFile file = ParseFixture("delegated-iana-test", &bad);
  EXPECT_EQ(file.registry(), Registry::kIana);
  ASSERT_EQ(file.records.size(), 10u);
  EXPECT_EQ(bad.count(), 1u);  // "|3|19990401|arin", as in the real file.
  EXPECT_THAT(bad.examples(), ElementsAre(HasSubstr(":15: too few fields")));
  EXPECT_EQ(file.records[0].status, RirStatus::kDesignated);
  EXPECT_EQ(file.records[0].holder, Registry::kIetf);
  EXPECT_EQ(file.records[1].holder, Registry::kArin);
  EXPECT_EQ(file.records[8].start_address, Ip("2001:200::"));
  EXPECT_FALSE(file.records[3].HasCountry());
}

TEST(RirParseTest, RecordsOfAnotherRegistryThanTheVersionLineAreNoted) {
  MalformedLines bad("wrong");
  const RirFile file =
      ParseFixture("delegated-afrinic-wrong-registry-test", &bad);
  EXPECT_EQ(file.registry(), Registry::kApnic);
  EXPECT_EQ(file.mismatch_line, 3u);
  EXPECT_THAT(file.mismatch, HasSubstr("'afrinic'"));
  EXPECT_TRUE(file.records.empty());
  EXPECT_EQ(bad.count(), 0u);
}

TEST(RirParseTest, RecordsOfSeveralRegistriesWithoutVersionLineAreNoted) {
  MalformedLines bad("mixed");
  const RirFile file = ParseRirFile(
      "apnic|CN|ipv6|2400::|32|20110414|allocated\n"
      "afrinic|KE|ipv6|2c0f:fe00::|32|20100101|allocated\n",
      &bad);
  EXPECT_EQ(file.registry(), Registry::kApnic);
  EXPECT_EQ(file.mismatch_line, 2u);
  EXPECT_EQ(file.records.size(), 1u);
}

TEST(RirParseTest, FileWithoutVersionLineStillLoadsItsRecords) {
  MalformedLines bad("garbled");
  const RirFile file = ParseRirFile(
      "garbage\n"
      "lacnic|BR|ipv4|24.152.0.0|1024|20200310|allocated|310248\n"
      "lacnic|AR|asn|27|1|19970602|allocated\n"
      "2.3|lacnic|20230323|2|19870101|20230322|-0300\n"
      "lacnic||ipv6|2001:1200::|23||reserved|\n"
      "lacnic|BR|ipv4|24.152",
      &bad);
  EXPECT_FALSE(file.has_header);
  EXPECT_EQ(file.registry(), Registry::kLacnic);
  EXPECT_EQ(file.date(), 0);
  EXPECT_EQ(file.records.size(), 3u);
  EXPECT_EQ(bad.count(), 3u);  // garbage, late version line, cut last line.
}

class RirTablesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    RirTables::Builder builder;
    for (const char* name :
         {"delegated-iana-test", "delegated-afrinic-extended-test",
          "delegated-apnic-test"}) {
      MalformedLines bad(name);
      files_.push_back(ParseFixture(name, &bad));
      builder.AddFile(files_.back());
    }
    tables_ = std::move(builder).Build();
  }

  Delegation Must(const char* address) {
    std::optional<Delegation> d = tables_.Lookup(Ip(address));
    EXPECT_TRUE(d.has_value()) << address;
    return d.value_or(Delegation{});
  }

  std::vector<RirFile> files_;
  RirTables tables_;
};

TEST_F(RirTablesTest, CountryOfDelegatedIpv4Blocks) {
  const Delegation cn = Must("1.0.1.5");
  EXPECT_EQ(cn.country, "CN");
  EXPECT_EQ(cn.prefix, Prefix("1.0.1.0/24"));
  EXPECT_EQ(cn.registry, Registry::kApnic);
  EXPECT_EQ(cn.holder, Registry::kApnic);
  EXPECT_EQ(cn.date, 20110414);
  EXPECT_EQ(Must("1.0.0.7").country, "AU");
  EXPECT_EQ(Must("1.0.0.7").status, RirStatus::kAssigned);
  EXPECT_EQ(Must("1.0.15.255").country, "CN");
}

TEST_F(RirTablesTest, NonPowerOfTwoCountsCoverExactlyTheirRange) {
  EXPECT_EQ(Must("1.1.0.0").prefix, Prefix("1.1.0.0/23"));
  EXPECT_EQ(Must("1.1.2.255").prefix, Prefix("1.1.2.0/24"));
  EXPECT_EQ(Must("1.1.2.255").country, "IN");
  EXPECT_EQ(Must("1.1.3.0").country, "");  // Past the 768 addresses.
  EXPECT_EQ(Must("1.2.3.0").country, "CN");
  EXPECT_EQ(Must("1.2.7.255").prefix, Prefix("1.2.4.0/22"));
  EXPECT_EQ(Must("1.2.8.0").country, "");
  EXPECT_EQ(Must("1.2.2.255").country, "");
  EXPECT_EQ(Must("164.146.0.1").prefix, Prefix("164.146.0.0/15"));
  EXPECT_EQ(Must("164.151.255.255").prefix, Prefix("164.148.0.0/14"));
  EXPECT_EQ(Must("164.151.255.255").country, "ZA");
}

TEST_F(RirTablesTest, IanaDesignationIsTheFallbackForTheRir) {
  const Delegation iana = Must("1.2.8.0");
  EXPECT_EQ(iana.prefix, Prefix("1.0.0.0/8"));
  EXPECT_EQ(iana.status, RirStatus::kDesignated);
  EXPECT_EQ(iana.registry, Registry::kIana);
  EXPECT_EQ(iana.holder, Registry::kApnic);
  EXPECT_EQ(iana.cc, "ZZ");
  EXPECT_EQ(Must("164.152.0.0").holder, Registry::kAfrinic);
  EXPECT_EQ(Must("10.0.0.1").holder, Registry::kIetf);
  EXPECT_EQ(Must("2a01::1").holder, Registry::kRipeNcc);
  EXPECT_FALSE(tables_.Lookup(Ip("9.9.9.9")).has_value());
}

TEST_F(RirTablesTest, ReservedAndAvailableSpaceHasNoCountry) {
  const Delegation reserved = Must("41.1.2.3");
  EXPECT_EQ(reserved.status, RirStatus::kReserved);
  EXPECT_EQ(reserved.cc, "ZZ");
  EXPECT_EQ(reserved.country, "");
  EXPECT_EQ(reserved.holder, Registry::kAfrinic);
  EXPECT_EQ(Must("41.2.0.1").status, RirStatus::kAvailable);
  EXPECT_EQ(Must("41.2.0.1").country, "");
  EXPECT_EQ(Must("41.3.0.1").country, "MU");
  EXPECT_EQ(Must("41.0.3.255").country, "KE");
  EXPECT_EQ(Must("2c0f:fff4::1").country, "");
}

TEST_F(RirTablesTest, Ipv6Delegations) {
  // apnic's 2001:200::/23 is also IANA's designation; the record added
  // later (apnic's) wins.
  EXPECT_EQ(Must("2001:200::1").country, "JP");
  EXPECT_EQ(Must("2001:3ff:ffff::").country, "JP");
  EXPECT_EQ(Must("2001:3ff:ffff::").registry, Registry::kApnic);
  EXPECT_EQ(Must("240e:fff::1").country, "CN");
  EXPECT_EQ(Must("2c0f:fe0f::").prefix, Prefix("2c0f:fe08::/29"));
  EXPECT_EQ(Must("2c0f:fe0f::").country, "KE");
  EXPECT_EQ(Must("::ffff:1.0.1.1").country, "CN");
  std::optional<Delegation> p48 =
      tables_.LookupCovering(Prefix("2400:cb00:11::/48"));
  ASSERT_TRUE(p48.has_value());
  EXPECT_EQ(p48->country, "CN");
  EXPECT_FALSE(tables_.LookupCovering(Prefix("2400:cb00::/47")).has_value());
}

TEST_F(RirTablesTest, AsnRanges) {
  std::optional<Delegation> au = tables_.LookupAsn(7547);
  ASSERT_TRUE(au.has_value());
  EXPECT_EQ(au->country, "AU");
  EXPECT_EQ(au->first_asn, 7545u);
  EXPECT_EQ(au->last_asn, 7548u);
  EXPECT_FALSE(tables_.LookupAsn(7549).has_value());
  EXPECT_EQ(tables_.LookupAsn(4134)->country, "CN");
  EXPECT_EQ(tables_.LookupAsn(1228)->country, "ZA");
  EXPECT_EQ(tables_.LookupAsn(1305)->status, RirStatus::kAvailable);
  EXPECT_EQ(tables_.LookupAsn(1305)->country, "");
  EXPECT_EQ(tables_.LookupAsn(100)->holder, Registry::kArin);
  EXPECT_EQ(tables_.LookupAsn(100)->country, "");
  EXPECT_EQ(tables_.LookupAsn(0)->holder, Registry::kIetf);
  EXPECT_EQ(tables_.LookupAsn(6153)->holder, Registry::kRipeNcc);
  EXPECT_FALSE(tables_.LookupAsn(6154).has_value());
}

TEST_F(RirTablesTest, AllocationContextPerCountry) {
  const std::vector<AllocationContext> context =
      ComputeAllocationContext({&files_[1], &files_[2]});
  ASSERT_EQ(context.size(), 4u);
  const AllocationContext& cn = context[0];
  EXPECT_EQ(cn.cc, "CN");
  EXPECT_EQ(cn.delegations, 3u);
  EXPECT_EQ(cn.allocated, 2u);
  EXPECT_EQ(cn.assigned, 1u);
  EXPECT_DOUBLE_EQ(cn.slash32_equivalents, 1 + 4096 + 1.0 / 65536);
  EXPECT_EQ(cn.first_date, 20100809);
  EXPECT_EQ(cn.latest_date, 20200101);
  EXPECT_EQ(context[1].cc, "JP");
  EXPECT_DOUBLE_EQ(context[1].slash32_equivalents, 512);
  const AllocationContext& ke = context[2];
  EXPECT_EQ(ke.cc, "KE");
  EXPECT_EQ(ke.delegations, 2u);
  EXPECT_DOUBLE_EQ(ke.slash32_equivalents, 9);
  EXPECT_EQ(ke.first_date, 20100101);
  EXPECT_EQ(ke.latest_date, 20151231);
  EXPECT_EQ(context[3].cc, "NG");
  // The IANA file delegates to no country.
  EXPECT_TRUE(ComputeAllocationContext({&files_[0]}).empty());
}

TEST(RegistryTest, NamesRoundTrip) {
  for (Registry r : {Registry::kAfrinic, Registry::kApnic, Registry::kArin,
                     Registry::kLacnic, Registry::kRipeNcc, Registry::kIana,
                     Registry::kIetf}) {
    EXPECT_EQ(ParseRegistry(RegistryName(r)), r);
  }
  EXPECT_EQ(ParseRegistry("ripe"), Registry::kNone);
  EXPECT_EQ(RegistryName(Registry::kNone), "");
  EXPECT_EQ(RirStatusName(RirStatus::kDesignated), "designated");
}

}  // namespace
}  // namespace v6scope::collector::enrich
