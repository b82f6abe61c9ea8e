#include "collector/store/varint.h"

#include <cstdint>
#include <limits>
#include <string>

#include "absl/strings/string_view.h"
#include "gtest/gtest.h"

namespace v6scope::collector::store {
namespace {

TEST(VarintTest, RoundTripsEdgeValuesBackToBack) {
  const uint64_t values[] = {
      0,     1,     127,      128,
      16383, 16384, 1u << 31, std::numeric_limits<uint64_t>::max()};
  std::string bytes;
  for (uint64_t v : values) PutVarint(v, &bytes);
  EXPECT_EQ(bytes.size(), 1 + 1 + 1 + 2 + 2 + 3 + 5 + 10u);
  absl::string_view in = bytes;
  for (uint64_t want : values) {
    uint64_t got = 0;
    ASSERT_TRUE(GetVarint(&in, &got));
    EXPECT_EQ(got, want);
  }
  EXPECT_TRUE(in.empty());
}

TEST(VarintTest, CutOffAndOverlongAreRefused) {
  uint64_t v = 0;
  absl::string_view empty;
  EXPECT_FALSE(GetVarint(&empty, &v));
  absl::string_view cut("\x80\x80", 2);
  EXPECT_FALSE(GetVarint(&cut, &v));
  const std::string eleven(11, '\x80');
  absl::string_view overlong = eleven;
  EXPECT_FALSE(GetVarint(&overlong, &v));
}

}  // namespace
}  // namespace v6scope::collector::store
