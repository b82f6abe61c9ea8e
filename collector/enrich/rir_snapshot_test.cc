#include "collector/enrich/rir_snapshot.h"

#include <sys/stat.h>

#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace v6scope::collector::enrich {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

// A fresh directory under the test's temporary directory.
std::string TempDir(const std::string& name) {
  const char* tmp = std::getenv("TEST_TMPDIR");
  const std::string dir =
      absl::StrCat(tmp == nullptr ? "/tmp" : tmp, "/", name);
  mkdir(dir.c_str(), 0755);
  return dir;
}

std::string Write(const std::string& dir, const std::string& name,
                  const std::string& text) {
  const std::string path = absl::StrCat(dir, "/", name);
  std::ofstream(path) << text;
  return path;
}

constexpr char kAfrinic[] =
    "2|afrinic|20260505|2|00000000|20260505|00000\n"
    "afrinic|KE|ipv6|2c0f:fe38::|32|20100527|allocated|H1\n"
    "afrinic|KE|asn|37100|1|20260102|assigned|H1\n";

TEST(RirSnapshotTest, MissingRegistriesAreListed) {
  const std::string dir = TempDir("missing");
  absl::StatusOr<RirSnapshot> s =
      LoadRirSnapshot(20260506, {Write(dir, "a", kAfrinic)});
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(s->date, 20260506);
  ASSERT_EQ(s->files.size(), 1u);
  EXPECT_NE(s->FileOf(Registry::kAfrinic), nullptr);
  EXPECT_EQ(s->FileOf(Registry::kApnic), nullptr);
  EXPECT_THAT(s->missing, ElementsAre(Registry::kApnic, Registry::kArin,
                                      Registry::kLacnic, Registry::kRipeNcc));
  EXPECT_TRUE(s->problems.empty());
  ASSERT_EQ(s->datasets.size(), 1u);
  EXPECT_EQ(s->datasets[0].registry, "afrinic");
  EXPECT_EQ(s->datasets[0].data_date, "2026-05-05");
}

TEST(RirSnapshotTest, MalformedLineIsSkippedAndNamedByFileAndLine) {
  const std::string dir = TempDir("malformed");
  const std::string path =
      Write(dir, "delegated-afrinic-extended-latest",
            absl::StrCat(kAfrinic, "afrinic|KE|ipv6|2c0f:fe39::|32|2010|x\n"));
  absl::StatusOr<RirSnapshot> s = LoadRirSnapshot(20260506, {path});
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(s->files[0].records.size(), 2u);
  EXPECT_EQ(s->datasets[0].malformed, 1u);
  EXPECT_THAT(s->problems, ElementsAre(HasSubstr(absl::StrCat(path, ":4: "))));
}

TEST(RirSnapshotTest, CutFileFailsNamingFileAndLineUnlessPartialAllowed) {
  const std::string dir = TempDir("cut");
  const std::string path =
      Write(dir, "cut", absl::StrCat(kAfrinic, "afrinic|KE|asn|371"));
  absl::StatusOr<RirSnapshot> s = LoadRirSnapshot(20260506, {path});
  ASSERT_FALSE(s.ok());
  EXPECT_THAT(std::string(s.status().message()),
              HasSubstr(absl::StrCat(path, ":4: last line has no newline")));
  s = LoadRirSnapshot(20260506, {path}, {.allow_partial = true});
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(s->files[0].records.size(), 2u);
  EXPECT_TRUE(s->datasets[0].truncated);
  EXPECT_THAT(s->problems, testing::Contains(HasSubstr("no newline")));
}

TEST(RirSnapshotTest, FileMixingRegistriesFails) {
  const std::string dir = TempDir("mixed");
  const std::string path =
      Write(dir, "mixed",
            absl::StrCat(kAfrinic,
                         "apnic|FJ|ipv6|2400:4400::|32|20090101|allocated\n"));
  absl::StatusOr<RirSnapshot> s = LoadRirSnapshot(20260506, {path});
  ASSERT_FALSE(s.ok());
  EXPECT_THAT(std::string(s.status().message()),
              HasSubstr(absl::StrCat(path, ":4: record of registry 'apnic'")));
}

TEST(RirSnapshotTest, UnreadableOrEmptyFileFails) {
  const std::string dir = TempDir("empty");
  EXPECT_EQ(LoadRirSnapshot(1, {dir + "/absent"}).status().code(),
            absl::StatusCode::kNotFound);
  absl::StatusOr<RirSnapshot> s =
      LoadRirSnapshot(1, {Write(dir, "README", "# nothing\n")});
  ASSERT_FALSE(s.ok());
  EXPECT_THAT(std::string(s.status().message()), HasSubstr("no valid record"));
}

TEST(RirSnapshotTest, ExtendedFileWinsOverStandardOfTheSameDate) {
  const std::string dir = TempDir("two");
  const std::string extended = Write(dir, "ext", kAfrinic);
  const std::string standard =
      Write(dir, "std",
            "2|afrinic|20260505|1|00000000|20260505|00000\n"
            "afrinic|KE|ipv6|2c0f:fe38::|32|20100527|allocated\n");
  absl::StatusOr<RirSnapshot> s =
      LoadRirSnapshot(20260506, {extended, standard});
  ASSERT_TRUE(s.ok()) << s.status();
  ASSERT_EQ(s->files.size(), 1u);
  EXPECT_TRUE(s->files[0].extended);
  EXPECT_FALSE(s->datasets[0].superseded);
  EXPECT_TRUE(s->datasets[1].superseded);
  EXPECT_THAT(s->problems, ElementsAre(absl::StrCat(
                               standard, ": superseded by ", extended)));
}

TEST(RirSnapshotTest, LoadsDateFoldersOldestFirstAndIgnoresOthers) {
  const std::string dir = TempDir("tree");
  for (const char* name : {"2026-05-06", "2019-09-12", "notes"}) {
    mkdir(absl::StrCat(dir, "/", name).c_str(), 0755);
  }
  Write(dir + "/2026-05-06", "a", kAfrinic);
  Write(dir + "/2019-09-12", "a", kAfrinic);
  Write(dir + "/notes", "a", "not a delegated file\n");
  absl::StatusOr<std::vector<RirSnapshot>> all = LoadRirSnapshots(dir);
  ASSERT_TRUE(all.ok()) << all.status();
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].date, 20190912);
  EXPECT_EQ((*all)[1].date, 20260506);
  EXPECT_FALSE(LoadRirSnapshots(dir + "/notes").ok());
  EXPECT_FALSE(LoadRirSnapshots(dir + "/absent").ok());
}

}  // namespace
}  // namespace v6scope::collector::enrich
