#include "collector/store/check_blob.h"

#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "collector/ingest/testing/domain_checks.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "proto/readiness.pb.h"

namespace v6scope::collector::store {
namespace {

using ::testing::HasSubstr;

std::string Serialized(uint64_t variant) {
  return ingest::testing::VariedDomainCheck(
             absl::StrCat("site", variant, ".example.go.ke"), variant)
      .SerializeAsString();
}

TEST(CheckBlobTest, EveryKindOfCheckRoundTripsSmaller) {
  for (uint64_t v = 0; v < ingest::testing::kDomainVariants; ++v) {
    const std::string raw = Serialized(v);
    const std::string blob = EncodeCheckBlob(raw);
    EXPECT_LT(blob.size(), raw.size() * 3 / 4) << "variant " << v;
    EXPECT_EQ(blob[0], '\0');
    absl::StatusOr<std::string> back = DecodeCheckBlob(blob);
    ASSERT_TRUE(back.ok()) << back.status();
    EXPECT_EQ(*back, raw);
    v6scope::v1::DomainCheck check;
    ASSERT_TRUE(ParseStoredCheck(blob, &check).ok());
    EXPECT_EQ(check.domain(), absl::StrCat("site", v, ".example.go.ke"));
  }
}

// Rows stored before the format, and checks that do not shrink, are plain
// protobuf: read as they are.
TEST(CheckBlobTest, PlainProtobufReadsAsItIs) {
  const std::string raw = Serialized(3);
  absl::StatusOr<std::string> back = DecodeCheckBlob(raw);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, raw);
  EXPECT_EQ(*DecodeCheckBlob(""), "");
  // Too small to shrink: kept plain.
  v6scope::v1::DomainCheck tiny;
  tiny.set_domain("a.ke");
  EXPECT_EQ(EncodeCheckBlob(tiny.SerializeAsString()),
            tiny.SerializeAsString());
}

TEST(CheckBlobTest, DamageIsDataLossNamingWhat) {
  const std::string blob = EncodeCheckBlob(Serialized(1));
  struct Case {
    std::string blob;
    const char* says;
  } cases[] = {
      {std::string(1, '\0'), "cut off after its marker"},
      {std::string("\0\x07", 2) + blob.substr(2), "unknown codec 7"},
      {std::string("\0\x01", 2), "cut-off size"},
      {std::string("\0\x01\xff\xff\xff\xff\x7f", 7), "claims 34359738367"},
      {std::string("\0\x01\0", 3), "claims 0"},
      {blob.substr(0, blob.size() - 10), "does not decompress"},
      {blob + "trailing", "does not decompress"},
  };
  for (const Case& c : cases) {
    absl::StatusOr<std::string> back = DecodeCheckBlob(c.blob);
    ASSERT_FALSE(back.ok()) << c.says;
    EXPECT_EQ(back.status().code(), absl::StatusCode::kDataLoss);
    EXPECT_THAT(back.status().message(), HasSubstr(c.says));
  }
  // A block that decompresses to something shorter than it claims.
  std::string lying = blob;
  lying[2] = static_cast<char>(lying[2] + 1);
  EXPECT_EQ(DecodeCheckBlob(lying).status().code(),
            absl::StatusCode::kDataLoss);
  v6scope::v1::DomainCheck check;
  EXPECT_THAT(ParseStoredCheck(std::string("\xff", 1), &check).message(),
              HasSubstr("does not parse"));
}

}  // namespace
}  // namespace v6scope::collector::store
