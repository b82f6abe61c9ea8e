#include "collector/enrich/data_file.h"

#include <cstdio>
#include <cstdlib>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/data/data_paths.h"

namespace v6scope::collector::enrich {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Pair;
using ::testing::StartsWith;
using tests::data::FixturePath;

std::string TempPath(const std::string& name) {
  return absl::StrCat(std::getenv("TEST_TMPDIR"), "/", name);
}

void WriteBytes(const std::string& path, const std::string& bytes) {
  FILE* f = std::fopen(path.c_str(), "wb");
  ASSERT_NE(f, nullptr);
  ASSERT_EQ(std::fwrite(bytes.data(), 1, bytes.size(), f), bytes.size());
  std::fclose(f);
}

TEST(ReadDataFileTest, ReadsPlainFilesAsIs) {
  absl::StatusOr<DataFile> file = ReadDataFile(FixturePath("pfx2as_v4.txt"));
  ASSERT_TRUE(file.ok()) << file.status();
  EXPECT_FALSE(file->gzip);
  EXPECT_FALSE(file->truncated);
  EXPECT_THAT(file->contents, StartsWith("# Crafted CAIDA pfx2as"));
  EXPECT_EQ(file->contents.size(), file->size_bytes);
  EXPECT_EQ(file->gzip_date, "");
}

TEST(ReadDataFileTest, DecompressesGzipByMagicNotName) {
  absl::StatusOr<DataFile> gz = ReadDataFile(FixturePath("pfx2as_v6.txt.gz"));
  ASSERT_TRUE(gz.ok()) << gz.status();
  EXPECT_TRUE(gz->gzip);
  EXPECT_FALSE(gz->truncated);
  EXPECT_THAT(gz->contents, StartsWith("2001::\t32\t6939_1101_25192\n"));
  // The same bytes under a name without ".gz".
  std::string raw;
  {
    FILE* f = std::fopen(FixturePath("pfx2as_v6.txt.gz").c_str(), "rb");
    ASSERT_NE(f, nullptr);
    char buf[4096];
    size_t n;
    while ((n = std::fread(buf, 1, sizeof(buf), f)) > 0) raw.append(buf, n);
    std::fclose(f);
  }
  // Patch the header's MTIME (not covered by any checksum) to 2020-02-20
  // 00:23:07 UTC, as in CAIDA's file.
  const uint32_t mtime = 1582158187;
  for (int i = 0; i < 4; ++i) raw[4 + i] = static_cast<char>(mtime >> (8 * i));
  const std::string renamed = TempPath("v6-no-suffix");
  WriteBytes(renamed, raw);
  absl::StatusOr<DataFile> plain_name = ReadDataFile(renamed);
  ASSERT_TRUE(plain_name.ok()) << plain_name.status();
  EXPECT_TRUE(plain_name->gzip);
  EXPECT_EQ(plain_name->contents, gz->contents);
  EXPECT_EQ(plain_name->gzip_date, "2020-02-20");
  EXPECT_EQ(VersionOf(*plain_name, "pfx2as").ToString(),
            "v6-no-suffix@2020-02-20");
}

TEST(ReadDataFileTest, TruncatedGzipYieldsWhatWasDecompressed) {
  absl::StatusOr<DataFile> file =
      ReadDataFile(FixturePath("pfx2as_truncated.gz"));
  ASSERT_TRUE(file.ok()) << file.status();
  EXPECT_TRUE(file->gzip);
  EXPECT_TRUE(file->truncated);
  EXPECT_FALSE(file->gzip_error.empty());
  EXPECT_THAT(file->contents, StartsWith("# Crafted CAIDA pfx2as"));
  EXPECT_TRUE(VersionOf(*file, "pfx2as").truncated);
}

TEST(ReadDataFileTest, MissingFileIsNotFoundAndNamesThePath) {
  absl::StatusOr<DataFile> file = ReadDataFile("/nonexistent/pfx2as.gz");
  EXPECT_EQ(file.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(file.status().message(), HasSubstr("/nonexistent/pfx2as.gz"));
}

TEST(ReadDataFileTest, DirectoryIsRefused) {
  EXPECT_EQ(ReadDataFile(std::getenv("TEST_TMPDIR")).status().code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST(ReadDataFileTest, EmptyFileReadsAsEmpty) {
  const std::string path = TempPath("empty");
  WriteBytes(path, "");
  absl::StatusOr<DataFile> file = ReadDataFile(path);
  ASSERT_TRUE(file.ok()) << file.status();
  EXPECT_EQ(file->contents, "");
  EXPECT_FALSE(file->truncated);
}

std::vector<std::pair<uint64_t, std::string>> Lines(absl::string_view text,
                                                    MalformedLines* bad) {
  std::vector<std::pair<uint64_t, std::string>> lines;
  ForEachLine(text, bad, [&](uint64_t n, absl::string_view line) {
    lines.emplace_back(n, std::string(line));
  });
  return lines;
}

TEST(ForEachLineTest, NumbersLinesAndStripsCrLf) {
  MalformedLines bad("f");
  EXPECT_THAT(Lines("a\r\n\nb\n", &bad),
              ElementsAre(Pair(1, "a"), Pair(2, ""), Pair(3, "b")));
  EXPECT_EQ(bad.count(), 0u);
}

TEST(ForEachLineTest, RefusesAnUnterminatedLastLine) {
  MalformedLines bad("f.txt");
  EXPECT_THAT(Lines("1.0.0.0\t24\t13335\n1.0.4.0\t22\t562", &bad),
              ElementsAre(Pair(1, "1.0.0.0\t24\t13335")));
  EXPECT_EQ(bad.count(), 1u);
  EXPECT_THAT(bad.examples(), ElementsAre(HasSubstr("f.txt:2: unterminated")));
  EXPECT_EQ(bad.unterminated_line(), 2u);
}

TEST(MalformedLinesTest, CountsAllButKeepsTheFirstFew) {
  MalformedLines bad("x.txt", 2);
  for (int i = 1; i <= 10; ++i) bad.Add(i, "why", "text");
  EXPECT_EQ(bad.count(), 10u);
  EXPECT_THAT(bad.examples(), ElementsAre("x.txt:1: why", "x.txt:2: why"));
}

TEST(ParseDecimalTest, StrictDigitsWithinBound) {
  uint64_t v = 0;
  EXPECT_TRUE(ParseDecimal("4294967295", 0xFFFFFFFF, &v));
  EXPECT_EQ(v, 4294967295u);
  EXPECT_FALSE(ParseDecimal("4294967296", 0xFFFFFFFF, &v));
  EXPECT_FALSE(ParseDecimal("", 10, &v));
  EXPECT_FALSE(ParseDecimal("-1", 10, &v));
  EXPECT_FALSE(ParseDecimal("+1", 10, &v));
  EXPECT_FALSE(ParseDecimal("1 ", 10, &v));
  EXPECT_FALSE(ParseDecimal("99999999999999999999999", ~uint64_t{0}, &v));
  EXPECT_TRUE(ParseDecimal("18446744073709551615", ~uint64_t{0}, &v));
  EXPECT_EQ(v, ~uint64_t{0});
}

TEST(DateTest, ParsesRealDaysAndUnknown) {
  int32_t d = -1;
  EXPECT_TRUE(ParseYyyymmdd("20241108", &d));
  EXPECT_EQ(d, 20241108);
  EXPECT_EQ(FormatYyyymmdd(d), "2024-11-08");
  EXPECT_TRUE(ParseYyyymmdd("", &d));
  EXPECT_EQ(d, 0);
  EXPECT_TRUE(ParseYyyymmdd("00000000", &d));
  EXPECT_EQ(d, 0);
  EXPECT_EQ(FormatYyyymmdd(0), "");
  EXPECT_TRUE(ParseYyyymmdd("20240229", &d));
  EXPECT_FALSE(ParseYyyymmdd("20230229", &d));
  EXPECT_FALSE(ParseYyyymmdd("20201301", &d));
  EXPECT_FALSE(ParseYyyymmdd("2020011", &d));
  EXPECT_FALSE(ParseYyyymmdd("2020-01-01", &d));
}

TEST(DatasetVersionTest, FallsBackToModificationTime) {
  DatasetVersion v;
  v.name = "asn.txt";
  v.modified = absl::FromUnixSeconds(1768903200);  // 2026-01-20T10:00:00Z
  EXPECT_EQ(v.ToString(), "asn.txt@mtime=2026-01-20T10:00:00Z");
  v.data_date = "2026-01-20";
  EXPECT_EQ(v.ToString(), "asn.txt@2026-01-20");
}

}  // namespace
}  // namespace v6scope::collector::enrich
