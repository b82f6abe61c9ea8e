#include "common/net/listen_address.h"

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace v6scope::net {
namespace {

using ::testing::HasSubstr;

TEST(ParseListenAddressTest, AcceptsLiteralsWithPorts) {
  auto any6 = ParseListenAddress("[::]:8080");
  ASSERT_TRUE(any6.ok()) << any6.status();
  EXPECT_EQ(any6->host(), "::");
  EXPECT_TRUE(any6->ip.is_v6());
  EXPECT_EQ(any6->port, 8080);
  auto v4 = ParseListenAddress("127.0.0.1:0");
  ASSERT_TRUE(v4.ok()) << v4.status();
  EXPECT_EQ(v4->host(), "127.0.0.1");
  EXPECT_EQ(v4->port, 0);
  auto v6 = ParseListenAddress("[::1]:65535");
  ASSERT_TRUE(v6.ok()) << v6.status();
  EXPECT_EQ(v6->host(), "::1");
  EXPECT_EQ(v6->port, 65535);
}

TEST(ParseListenAddressTest, RejectsAndQuotesMalformedAddresses) {
  for (const char* bad :
       {"", "8080", "localhost:80", "::1:80", "[127.0.0.1]:80", "[::1]",
        "[::1]:", ":80", "1.2.3.4:65536", "1.2.3.4:-1", "1.2.3.4:+1",
        "1.2.3.4: 80", "[::1:80", "[fe80::1%eth0]:80", "1.2.3.4:000080"}) {
    auto parsed = ParseListenAddress(bad);
    ASSERT_FALSE(parsed.ok()) << bad;
    EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(parsed.status().message(),
                HasSubstr(absl::StrCat("\"", bad, "\"")));
  }
}

TEST(ParseListenAddressTest, ErrorNamesTheListenerAndItsExample) {
  auto parsed =
      ParseListenAddress("localhost:9465", "metrics listen address", 9465);
  ASSERT_FALSE(parsed.ok());
  EXPECT_THAT(parsed.status().message(),
              HasSubstr("bad metrics listen address \"localhost:9465\""));
  EXPECT_THAT(parsed.status().message(), HasSubstr("127.0.0.1:9465"));
}

}  // namespace
}  // namespace v6scope::net
