// Every country code in the RIR statistics exchange files of the shared
// data set (../shared/data/rir/<date>/delegated-*) must be known to
// FindCountry, apart from the non-country codes EU, AP and ZZ and the empty
// code of unassigned space. Skips, saying where it looked, when the data set
// is absent: the project must build and test without it.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "common/geo/countries.h"
#include "gtest/gtest.h"
#include "tests/data/data_paths.h"

namespace v6scope::geo {
namespace {

namespace fs = std::filesystem;

// Regular files named delegated-* under <data>/rir, sorted.
std::vector<std::string> DelegatedFiles(const std::string& data_dir) {
  std::vector<std::string> files;
  std::error_code ec;
  const fs::path rir_dir = fs::path(data_dir) / "rir";
  for (fs::recursive_directory_iterator it(rir_dir, ec), end; !ec && it != end;
       it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (it->is_regular_file() && name.rfind("delegated-", 0) == 0) {
      files.push_back(it->path().string());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

bool IsRecordType(absl::string_view type) {
  return type == "asn" || type == "ipv4" || type == "ipv6";
}

TEST(CountriesRirDataTest, EveryCodeInTheRirFilesIsKnown) {
  std::string tried;
  const std::string data_dir = tests::data::SharedDataDir(&tried);
  if (data_dir.empty()) {
    GTEST_SKIP() << "shared data set not found (looked in: " << tried
                 << "); set V6SCOPE_SHARED_DATA to run this test";
  }
  const std::vector<std::string> files = DelegatedFiles(data_dir);
  if (files.empty()) {
    GTEST_SKIP() << "no rir/*/delegated-* files under " << data_dir;
  }

  // code -> files it appears in (for the failure message).
  std::map<std::string, std::set<std::string>> unknown;
  std::set<std::string> known;
  for (const std::string& path : files) {
    std::ifstream in(path);
    ASSERT_TRUE(in) << path;
    size_t records = 0;
    std::string line;
    while (std::getline(in, line)) {
      if (line.empty() || line[0] == '#') continue;
      // registry|cc|type|start|value|date|status[|opaque-id[|...]]. The
      // version line starts with a number, summary lines have cc "*".
      const std::vector<absl::string_view> f = absl::StrSplit(line, '|');
      if (f.size() < 7 || !IsRecordType(f[2]) || f[1] == "*") continue;
      if (!f[0].empty() && absl::ascii_isdigit(f[0][0])) continue;
      ++records;
      const std::string cc(absl::StripAsciiWhitespace(f[1]));
      if (cc.empty() || cc == "EU" || cc == "AP" || cc == "ZZ") continue;
      if (FindCountry(cc) == nullptr) {
        unknown[cc].insert(path);
      } else {
        known.insert(cc);
      }
    }
    EXPECT_GT(records, 0u) << "no records read from " << path;
  }
  std::cout << files.size() << " RIR files under " << data_dir << ", "
            << known.size() << " distinct country codes, all known: "
            << (unknown.empty() ? "yes" : "no") << "\n";
  for (const auto& [cc, where] : unknown) {
    ADD_FAILURE() << "country code \"" << cc << "\" unknown to FindCountry; "
                  << "in " << absl::StrJoin(where, ", ");
  }
  EXPECT_GT(known.size(), 100u);
}

}  // namespace
}  // namespace v6scope::geo
