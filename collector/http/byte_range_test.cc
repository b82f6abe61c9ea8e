#include "collector/http/byte_range.h"

#include <string>

#include "gtest/gtest.h"

namespace v6scope::collector::http {
namespace {

using Kind = ByteRange::Kind;

ByteRange Parse(const std::string& header, uint64_t size = 1000) {
  return ParseByteRange(&header, size);
}

TEST(ByteRangeTest, NoHeaderIsTheWholeObject) {
  EXPECT_EQ(ParseByteRange(nullptr, 1000).kind, Kind::kWhole);
}

TEST(ByteRangeTest, OneBoundedRange) {
  ByteRange r = Parse("bytes=10-19");
  EXPECT_EQ(r.kind, Kind::kPartial);
  EXPECT_EQ(r.first, 10u);
  EXPECT_EQ(r.length, 10u);
  EXPECT_EQ(ContentRange(r, 1000), "bytes 10-19/1000");
}

TEST(ByteRangeTest, AnEndPastTheObjectIsCutToIt) {
  ByteRange r = Parse("bytes=0-9223372036854775806");
  EXPECT_EQ(r.kind, Kind::kPartial);
  EXPECT_EQ(r.first, 0u);
  EXPECT_EQ(r.length, 1000u);
  // Larger than 64 bits: still only the object.
  r = Parse("bytes=990-99999999999999999999999999");
  EXPECT_EQ(r.length, 10u);
  EXPECT_EQ(ContentRange(r, 1000), "bytes 990-999/1000");
}

TEST(ByteRangeTest, OpenAndSuffixRanges) {
  ByteRange open = Parse("bytes=900-");
  EXPECT_EQ(open.first, 900u);
  EXPECT_EQ(open.length, 100u);
  ByteRange suffix = Parse("bytes=-100");
  EXPECT_EQ(suffix.first, 900u);
  EXPECT_EQ(suffix.length, 100u);
  ByteRange longer = Parse("bytes=-5000");
  EXPECT_EQ(longer.first, 0u);
  EXPECT_EQ(longer.length, 1000u);
}

TEST(ByteRangeTest, AStartAtOrPastTheEndIsUnsatisfiable) {
  EXPECT_EQ(Parse("bytes=1000-").kind, Kind::kUnsatisfiable);
  EXPECT_EQ(Parse("bytes=5000-6000").kind, Kind::kUnsatisfiable);
  EXPECT_EQ(Parse("bytes=-0").kind, Kind::kUnsatisfiable);
  EXPECT_EQ(Parse("bytes=0-", 0).kind, Kind::kUnsatisfiable);
  EXPECT_EQ(ContentRange(Parse("bytes=1000-"), 1000), "bytes */1000");
}

TEST(ByteRangeTest, SeveralRangesAndMalformedOnesAreIgnored) {
  std::string many = "bytes=0-0";
  for (int i = 1; i < 100; ++i) many += ",0-999";
  EXPECT_EQ(Parse(many).kind, Kind::kWhole);
  for (const char* bad : {"items=0-1", "bytes=5-1", "bytes=a-b",
                          "bytes=", "bytes=-", "bytes=1", "bytes=--1", "0-1"}) {
    EXPECT_EQ(Parse(bad).kind, Kind::kWhole) << bad;
  }
}

}  // namespace
}  // namespace v6scope::collector::http
