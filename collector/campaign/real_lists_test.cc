// The real lists in ../shared/data imported whole (counts asserted against
// the files as described in SOURCES.md). Skips, saying where it looked,
// when the data set is absent: the project must test without it.
#include <dirent.h>

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "collector/campaign/list_import.h"
#include "gtest/gtest.h"
#include "tests/data/data_paths.h"

namespace v6scope::collector::campaign {
namespace {

class RealListsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tried;
    dir_ = tests::data::SharedDataDir(&tried);
    if (dir_.empty()) {
      GTEST_SKIP() << "SKIPPED: no shared data set (looked at: " << tried
                   << ")";
    }
  }

  ImportResult Import(const std::string& path, ImportOptions options = {}) {
    absl::StatusOr<ImportResult> r =
        ImportDomainListFile(absl::StrCat(dir_, "/", path), options);
    EXPECT_TRUE(r.ok()) << r.status();
    return r.ok() ? *std::move(r) : ImportResult{};
  }

  int CountSector(const ImportResult& r, Sector sector) {
    int n = 0;
    for (const DomainEntry& e : r.list.entries()) n += e.sector == sector;
    return n;
  }

  std::string dir_;
};

TEST_F(RealListsTest, DotGovFull) {
  ImportResult r = Import("gov/current-full.csv");
  EXPECT_EQ(r.names_read, 16539);
  EXPECT_EQ(r.list.size(), 16539u);                   // One row per domain.
  EXPECT_EQ(CountSector(r, Sector::kEducation), 65);  // School districts.
  EXPECT_EQ(CountSector(r, Sector::kGovernment), 16539 - 65);
  EXPECT_TRUE(r.warnings.empty());
}

TEST_F(RealListsTest, DotGovFederal) {
  EXPECT_EQ(Import("gov/current-federal.csv").list.size(), 1321u);
}

TEST_F(RealListsTest, TrancoStrictNamesTheInvalidLine) {
  absl::StatusOr<ImportResult> r = ImportDomainListFile(
      absl::StrCat(dir_, "/toplists/tranco_top_50k.csv"), {});
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("line 1594, column 2 (domain): "
                                      "\"_wildcard_.ph\""),
            std::string::npos)
      << r.status();
}

TEST_F(RealListsTest, TrancoSkippingInvalid) {
  ImportOptions options;
  options.limits.skip_invalid_names = true;
  ImportResult r = Import("toplists/tranco_top_50k.csv", options);
  EXPECT_EQ(r.names_read, 50000);
  EXPECT_EQ(r.names_skipped, 2);  // _wildcard_.ph, _wildcard_.com.ph
  // The 19 "www." names fold into apexes the list does not hold itself.
  EXPECT_EQ(r.list.size(), 49998u);
  EXPECT_EQ(r.warnings.size(), 2u);
  EXPECT_EQ(CountSector(r, Sector::kTopSites), static_cast<int>(r.list.size()));
}

TEST_F(RealListsTest, UmbrellaPlainText) {
  absl::StatusOr<ImportResult> strict = ImportDomainListFile(
      absl::StrCat(dir_, "/toplists/umbrella-top-100k.txt"), {});
  ASSERT_FALSE(strict.ok());
  EXPECT_NE(strict.status().message().find(
                "line 6989: \"-container.supertms.com\" has a label"),
            std::string::npos)
      << strict.status();
  ImportOptions options;
  options.limits.skip_invalid_names = true;
  ImportResult r = Import("toplists/umbrella-top-100k.txt", options);
  EXPECT_EQ(r.names_read, 100000);
  EXPECT_EQ(r.names_skipped, 16);
  // www.x folds into x (checked against an independent count).
  EXPECT_EQ(r.list.size(), 97989u);
  EXPECT_EQ(r.list.entries()[0].name, "google.com");
}

TEST_F(RealListsTest, EveryIpv6InRealLifeFile) {
  const std::string root = dir_ + "/gov/ipv6-in-real-life";
  int files = 0;
  size_t names = 0;
  for (const char* cc : {"cz", "de", "fr", "gb", "ie", "it", "lt", "us"}) {
    DIR* d = opendir((root + "/" + cc).c_str());
    ASSERT_NE(d, nullptr) << cc;
    while (const dirent* e = readdir(d)) {
      if (e->d_name[0] == '.') continue;
      ImportResult r =
          Import(absl::StrCat("gov/ipv6-in-real-life/", cc, "/", e->d_name));
      EXPECT_FALSE(r.list.empty()) << cc << "/" << e->d_name;
      ++files;
      names += r.list.size();
    }
    closedir(d);
  }
  EXPECT_EQ(files, 37);
  EXPECT_EQ(names, 309u - 1u);  // 309 main_host lines; gb telco repeats one.
}

}  // namespace
}  // namespace v6scope::collector::campaign
