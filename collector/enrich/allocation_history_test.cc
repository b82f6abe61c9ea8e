#include "collector/enrich/allocation_history.h"

#include <cstdlib>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace v6scope::collector::enrich {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

RirFile Parse(const std::string& text) {
  MalformedLines bad("test");
  RirFile file = ParseRirFile(text, &bad);
  EXPECT_EQ(bad.count(), 0u)
      << (bad.examples().empty() ? "" : bad.examples()[0]);
  return file;
}

RirSnapshot Snapshot(int32_t date, std::vector<std::string> texts) {
  RirSnapshot s;
  s.date = date;
  for (const std::string& text : texts) s.files.push_back(Parse(text));
  return s;
}

const CountryAllocationHistory& Of(const AllocationHistory& h,
                                   const std::string& cc) {
  for (const CountryAllocationHistory& c : h.countries) {
    if (c.cc == cc) return c;
  }
  static const CountryAllocationHistory* const kNone =
      new CountryAllocationHistory;
  ADD_FAILURE() << "no history for " << cc;
  return *kNone;
}

TEST(V6SpaceTest, CountsInSlash32EquivalentsExactly) {
  EXPECT_EQ(V6Space::OfPrefix(29).Slash32Equivalents(), 8.0);
  EXPECT_EQ(V6Space::OfPrefix(32).Slash32Equivalents(), 1.0);
  EXPECT_EQ(V6Space::OfPrefix(48).Slash32Equivalents(), 1.0 / 65536);
  EXPECT_EQ(V6Space::OfPrefix(64).slash64s(), 1u);
  EXPECT_EQ(V6Space::OfPrefix(0).slash64s(), absl::uint128(1) << 64);
  // 65536 /48s are one /32, exactly.
  V6Space sum;
  for (int i = 0; i < 65536; ++i) sum += V6Space::OfPrefix(48);
  EXPECT_EQ(sum, V6Space::OfPrefix(32));
}

TEST(V6SpaceTest, LongerThanSlash64CarriesIntoWholeSlash64s) {
  V6Space half = V6Space::OfPrefix(65);
  EXPECT_EQ(half.slash64s(), 0u);
  EXPECT_EQ(half.sub64_addresses(), uint64_t{1} << 63);
  EXPECT_EQ(half + half, V6Space::OfPrefix(64));
  V6Space three_quarters = half + V6Space::OfPrefix(66);
  V6Space sum = three_quarters + three_quarters;  // 1.5 /64.
  EXPECT_EQ(sum.slash64s(), 1u);
  EXPECT_EQ(sum.sub64_addresses(), uint64_t{1} << 63);
  EXPECT_EQ(V6Space::OfPrefix(128).sub64_addresses(), 1u);
  EXPECT_TRUE(V6Space().IsZero());
}

constexpr char kAfrinic2019[] =
    "2|afrinic|20190911|6|00000000|20190911|00000\n"
    "afrinic|KE|ipv6|2c0f:fe38::|32|20100527|allocated|H1\n"
    "afrinic|KE|ipv6|2c0f:f0d8::|32|20170704|allocated|H2\n"
    "afrinic|KE|ipv6|2c0f:f800::|32|20120101|allocated|H3\n"
    "afrinic|KE|ipv6|2001:43f8:c30::|48|20161031|assigned|H4\n"
    "afrinic|KE|asn|37000|2|20100101|allocated|H2\n"
    "afrinic|MU|ipv6|2c0f:ef50::|32|20180718|allocated|H5\n";

// 2c0f:fe38::/32 kept; 2c0f:f0d8::/32 reserved again (returned);
// 2c0f:f800::/32 enlarged to a /29 (not returned); the /48 moved to
// MU (not returned: still delegated); ASN 37000-37001 gone; MU's /32
// returned; new KE delegations in 2021 and 2026.
constexpr char kAfrinic2026[] =
    "2|afrinic|20260505|8|00000000|20260505|00000\n"
    "afrinic|KE|ipv6|2c0f:fe38::|32|20100527|allocated|H1\n"
    "afrinic|ZZ|ipv6|2c0f:f0d8::|29||reserved|\n"
    "afrinic|KE|ipv6|2c0f:f800::|29|20210301|allocated|H3\n"
    "afrinic|MU|ipv6|2001:43f8:c30::|48|20161031|assigned|H4\n"
    "afrinic|KE|ipv6|2c0f:fa00::|48|20210315|assigned|H6\n"
    "afrinic|KE|ipv6|2c0f:fb00::|48||assigned|H7\n"
    "afrinic|KE|asn|37100|1|20260102|assigned|H6\n"
    "afrinic|KE|ipv4|41.0.0.0|1024|20080101|allocated|H8\n";

constexpr char kApnic2019[] =
    "2|apnic|20190912|2|19830613|20190911|+1000\n"
    "apnic|FJ|ipv6|2400:4400::|32|20090101|allocated\n"
    "apnic|FJ|ipv6|2400:4500::|32|20110101|allocated\n";

AllocationHistory TwoSnapshots() {
  return ComputeAllocationHistory(
      {Snapshot(20260506, {kAfrinic2026}),
       Snapshot(20190912, {kAfrinic2019, kApnic2019})});
}

TEST(AllocationHistoryTest, NewestSnapshotOfEachRegistryIsNow) {
  const AllocationHistory h = TwoSnapshots();
  EXPECT_THAT(h.snapshot_dates, ElementsAre(20190912, 20260506));
  EXPECT_EQ(h.registry_dates.at(Registry::kAfrinic), 20260506);
  // APNIC is only in the older snapshot: its file there is still "now".
  EXPECT_EQ(h.registry_dates.at(Registry::kApnic), 20190912);
  EXPECT_THAT(h.missing, ElementsAre(Registry::kArin, Registry::kLacnic,
                                     Registry::kRipeNcc));
  const CountryAllocationHistory& fj = Of(h, "FJ");
  EXPECT_EQ(fj.v6_delegations, 2u);
  EXPECT_EQ(fj.v6_returned, 0u);
  EXPECT_EQ(fj.as_of.at(Registry::kApnic), 20190912);
}

TEST(AllocationHistoryTest, CountsSpaceAndDatesOfCurrentDelegations) {
  const AllocationHistory h = TwoSnapshots();
  const CountryAllocationHistory& ke = Of(h, "KE");
  EXPECT_EQ(ke.v6_delegations, 4u);
  EXPECT_EQ(ke.v6_allocated, 2u);
  EXPECT_EQ(ke.v6_assigned, 2u);
  EXPECT_EQ(ke.v6_undated, 1u);
  EXPECT_EQ(ke.v6_space, V6Space::OfPrefix(32) + V6Space::OfPrefix(29) +
                             V6Space::OfPrefix(48) + V6Space::OfPrefix(48));
  EXPECT_DOUBLE_EQ(ke.v6_space.Slash32Equivalents(), 9 + 2.0 / 65536);
  EXPECT_EQ(ke.first_v6_date, 20100527);
  EXPECT_EQ(ke.latest_v6_date, 20210315);
  EXPECT_EQ(ke.asn_delegations, 1u);
  EXPECT_EQ(ke.asns, 1u);
  EXPECT_EQ(ke.first_asn_date, 20260102);
}

TEST(AllocationHistoryTest, SeriesByMonthAndYearWithRunningTotals) {
  const AllocationHistory h = TwoSnapshots();
  const CountryAllocationHistory& ke = Of(h, "KE");
  ASSERT_EQ(ke.by_year.size(), 3u);
  EXPECT_EQ(ke.by_year[0].period, 2010);
  EXPECT_EQ(ke.by_year[1].period, 2021);
  EXPECT_EQ(ke.by_year[1].v6_delegations, 2u);
  EXPECT_EQ(ke.by_year[1].v6_delegations_total, 3u);
  EXPECT_EQ(
      ke.by_year[1].v6_space_total,
      V6Space::OfPrefix(32) + V6Space::OfPrefix(29) + V6Space::OfPrefix(48));
  EXPECT_EQ(ke.by_year[2].period, 2026);
  EXPECT_EQ(ke.by_year[2].v6_delegations, 0u);
  EXPECT_EQ(ke.by_year[2].asn_delegations, 1u);
  // The undated /48 is in the totals, not in the series.
  EXPECT_EQ(ke.by_year[2].v6_delegations_total, 3u);
  ASSERT_EQ(ke.by_month.size(), 3u);
  EXPECT_EQ(ke.by_month[0].period, 201005);
  EXPECT_EQ(ke.by_month[1].period, 202103);
  EXPECT_EQ(ke.by_month[1].v6_delegations, 2u);
  EXPECT_EQ(ke.by_month[1].v6_space,
            V6Space::OfPrefix(29) + V6Space::OfPrefix(48));
  EXPECT_EQ(ke.by_month[2].period, 202601);
  EXPECT_EQ(ke.by_month[2].asns_total, 1u);
}

TEST(AllocationHistoryTest, ReturnedMeansNoLongerOverlappedByAnyDelegation) {
  const AllocationHistory h = TwoSnapshots();
  const CountryAllocationHistory& ke = Of(h, "KE");
  // 2c0f:f0d8::/32 only: the enlarged /32 and the /48 moved to MU are
  // still delegated.
  EXPECT_EQ(ke.v6_returned, 1u);
  EXPECT_EQ(ke.v6_returned_space, V6Space::OfPrefix(32));
  EXPECT_EQ(ke.asn_returned, 1u);
  const CountryAllocationHistory& mu = Of(h, "MU");
  EXPECT_EQ(mu.v6_returned, 1u);
  EXPECT_EQ(mu.v6_delegations, 1u);  // The /48 it holds now.
}

TEST(AllocationHistoryTest, CountryWithOnlyReturnedDelegationsIsListed) {
  const AllocationHistory h = ComputeAllocationHistory(
      {Snapshot(20190912, {"afrinic|SC|ipv6|2c0f:e000::|32|20100101|"
                           "allocated|X\n"}),
       Snapshot(20260506, {"afrinic|KE|asn|1|1|20200101|allocated|Y\n"})});
  const CountryAllocationHistory& sc = Of(h, "SC");
  EXPECT_EQ(sc.v6_delegations, 0u);
  EXPECT_EQ(sc.v6_returned, 1u);
  EXPECT_TRUE(sc.as_of.empty());
  EXPECT_FALSE(sc.holders.has_value());
}

TEST(AllocationHistoryTest, HolderShareOnlyFromOpaqueIds) {
  const AllocationHistory h = TwoSnapshots();
  const CountryAllocationHistory& ke = Of(h, "KE");
  ASSERT_TRUE(ke.holders.has_value());
  // H1 H3 H6 H7 hold IPv6; H8 holds only IPv4; H6 also an ASN.
  EXPECT_EQ(ke.holders->with_ipv6, 4u);
  EXPECT_EQ(ke.holders->with_any, 5u);
  EXPECT_DOUBLE_EQ(ke.holders->Share(), 0.8);
  EXPECT_TRUE(ke.holders->complete());
  // APNIC's standard file has no opaque ids: unset, not zero.
  EXPECT_FALSE(Of(h, "FJ").holders.has_value());
}

TEST(AllocationHistoryTest, HolderShareSaysWhatItCouldNotCount) {
  const AllocationHistory h = ComputeAllocationHistory({Snapshot(
      20260506, {"afrinic|KE|ipv6|2c0f:fe38::|32|20100527|allocated|H1\n"
                 "afrinic|KE|asn|1|1|20100527|allocated|H2\n",
                 "apnic|KE|asn|134398|1|20150715|allocated\n"
                 "apnic|KE|asn|134399|1|20150715|allocated|H1\n"})});
  const CountryAllocationHistory& ke = Of(h, "KE");
  ASSERT_TRUE(ke.holders.has_value());
  // APNIC's H1 is not AFRINIC's H1.
  EXPECT_EQ(ke.holders->with_ipv6, 1u);
  EXPECT_EQ(ke.holders->with_any, 3u);
  EXPECT_EQ(ke.holders->delegations_without_id, 1u);
  EXPECT_FALSE(ke.holders->complete());
}

TEST(AllocationHistoryTest, FindTellsUnknownFromZero) {
  const AllocationHistory h = TwoSnapshots();
  absl::StatusOr<CountryAllocationHistory> ke = h.Find("ke");
  ASSERT_TRUE(ke.ok()) << ke.status();
  EXPECT_EQ(ke->v6_delegations, 4u);
  // Rwanda is AFRINIC's and AFRINIC has data: known zero.
  absl::StatusOr<CountryAllocationHistory> rw = h.Find("RW");
  ASSERT_TRUE(rw.ok()) << rw.status();
  EXPECT_EQ(rw->cc, "RW");
  EXPECT_EQ(rw->v6_delegations, 0u);
  // Germany is the RIPE NCC's, which no snapshot has: unknown.
  absl::StatusOr<CountryAllocationHistory> de = h.Find("DE");
  EXPECT_EQ(de.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(std::string(de.status().message()), HasSubstr("ripencc"));
  EXPECT_FALSE(h.Find("EU").ok());
  EXPECT_TRUE(h.Covers("FJ"));
  EXPECT_FALSE(h.Covers("US"));
}

TEST(AllocationHistoryTest, MetricValuesCoverOnlyRegistriesWithData) {
  const AllocationHistory h = TwoSnapshots();
  const std::map<std::string, double> v =
      AllocationMetricValues(h, AllocationMetric::kV6Slash32Equivalents);
  EXPECT_DOUBLE_EQ(v.at("KE"), 9 + 2.0 / 65536);
  EXPECT_EQ(v.at("RW"), 0.0);  // AFRINIC region, no delegation.
  EXPECT_EQ(v.at("FJ"), 2.0);
  EXPECT_EQ(v.count("DE"), 0u);
  EXPECT_EQ(v.count("BR"), 0u);
  EXPECT_EQ(
      AllocationMetricValues(h, AllocationMetric::kV6Delegations).at("KE"),
      4.0);
  EXPECT_EQ(
      AllocationMetricValues(h, AllocationMetric::kAsnDelegations).at("KE"),
      1.0);
}

// The extract of the real files (testdata/make_rir_history.py): the
// expected numbers were counted from it with awk/Python, not with this
// code.
class FixtureTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    const char* srcdir = std::getenv("TEST_SRCDIR");
    ASSERT_NE(srcdir, nullptr);
    absl::StatusOr<std::vector<RirSnapshot>> snapshots = LoadRirSnapshots(
        absl::StrCat(srcdir, "/v6scope/collector/enrich/testdata/rir_history"));
    ASSERT_TRUE(snapshots.ok()) << snapshots.status();
    snapshots_ = new std::vector<RirSnapshot>(*std::move(snapshots));
    history_ = new AllocationHistory(ComputeAllocationHistory(*snapshots_));
  }
  void SetUp() override { ASSERT_NE(history_, nullptr); }
  static std::vector<RirSnapshot>* snapshots_;
  static AllocationHistory* history_;
};
std::vector<RirSnapshot>* FixtureTest::snapshots_ = nullptr;
AllocationHistory* FixtureTest::history_ = nullptr;

TEST_F(FixtureTest, SnapshotsAndMissingRegistriesAreReported) {
  ASSERT_EQ(snapshots_->size(), 2u);
  EXPECT_EQ((*snapshots_)[0].date, 20190912);
  // 2019: the extended AFRINIC file kept over the standard one.
  ASSERT_NE((*snapshots_)[0].FileOf(Registry::kAfrinic), nullptr);
  EXPECT_TRUE((*snapshots_)[0].FileOf(Registry::kAfrinic)->extended);
  EXPECT_THAT((*snapshots_)[0].problems,
              ElementsAre(HasSubstr("delegated-afrinic-latest: superseded")));
  EXPECT_THAT(
      (*snapshots_)[0].missing,
      ElementsAre(Registry::kApnic, Registry::kArin, Registry::kRipeNcc));
  EXPECT_THAT((*snapshots_)[1].missing,
              ElementsAre(Registry::kApnic, Registry::kArin, Registry::kLacnic,
                          Registry::kRipeNcc));
  EXPECT_EQ(history_->registry_dates.at(Registry::kLacnic), 20190912);
  EXPECT_EQ(history_->registry_dates.at(Registry::kAfrinic), 20260506);
}

TEST_F(FixtureTest, KenyaAsCountedFromTheFiles) {
  absl::StatusOr<CountryAllocationHistory> ke = history_->Find("KE");
  ASSERT_TRUE(ke.ok()) << ke.status();
  EXPECT_EQ(ke->v6_delegations, 158u);
  EXPECT_EQ(ke->v6_allocated, 135u);
  EXPECT_NEAR(ke->v6_space.Slash32Equivalents(), 135.00035095214844, 1e-12);
  EXPECT_EQ(ke->first_v6_date, 20070713);
  EXPECT_EQ(ke->latest_v6_date, 20260430);
  EXPECT_EQ(ke->asn_delegations, 248u);
  EXPECT_EQ(ke->v6_returned, 8u);
  EXPECT_EQ(ke->asn_returned, 16u);
  ASSERT_TRUE(ke->holders.has_value());
  EXPECT_EQ(ke->holders->with_ipv6, 147u);
  EXPECT_EQ(ke->holders->with_any, 243u);
  EXPECT_EQ(ke->by_year.front().period, 2005);  // An ASN.
  EXPECT_EQ(ke->by_year.front().v6_delegations, 0u);
  EXPECT_EQ(ke->by_year.back().v6_delegations_total, 158u);
  EXPECT_EQ(ke->by_year.back().v6_space_total, ke->v6_space);
}

TEST_F(FixtureTest, OtherCountriesAsCountedFromTheFiles) {
  const CountryAllocationHistory& rw = Of(*history_, "RW");
  EXPECT_EQ(rw.v6_delegations, 21u);
  EXPECT_NEAR(rw.v6_space.Slash32Equivalents(), 266.0001525878906, 1e-12);
  EXPECT_EQ(rw.v6_returned, 1u);
  const CountryAllocationHistory& mu = Of(*history_, "MU");
  EXPECT_EQ(mu.v6_returned, 6u);
  EXPECT_EQ(mu.asn_returned, 8u);
  EXPECT_EQ(mu.first_v6_date, 20060522);
  // LACNIC only in 2019: now is that file; nothing returned.
  const CountryAllocationHistory& bo = Of(*history_, "BO");
  EXPECT_EQ(bo.v6_delegations, 39u);
  EXPECT_EQ(bo.first_v6_date, 20050706);
  EXPECT_EQ(bo.latest_v6_date, 20180926);
  EXPECT_EQ(bo.v6_returned, 0u);
  EXPECT_EQ(bo.as_of.at(Registry::kLacnic), 20190912);
  ASSERT_TRUE(bo.holders.has_value());
  EXPECT_EQ(bo.holders->with_ipv6, 39u);
  EXPECT_EQ(bo.holders->with_any, 46u);
  EXPECT_EQ(Of(*history_, "HT").v6_delegations, 10u);
  EXPECT_EQ(Of(*history_, "TT").asn_delegations, 14u);
}

}  // namespace
}  // namespace v6scope::collector::enrich
