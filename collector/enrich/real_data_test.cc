// Cross-checks against the real data set in ../shared/data (CAIDA pfx2as of
// ≈2020-02, the RIR files of several dates, the AS-names list): known facts,
// and thousands of random lookups against a brute-force scan of every
// prefix. Skips, saying where it looked, when the data set is absent: the
// project must build and test without it. See docs/attribution.md.
#include <dirent.h>

#include <algorithm>
#include <array>
#include <iostream>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "collector/enrich/attribution.h"
#include "gtest/gtest.h"
#include "tests/data/data_paths.h"

namespace v6scope::collector::enrich {
namespace {

net::IpAddress Ip(const char* text) { return *net::IpAddress::Parse(text); }

std::vector<std::string> ListDir(const std::string& dir) {
  std::vector<std::string> names;
  DIR* d = opendir(dir.c_str());
  if (d == nullptr) return names;
  while (const dirent* e = readdir(d)) {
    if (e->d_name[0] != '.') names.push_back(e->d_name);
  }
  closedir(d);
  std::sort(names.begin(), names.end());
  return names;
}

// One pfx2as line, parsed independently of prefix_table.cc.
struct RawPrefix {
  net::IpAddress network;
  int length;
  std::string origins;
};

std::vector<RawPrefix> ReadRawPrefixes(const std::string& path) {
  std::vector<RawPrefix> all;
  absl::StatusOr<DataFile> file = ReadDataFile(path);
  EXPECT_TRUE(file.ok()) << file.status();
  if (!file.ok()) return all;
  for (absl::string_view line : absl::StrSplit(file->contents, '\n')) {
    std::vector<std::string> f = absl::StrSplit(line, '\t');
    if (f.size() != 3) continue;
    int length = 0;
    EXPECT_TRUE(absl::SimpleAtoi(f[1], &length)) << line;
    all.push_back({*net::IpAddress::Parse(f[0]), length, f[2]});
  }
  return all;
}

class RealDataTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new std::string(tests::data::SharedDataDir(&tried_));
    if (dir_->empty()) return;
    AttributionSources s;
    s.pfx2as_files = {*dir_ + "/prefix2as/RouteViewIPv4.pfx2as.gz",
                      *dir_ + "/prefix2as/RouteViewIPv6.pfx2as.gz"};
    for (const std::string& date : ListDir(*dir_ + "/rir")) {
      for (const std::string& name : ListDir(*dir_ + "/rir/" + date)) {
        s.rir_files.push_back(absl::StrCat(*dir_, "/rir/", date, "/", name));
      }
    }
    s.as_names_file = *dir_ + "/asnames/asn.txt";
    const absl::Time start = absl::Now();
    absl::StatusOr<std::shared_ptr<const AttributionIndex>> index =
        AttributionIndex::Load(s);
    load_seconds_ = absl::ToDoubleSeconds(absl::Now() - start);
    if (index.ok())
      index_ = new std::shared_ptr<const AttributionIndex>(*index);
    load_status_ = new absl::Status(index.status());
  }

  void SetUp() override {
    if (dir_->empty()) {
      GTEST_SKIP() << "real data set not found (looked in: "
                   << (tried_.empty() ? "nowhere" : tried_)
                   << "); set V6SCOPE_SHARED_DATA=/path/to/shared/data";
    }
    ASSERT_TRUE(load_status_->ok()) << *load_status_;
  }

  const AttributionIndex& index() { return **index_; }

  static std::string* dir_;
  static std::string tried_;
  static std::shared_ptr<const AttributionIndex>* index_;
  static absl::Status* load_status_;
  static double load_seconds_;
};

std::string* RealDataTest::dir_ = nullptr;
std::string RealDataTest::tried_;
std::shared_ptr<const AttributionIndex>* RealDataTest::index_ = nullptr;
absl::Status* RealDataTest::load_status_ = nullptr;
double RealDataTest::load_seconds_ = 0;

TEST_F(RealDataTest, LoadsEverythingAndPicksTheNewestRirFiles) {
  RecordProperty("load_seconds", absl::StrCat(load_seconds_));
  std::cout << "full index (pfx2as v4+v6, 10 RIR files, AS names) loaded in "
            << load_seconds_ << " s: " << index().version() << "\n";
  EXPECT_EQ(index().prefixes().v4_size(), 845161u);
  EXPECT_EQ(index().prefixes().v6_size(), 83125u);
  for (const DatasetVersion& d : index().datasets()) {
    EXPECT_FALSE(d.truncated) << d.path;
    if (d.kind == "pfx2as" || d.kind == "as_names") {
      EXPECT_EQ(d.malformed, 0u) << d.path;
      EXPECT_EQ(d.records, d.lines) << d.path;
    }
    const bool newest =
        absl::StrContains(d.path, "2026-05-06/") ||
        absl::StrContains(d.path, "2024-11-09/") ||
        absl::StrContains(d.path, "2023-03-24/delegated-lacnic") ||
        absl::StrContains(d.path, "delegated-iana");
    if (d.kind == "rir") {
      EXPECT_EQ(d.superseded, !newest) << d.path;
    }
    if (absl::StrContains(d.path, "delegated-iana")) {
      EXPECT_EQ(d.malformed, 1u);  // The garbled "|3|19990401|arin".
    } else if (d.kind == "rir") {
      EXPECT_EQ(d.malformed, 0u) << d.path;
    }
  }
  EXPECT_TRUE(absl::StrContains(index().version(),
                                "delegated-apnic-latest@2024-11-08"));
  EXPECT_TRUE(absl::StrContains(index().version(),
                                "RouteViewIPv4.pfx2as.gz@2020-02-20"));
}

TEST_F(RealDataTest, KnownFacts) {
  // apnic|CN|ipv4|1.1.16.0|4096|20110412|allocated: a Chinese /20.
  const Attribution cn = index().Attribute(Ip("1.1.23.45"));
  EXPECT_EQ(cn.country, "CN");
  EXPECT_EQ(cn.country_source, CountrySource::kPrefixDelegation);
  EXPECT_EQ(cn.rir, "apnic");
  EXPECT_EQ(cn.delegation->ToString(), "1.1.16.0/20");
  EXPECT_EQ(cn.delegation_date, 20110412);
  // 1.0.0.0<TAB>24<TAB>13335.
  const Attribution cf = index().Attribute(Ip("1.0.0.1"));
  EXPECT_EQ(cf.origin_asn, 13335u);
  EXPECT_EQ(cf.prefix->ToString(), "1.0.0.0/24");
  EXPECT_EQ(cf.as_name, "CLOUDFLARENET");
  // 2400:cb00:4::<TAB>48<TAB>13335, asked as a probe's /48.
  const Attribution cf6 =
      index().Attribute(*net::IpPrefix::Parse("2400:cb00:4::/48"));
  EXPECT_EQ(cf6.origin_asn, 13335u);
  EXPECT_EQ(cf6.rir, "apnic");
  // 240e::/24 AS4134 (inside 240e::/20, also AS4134; with more specifics
  // such as 240e:1::/37 AS17897), delegated to CN.
  const Attribution ct = index().Attribute(*net::IpPrefix::Parse("240e::/24"));
  EXPECT_EQ(ct.origin_asn, 4134u);
  EXPECT_EQ(ct.prefix->ToString(), "240e::/24");
  EXPECT_EQ(ct.country, "CN");
  EXPECT_EQ(index().Attribute(Ip("240e:1:2::3")).origin_asn, 17897u);
  EXPECT_EQ(index().Attribute(Ip("240e:1:2::3")).country, "CN");
  EXPECT_EQ(index().AsnCountry(4134), "CN");
  EXPECT_EQ(index().AsnCountry(13335), "US");  // ARIN's: from the AS names.
  // A multi-origin prefix: 1.2.4.0/24 24409_24151_24406.
  const Attribution moas = index().Attribute(Ip("1.2.4.8"));
  EXPECT_TRUE(moas.moas);
  EXPECT_EQ(moas.origin_asn, 24409u);
  EXPECT_EQ(moas.origin_field, "24409_24151_24406");
  std::optional<AllocationContext> cn6 = index().Allocation("CN");
  ASSERT_TRUE(cn6.has_value());
  EXPECT_GT(cn6->delegations, 1000u);
  EXPECT_GT(cn6->slash32_equivalents, 1000);
  EXPECT_LE(cn6->latest_date, 20241108);
}

// Queries: uniform random addresses and random addresses inside random
// announced prefixes (so that most of them hit, many in nested prefixes).
std::vector<net::IpAddress> Queries(const std::vector<RawPrefix>& prefixes,
                                    bool v6, int count, std::mt19937_64& rng) {
  std::vector<net::IpAddress> queries;
  for (int i = 0; i < count; ++i) {
    std::array<uint8_t, 16> bytes{};
    for (auto& b : bytes) b = static_cast<uint8_t>(rng());
    if (v6 && i % 4 == 0) bytes[0] = 0x20 | (bytes[0] & 0x1f);  // 2000::/3.
    net::IpAddress random = v6 ? net::IpAddress::FromV6Bytes(bytes)
                               : net::IpAddress::FromV4Bytes(
                                     {bytes[0], bytes[1], bytes[2], bytes[3]});
    if (i % 2 == 1) {
      const RawPrefix& p = prefixes[rng() % prefixes.size()];
      // The prefix's bits, then the random host bits.
      std::array<uint8_t, 16> mixed = p.network.bytes();
      for (int bit = p.length; bit < random.bit_length(); ++bit) {
        const uint8_t mask = static_cast<uint8_t>(0x80 >> (bit % 8));
        mixed[bit / 8] = static_cast<uint8_t>((mixed[bit / 8] & ~mask) |
                                              (bytes[bit / 8] & mask));
      }
      random = v6 ? net::IpAddress::FromV6Bytes(mixed)
                  : net::IpAddress::FromV4Bytes(
                        {mixed[0], mixed[1], mixed[2], mixed[3]});
    }
    queries.push_back(random);
  }
  return queries;
}

// The last address of a prefix: its network with every host bit set.
net::IpAddress LastAddress(const RawPrefix& p) {
  std::array<uint8_t, 16> bytes = p.network.bytes();
  for (int bit = p.length; bit < p.network.bit_length(); ++bit) {
    bytes[bit / 8] = static_cast<uint8_t>(bytes[bit / 8] | (0x80 >> (bit % 8)));
  }
  return p.network.is_v6() ? net::IpAddress::FromV6Bytes(bytes)
                           : net::IpAddress::FromV4Bytes(
                                 {bytes[0], bytes[1], bytes[2], bytes[3]});
}

void CrossCheck(const AttributionIndex& index, const std::string& path, bool v6,
                int count) {
  const std::vector<RawPrefix> prefixes = ReadRawPrefixes(path);
  ASSERT_FALSE(prefixes.empty());
  std::mt19937_64 rng(v6 ? 6 : 4);
  std::vector<net::IpAddress> queries = Queries(prefixes, v6, count, rng);
  std::sort(queries.begin(), queries.end());
  // Brute force: every prefix of the file, and the (sorted) queries that
  // fall between its first and last address.
  std::vector<int> best(queries.size(), -1);
  for (size_t p = 0; p < prefixes.size(); ++p) {
    const auto first =
        std::lower_bound(queries.begin(), queries.end(), prefixes[p].network);
    const auto last =
        std::upper_bound(first, queries.end(), LastAddress(prefixes[p]));
    for (auto it = first; it != last; ++it) {
      int& b = best[static_cast<size_t>(it - queries.begin())];
      if (b < 0 || prefixes[b].length < prefixes[p].length) {
        b = static_cast<int>(p);
      }
    }
  }
  int hits = 0;
  for (size_t q = 0; q < queries.size(); ++q) {
    const Attribution a = index.Attribute(queries[q]);
    if (best[q] < 0) {
      EXPECT_FALSE(a.prefix.has_value()) << queries[q].ToString();
      EXPECT_EQ(a.origin_asn, 0u);
      continue;
    }
    ++hits;
    const RawPrefix& want = prefixes[best[q]];
    ASSERT_TRUE(a.prefix.has_value()) << queries[q].ToString();
    EXPECT_EQ(a.prefix->address(), want.network) << queries[q].ToString();
    EXPECT_EQ(a.prefix->length(), want.length) << queries[q].ToString();
    EXPECT_EQ(a.origin_field, want.origins) << queries[q].ToString();
    if (a.origin_asn != 0) {
      EXPECT_TRUE(absl::StrContains(absl::StrCat("_", want.origins, "_"),
                                    absl::StrCat(a.origin_asn)));
    }
  }
  EXPECT_GE(hits, count / 2);
}

TEST_F(RealDataTest, RandomIpv4LookupsMatchBruteForce) {
  CrossCheck(index(), *dir_ + "/prefix2as/RouteViewIPv4.pfx2as.gz", false,
             4000);
}

TEST_F(RealDataTest, RandomIpv6LookupsMatchBruteForce) {
  CrossCheck(index(), *dir_ + "/prefix2as/RouteViewIPv6.pfx2as.gz", true, 4000);
}

// Every 20th APNIC IPv4 and IPv6 record: an address inside maps to its
// country.
TEST_F(RealDataTest, ApnicRecordsGiveTheirCountry) {
  absl::StatusOr<DataFile> file =
      ReadDataFile(*dir_ + "/rir/2024-11-09/delegated-apnic-latest");
  ASSERT_TRUE(file.ok());
  int checked = 0;
  int line_number = 0;
  for (absl::string_view line : absl::StrSplit(file->contents, '\n')) {
    if (++line_number % 20 != 0) continue;
    const std::vector<std::string> f = absl::StrSplit(line, '|');
    if (f.size() < 7 || f[1].size() != 2 ||
        (f[2] != "ipv4" && f[2] != "ipv6")) {
      continue;
    }
    const Attribution a = index().Attribute(Ip(f[3].c_str()));
    EXPECT_EQ(a.country, f[1]) << line;
    EXPECT_EQ(a.rir, "apnic") << line;
    ++checked;
  }
  EXPECT_GT(checked, 3000);
}

}  // namespace
}  // namespace v6scope::collector::enrich
