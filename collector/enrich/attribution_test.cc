#include "collector/enrich/attribution.h"

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/data/data_paths.h"

namespace v6scope::collector::enrich {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::MatchesRegex;
using tests::data::FixturePath;

net::IpAddress Ip(const char* text) { return *net::IpAddress::Parse(text); }
net::IpPrefix Prefix(const char* text) { return *net::IpPrefix::Parse(text); }

AttributionSources FixtureSources() {
  AttributionSources s;
  s.pfx2as_files = {FixturePath("pfx2as_v4.txt"),
                    FixturePath("pfx2as_v6.txt.gz")};
  s.rir_files = {FixturePath("delegated-iana-test"),
                 FixturePath("delegated-afrinic-old-test"),
                 FixturePath("delegated-afrinic-extended-test"),
                 FixturePath("delegated-apnic-test")};
  s.as_names_file = FixturePath("asnames.txt");
  return s;
}

std::string WriteTemp(const std::string& name, const std::string& text) {
  const std::string path = absl::StrCat(std::getenv("TEST_TMPDIR"), "/", name);
  FILE* f = std::fopen(path.c_str(), "wb");
  EXPECT_NE(f, nullptr);
  std::fwrite(text.data(), 1, text.size(), f);
  std::fclose(f);
  return path;
}

class AttributionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::shared_ptr<const AttributionIndex>> index =
        AttributionIndex::Load(FixtureSources());
    ASSERT_TRUE(index.ok()) << index.status();
    index_ = *index;
  }
  std::shared_ptr<const AttributionIndex> index_;
};

TEST_F(AttributionTest, RoutedAndDelegatedAddress) {
  const Attribution a = index_->Attribute(Ip("1.0.0.1"));
  ASSERT_TRUE(a.prefix.has_value());
  EXPECT_EQ(*a.prefix, Prefix("1.0.0.0/24"));
  EXPECT_EQ(a.origin_asn, 13335u);
  EXPECT_THAT(a.origins, ElementsAre(13335));
  EXPECT_EQ(a.origin_field, "13335");
  EXPECT_EQ(a.as_name, "CLOUDFLARENET");
  // The country of the address block, not of the AS (US).
  EXPECT_EQ(a.country, "AU");
  EXPECT_EQ(a.country_source, CountrySource::kPrefixDelegation);
  EXPECT_EQ(a.rir, "apnic");
  EXPECT_EQ(*a.delegation, Prefix("1.0.0.0/24"));
  EXPECT_EQ(a.delegation_date, 20110811);
}

TEST_F(AttributionTest, TruncatedProbePrefixUsesTheCoveringPrefix) {
  const Attribution a = index_->Attribute(Prefix("2400:cb00:11::/48"));
  EXPECT_EQ(a.origin_asn, 13335u);
  EXPECT_EQ(*a.prefix, Prefix("2400:cb00:11::/48"));
  EXPECT_EQ(a.country, "CN");
  EXPECT_EQ(a.rir, "apnic");
  // 2001:db8:1:1::/64 (AS2906) covers only part of this /48.
  const Attribution doc = index_->Attribute(Prefix("2001:db8:1::/48"));
  EXPECT_EQ(*doc.prefix, Prefix("2001:db8:1::/48"));
  EXPECT_EQ(doc.origin_asn, 0u);
  EXPECT_THAT(doc.origins, ElementsAre(64496));
  EXPECT_EQ(doc.as_name, "");
  EXPECT_EQ(index_->Attribute(Prefix("10.1.2.0/24")).origin_asn, 174u);
}

TEST_F(AttributionTest, CountryFallsBackToTheOriginAsName) {
  const Attribution a = index_->Attribute(Ip("2400:cb00:12::1"));
  EXPECT_EQ(a.origin_asn, 13335u);
  EXPECT_EQ(a.country, "US");
  EXPECT_EQ(a.country_source, CountrySource::kOriginAsName);
  EXPECT_EQ(a.rir, "");
  EXPECT_FALSE(a.delegation.has_value());
}

TEST_F(AttributionTest, DelegatedButUnrouted) {
  const Attribution a = index_->Attribute(Ip("1.0.1.5"));
  EXPECT_FALSE(a.prefix.has_value());
  EXPECT_EQ(a.origin_asn, 0u);
  EXPECT_EQ(a.country, "CN");
  EXPECT_EQ(a.country_source, CountrySource::kPrefixDelegation);
}

TEST_F(AttributionTest, NothingKnown) {
  const Attribution a = index_->Attribute(Ip("9.9.9.9"));
  EXPECT_FALSE(a.prefix.has_value());
  EXPECT_EQ(a.origin_asn, 0u);
  EXPECT_EQ(a.country, "");
  EXPECT_EQ(a.country_source, CountrySource::kNone);
  EXPECT_EQ(a.rir, "");
  EXPECT_EQ(a.as_name, "");
}

TEST_F(AttributionTest, RirFromIanaDesignationWithoutCountry) {
  // 10.1.0.0/16 AS3356 inside IANA's 10/8 (ietf): no delegation country, so
  // the AS's country.
  const Attribution a = index_->Attribute(Ip("10.1.0.1"));
  EXPECT_EQ(a.origin_asn, 3356u);
  EXPECT_EQ(a.rir, "ietf");
  EXPECT_EQ(a.country, "US");
  EXPECT_EQ(a.country_source, CountrySource::kOriginAsName);
}

TEST_F(AttributionTest, MoasAndAsSetAreKept) {
  const Attribution a = index_->Attribute(Ip("14.0.0.1"));
  EXPECT_EQ(a.origin_asn, 31133u);
  EXPECT_TRUE(a.moas);
  EXPECT_TRUE(a.as_set);
  EXPECT_THAT(a.origins, ElementsAre(31133, 6854, 25159));
  EXPECT_EQ(a.origin_field, "31133_6854,25159");
}

TEST_F(AttributionTest, SupersededRirFileIsNotUsed) {
  // delegated-afrinic-old-test (2019) says EG; the 2026 file says ZA.
  EXPECT_EQ(index_->Attribute(Ip("164.146.1.1")).country, "ZA");
  EXPECT_EQ(index_->Attribute(Ip("2c0f:f000::1")).country, "NG");
}

TEST_F(AttributionTest, AsnCountryAndName) {
  EXPECT_EQ(index_->AsnCountry(4134), "CN");   // RIR delegation.
  EXPECT_EQ(index_->AsnCountry(13335), "US");  // AS-names list.
  EXPECT_EQ(index_->AsnCountry(0), "");        // "ZZ" in both.
  EXPECT_EQ(index_->AsnCountry(4294967295u), "");
  EXPECT_EQ(index_->AsName(4134), "CHINANET-BACKBONE No.31,Jin-rong Street");
  EXPECT_EQ(index_->AsName(4294967295u), "");
}

TEST_F(AttributionTest, AllocationContext) {
  std::optional<AllocationContext> cn = index_->Allocation("CN");
  ASSERT_TRUE(cn.has_value());
  EXPECT_EQ(cn->delegations, 3u);
  EXPECT_EQ(cn->first_date, 20100809);
  // The superseded 2019 AFRINIC file's EG block does not count.
  EXPECT_FALSE(index_->Allocation("EG").has_value());
  EXPECT_FALSE(index_->Allocation("XX").has_value());
  ASSERT_EQ(index_->allocations().size(), 4u);
  EXPECT_EQ(index_->allocations()[2].cc, "KE");
}

TEST_F(AttributionTest, DatasetVersions) {
  const std::vector<DatasetVersion>& d = index_->datasets();
  ASSERT_EQ(d.size(), 7u);
  EXPECT_EQ(d[0].kind, "pfx2as");
  EXPECT_EQ(d[0].name, "pfx2as_v4.txt");
  EXPECT_EQ(d[0].records, 13u);
  EXPECT_EQ(d[0].malformed, 7u);
  EXPECT_EQ(d[0].lines, 23u);
  EXPECT_EQ(d[1].records, 10u);
  EXPECT_EQ(d[2].registry, "iana");
  EXPECT_EQ(d[2].data_date, "2019-06-12");
  EXPECT_EQ(d[2].malformed, 1u);
  EXPECT_TRUE(d[3].superseded);
  EXPECT_FALSE(d[4].superseded);
  EXPECT_EQ(d[5].ToString(), "delegated-apnic-test@2024-11-08");
  EXPECT_EQ(d[5].malformed, 11u);
  EXPECT_EQ(d[6].kind, "as_names");
  EXPECT_EQ(d[6].records, 12u);
  EXPECT_THAT(index_->version(),
              MatchesRegex("pfx2as=pfx2as_v4.txt@mtime=[0-9T:Z-]+,"
                           "pfx2as_v6.txt.gz@mtime=[0-9T:Z-]+;"
                           "rir=delegated-iana-test@2019-06-12,"
                           "delegated-afrinic-extended-test@2026-05-05,"
                           "delegated-apnic-test@2024-11-08;"
                           "as_names=asnames.txt@mtime=[0-9T:Z-]+"));
}

TEST(AttributionFromTablesTest, CountryFromTheOriginAsnDelegation) {
  PrefixTable::Builder prefixes;
  ASSERT_TRUE(prefixes.Add(Prefix("192.0.2.0/24"), "4134").ok());
  absl::StatusOr<DataFile> apnic =
      ReadDataFile(FixturePath("delegated-apnic-test"));
  ASSERT_TRUE(apnic.ok());
  MalformedLines bad("apnic");
  const RirFile file = ParseRirFile(apnic->contents, &bad);
  RirTables::Builder rir;
  rir.AddFile(file);
  std::shared_ptr<const AttributionIndex> index = AttributionIndex::FromTables(
      std::move(prefixes).Build(), std::move(rir).Build(), AsNames(), {&file},
      {});
  const Attribution a = index->Attribute(Ip("192.0.2.9"));
  EXPECT_EQ(a.origin_asn, 4134u);
  EXPECT_EQ(a.country, "CN");
  EXPECT_EQ(a.country_source, CountrySource::kOriginAsnDelegation);
  EXPECT_EQ(a.as_name, "");
  EXPECT_EQ(index->version(), "");
  EXPECT_EQ(index->Allocation("CN")->delegations, 3u);
}

TEST(AttributionLoadTest, MissingFileFailsAndNamesIt) {
  AttributionSources s = FixtureSources();
  s.rir_files.push_back("/nonexistent/delegated-arin-extended-latest");
  absl::StatusOr<std::shared_ptr<const AttributionIndex>> index =
      AttributionIndex::Load(s);
  EXPECT_EQ(index.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(index.status().message(),
              HasSubstr("/nonexistent/delegated-arin-extended-latest"));
}

TEST(AttributionLoadTest, FileWithoutAnyValidRecordFails) {
  AttributionSources s = FixtureSources();
  s.pfx2as_files.push_back(
      WriteTemp("garbage.pfx2as", "<html>\n<body>Not Found</body>\n"));
  absl::StatusOr<std::shared_ptr<const AttributionIndex>> index =
      AttributionIndex::Load(s);
  EXPECT_EQ(index.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(index.status().message(), HasSubstr("garbage.pfx2as"));
  EXPECT_THAT(index.status().message(), HasSubstr("2 malformed"));
}

TEST(AttributionLoadTest, TruncatedGzipFailsNamingFileAndLine) {
  AttributionSources s = FixtureSources();
  s.pfx2as_files = {FixturePath("pfx2as_truncated.gz")};
  absl::StatusOr<std::shared_ptr<const AttributionIndex>> index =
      AttributionIndex::Load(s);
  EXPECT_EQ(index.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(index.status().message(),
              HasSubstr("pfx2as_truncated.gz:10: gzip stream corrupt or cut "
                        "short (unexpected end of file)"));
  EXPECT_THAT(index.status().message(), HasSubstr("--allow_partial_data"));
}

TEST(AttributionLoadTest, TruncatedGzipLoadsInPartWhenAllowedAndSaysSo) {
  AttributionSources s = FixtureSources();
  s.pfx2as_files = {FixturePath("pfx2as_truncated.gz")};
  s.allow_partial = true;
  absl::StatusOr<std::shared_ptr<const AttributionIndex>> index =
      AttributionIndex::Load(s);
  ASSERT_TRUE(index.ok()) << index.status();
  const DatasetVersion& d = (*index)->datasets()[0];
  EXPECT_TRUE(d.truncated);
  EXPECT_EQ(d.malformed, 1u);
  EXPECT_THAT(d.problem, HasSubstr("pfx2as_truncated.gz:10: "));
  EXPECT_EQ((*index)->Attribute(Ip("1.0.0.1")).origin_asn, 13335u);
  EXPECT_THAT((*index)->PartialFiles(), ElementsAre("pfx2as_truncated.gz"));
  EXPECT_THAT((*index)->version(),
              MatchesRegex(".*;partial=pfx2as_truncated\\.gz"));
}

TEST(AttributionLoadTest, GzipCrcErrorFails) {
  AttributionSources s;
  s.pfx2as_files = {FixturePath("pfx2as_crc.gz")};
  absl::StatusOr<std::shared_ptr<const AttributionIndex>> index =
      AttributionIndex::Load(s);
  EXPECT_EQ(index.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(index.status().message()),
              MatchesRegex(".*pfx2as_crc\\.gz:[0-9]+: gzip stream corrupt.*"));
}

TEST(AttributionLoadTest, FileCutMidLineFailsNamingTheLine) {
  AttributionSources s;
  s.pfx2as_files = {FixturePath("pfx2as_cut.txt")};
  absl::StatusOr<std::shared_ptr<const AttributionIndex>> index =
      AttributionIndex::Load(s);
  EXPECT_EQ(index.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(index.status().message(),
              HasSubstr("pfx2as_cut.txt:4: last line has no newline"));
  s.allow_partial = true;
  index = AttributionIndex::Load(s);
  ASSERT_TRUE(index.ok()) << index.status();
  EXPECT_EQ((*index)->datasets()[0].records, 2u);
  EXPECT_THAT((*index)->version(), HasSubstr(";partial=pfx2as_cut.txt"));
}

// The version line says apnic, the records are AFRINIC's: before, the file
// (dated 2099) silently replaced the real APNIC file as "newer".
TEST(AttributionLoadTest, WrongRegistryVersionLineFailsNamingTheLine) {
  AttributionSources s;
  s.rir_files = {FixturePath("delegated-apnic-test"),
                 FixturePath("delegated-afrinic-wrong-registry-test")};
  absl::StatusOr<std::shared_ptr<const AttributionIndex>> index =
      AttributionIndex::Load(s);
  EXPECT_EQ(index.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(index.status().message(),
              HasSubstr("delegated-afrinic-wrong-registry-test:3: record of "
                        "registry 'afrinic' in a file whose version line "
                        "names 'apnic'"));
}

TEST(AttributionLoadTest, WrongRegistryFileIsRefusedWholeWhenPartialAllowed) {
  AttributionSources s;
  s.rir_files = {FixturePath("delegated-apnic-test"),
                 FixturePath("delegated-afrinic-wrong-registry-test")};
  s.allow_partial = true;
  absl::StatusOr<std::shared_ptr<const AttributionIndex>> index =
      AttributionIndex::Load(s);
  ASSERT_TRUE(index.ok()) << index.status();
  EXPECT_FALSE((*index)->datasets()[0].superseded);
  EXPECT_TRUE((*index)->datasets()[1].refused);
  EXPECT_THAT((*index)->registries(), ElementsAre("apnic"));
  EXPECT_TRUE((*index)->Allocation("CN").has_value());
  EXPECT_FALSE((*index)->Allocation("KE").has_value());
  EXPECT_THAT((*index)->version(),
              MatchesRegex("rir=delegated-apnic-test@2024-11-08;"
                           "partial=delegated-afrinic-wrong-registry-test"));
}

TEST(AttributionLoadTest, RirFilesAloneLoad) {
  AttributionSources s;
  s.rir_files = {FixturePath("delegated-afrinic-extended-test")};
  absl::StatusOr<std::shared_ptr<const AttributionIndex>> index =
      AttributionIndex::Load(s);
  ASSERT_TRUE(index.ok()) << index.status();
  EXPECT_THAT((*index)->registries(), ElementsAre("afrinic"));
  EXPECT_TRUE((*index)->HasRegistry("afrinic"));
  EXPECT_FALSE((*index)->HasRegistry("apnic"));
  EXPECT_FALSE((*index)->allocations().empty());
  EXPECT_TRUE((*index)->PartialFiles().empty());
}

TEST(AttributionLoadTest, AsNamesAloneLoad) {
  AttributionSources s;
  s.as_names_file = FixturePath("asnames.txt");
  absl::StatusOr<std::shared_ptr<const AttributionIndex>> index =
      AttributionIndex::Load(s);
  ASSERT_TRUE(index.ok()) << index.status();
  EXPECT_EQ((*index)->AsName(13335), "CLOUDFLARENET");
  EXPECT_TRUE((*index)->registries().empty());
}

TEST(AttributionLoadTest, MissingFileOfEachKindFailsAndNamesIt) {
  for (int kind = 0; kind < 3; ++kind) {
    AttributionSources s;
    s.allow_partial = true;  // Never covers a path that does not exist.
    if (kind == 0) s.pfx2as_files = {"/nonexistent/pfx2as.gz"};
    if (kind == 1) s.rir_files = {"/nonexistent/delegated-afrinic-latest"};
    if (kind == 2) s.as_names_file = "/nonexistent/asn.txt";
    absl::StatusOr<std::shared_ptr<const AttributionIndex>> index =
        AttributionIndex::Load(s);
    EXPECT_EQ(index.status().code(), absl::StatusCode::kNotFound) << kind;
    EXPECT_THAT(index.status().message(), HasSubstr("/nonexistent/")) << kind;
  }
}

TEST(AttributionLoadTest, OptionalFilesMayBeLeftOut) {
  AttributionSources s;
  s.pfx2as_files = {FixturePath("pfx2as_v4.txt")};
  absl::StatusOr<std::shared_ptr<const AttributionIndex>> index =
      AttributionIndex::Load(s);
  ASSERT_TRUE(index.ok()) << index.status();
  const Attribution a = (*index)->Attribute(Ip("1.0.0.1"));
  EXPECT_EQ(a.origin_asn, 13335u);
  EXPECT_EQ(a.country, "");
  EXPECT_EQ(a.as_name, "");
  EXPECT_THAT((*index)->version(),
              MatchesRegex("pfx2as=pfx2as_v4.txt@mtime=[0-9T:Z-]+"));
}

TEST(AttributionHolderTest, ReloadSwapsOnlyOnSuccessWhileReadersRun) {
  AttributionSources small;
  small.pfx2as_files = {FixturePath("pfx2as_v4.txt")};
  absl::StatusOr<std::shared_ptr<const AttributionIndex>> first =
      AttributionIndex::Load(small);
  ASSERT_TRUE(first.ok());
  AttributionHolder holder(*first);

  std::atomic<bool> stop{false};
  std::atomic<int> wrong{0};
  std::vector<std::thread> readers;
  for (int i = 0; i < 2; ++i) {
    readers.emplace_back([&] {
      while (!stop.load()) {
        std::shared_ptr<const AttributionIndex> index = holder.Current();
        if (index->Attribute(Ip("1.0.0.1")).origin_asn != 13335u) ++wrong;
      }
    });
  }
  AttributionSources broken = small;
  broken.pfx2as_files.push_back("/nonexistent/file");
  EXPECT_FALSE(holder.Reload(broken).ok());
  EXPECT_EQ(holder.Current(), *first);
  AttributionSources cut = small;
  cut.pfx2as_files = {FixturePath("pfx2as_cut.txt")};
  EXPECT_FALSE(holder.Reload(cut).ok());
  EXPECT_EQ(holder.Current(), *first);
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(holder.Reload(FixtureSources()).ok());
  stop = true;
  for (std::thread& t : readers) t.join();
  EXPECT_EQ(wrong.load(), 0);
  EXPECT_NE(holder.Current(), *first);
  EXPECT_EQ(holder.Current()->Attribute(Ip("1.0.0.1")).country, "AU");
}

TEST(CountrySourceTest, Names) {
  EXPECT_EQ(CountrySourceName(CountrySource::kNone), "none");
  EXPECT_EQ(CountrySourceName(CountrySource::kPrefixDelegation),
            "prefix_delegation");
  EXPECT_EQ(CountrySourceName(CountrySource::kOriginAsnDelegation),
            "origin_asn_delegation");
  EXPECT_EQ(CountrySourceName(CountrySource::kOriginAsName), "origin_as_name");
}

}  // namespace
}  // namespace v6scope::collector::enrich
