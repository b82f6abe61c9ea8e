// The allocation history of the real RIR snapshots in ../shared/data/rir,
// checked against facts read straight from the files (an independent scan,
// as `grep` would). Skips, saying where it looked, when the data set is
// absent: the project must build and test without it.
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "collector/enrich/allocation_history.h"
#include "gtest/gtest.h"
#include "tests/data/data_paths.h"

namespace v6scope::collector::enrich {
namespace {

// What `grep '|<cc>|ipv6|' file | grep -E 'allocated|assigned'` shows:
// the count and the earliest and latest date, by plain text splitting.
struct Grep {
  uint64_t count = 0;
  std::string first, latest;
};

Grep GrepV6(const std::string& path, const std::string& cc) {
  Grep g;
  absl::StatusOr<DataFile> file = ReadDataFile(path);
  EXPECT_TRUE(file.ok()) << file.status();
  if (!file.ok()) return g;
  for (absl::string_view line : absl::StrSplit(file->contents, '\n')) {
    const std::vector<std::string> f = absl::StrSplit(line, '|');
    if (f.size() < 7 || f[1] != cc || f[2] != "ipv6") continue;
    if (f[6] != "allocated" && f[6] != "assigned") continue;
    ++g.count;
    if (g.first.empty() || f[5] < g.first) g.first = f[5];
    if (f[5] > g.latest) g.latest = f[5];
  }
  return g;
}

class AllocationHistoryRealDataTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tried;
    dir_ = tests::data::SharedDataDir(&tried);
    if (dir_.empty()) {
      GTEST_SKIP() << "shared data set not found (looked at: " << tried
                   << "); set V6SCOPE_SHARED_DATA to run";
    }
    absl::StatusOr<std::vector<RirSnapshot>> snapshots =
        LoadRirSnapshots(dir_ + "/rir");
    ASSERT_TRUE(snapshots.ok()) << snapshots.status();
    snapshots_ = *std::move(snapshots);
    history_ = ComputeAllocationHistory(snapshots_);
  }

  std::string dir_;
  std::vector<RirSnapshot> snapshots_;
  AllocationHistory history_;
};

TEST_F(AllocationHistoryRealDataTest, EachRegistryIsNowItsNewestSnapshot) {
  EXPECT_EQ(history_.snapshot_dates,
            (std::vector<int32_t>{20190912, 20230324, 20241109, 20260506}));
  EXPECT_EQ(history_.registry_dates.at(Registry::kAfrinic), 20260506);
  EXPECT_EQ(history_.registry_dates.at(Registry::kApnic), 20241109);
  EXPECT_EQ(history_.registry_dates.at(Registry::kLacnic), 20230324);
  // ARIN and the RIPE NCC are in no snapshot (data/SOURCES.md).
  EXPECT_EQ(history_.missing,
            (std::vector<Registry>{Registry::kArin, Registry::kRipeNcc}));
  EXPECT_FALSE(history_.Find("US").ok());
  for (const RirSnapshot& s : snapshots_) EXPECT_FALSE(s.missing.empty());
}

TEST_F(AllocationHistoryRealDataTest, KenyaMatchesTheAfrinicFile) {
  const Grep grep =
      GrepV6(dir_ + "/rir/2026-05-06/delegated-afrinic-extended-latest", "KE");
  absl::StatusOr<CountryAllocationHistory> ke = history_.Find("KE");
  ASSERT_TRUE(ke.ok()) << ke.status();
  EXPECT_EQ(ke->v6_delegations, grep.count);
  EXPECT_EQ(absl::StrCat(ke->first_v6_date), grep.first);
  EXPECT_EQ(absl::StrCat(ke->latest_v6_date), grep.latest);
  EXPECT_EQ(ke->first_v6_date, 20070713);  // 2001:43f8:10::/48.
  EXPECT_GT(ke->v6_returned, 0u);  // E.g. 2c0f:f0d8::/32, reserved by 2026.
  ASSERT_TRUE(ke->holders.has_value());  // AFRINIC's file is extended.
  // One KE ASN is in APNIC's standard file (AS134398): not complete.
  EXPECT_EQ(ke->holders->delegations_without_id, 1u);
  EXPECT_GT(ke->holders->Share(), 0.0);
  EXPECT_LT(ke->holders->Share(), 1.0);
  EXPECT_EQ(ke->by_year.back().v6_delegations_total,
            ke->v6_delegations - ke->v6_undated);
}

TEST_F(AllocationHistoryRealDataTest, ApnicCountriesFromTheStandardFile) {
  const Grep grep =
      GrepV6(dir_ + "/rir/2024-11-09/delegated-apnic-latest", "CN");
  absl::StatusOr<CountryAllocationHistory> cn = history_.Find("CN");
  ASSERT_TRUE(cn.ok()) << cn.status();
  EXPECT_EQ(cn->v6_delegations, grep.count);
  EXPECT_EQ(absl::StrCat(cn->first_v6_date), grep.first);
  EXPECT_GT(cn->v6_space.Slash32Equivalents(), 1000.0);
  // The standard format has no opaque ids: no holder share.
  EXPECT_FALSE(cn->holders.has_value());
}

}  // namespace
}  // namespace v6scope::collector::enrich
