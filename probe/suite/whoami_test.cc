#include "probe/suite/whoami.h"

#include "gtest/gtest.h"

namespace v6scope::probe::suite {
namespace {

TEST(WhoamiTest, KeepsOnlyThePublicPrefixOfTheAskedFamily) {
  EXPECT_EQ(WhoamiPublicPrefix("192.0.2.77", false), "192.0.2.0/24");
  EXPECT_EQ(WhoamiPublicPrefix("2001:db8:1:2::77\n", true), "2001:db8:1::/48");
  EXPECT_EQ(WhoamiPublicPrefix("::ffff:198.51.100.9", false),
            "198.51.100.0/24");
  EXPECT_EQ(WhoamiPublicPrefix("192.0.2.77", true), "");
  EXPECT_EQ(WhoamiPublicPrefix("2001:db8::1", false), "");
}

TEST(WhoamiTest, AnythingButOneAddressGivesNothing) {
  for (const char* body : {"", " ", "192.0.2.1 192.0.2.2", "<html>",
                           "192.0.2.1/24", "fe80::1%eth0", "1.2.3.4.5"}) {
    EXPECT_EQ(WhoamiPublicPrefix(body, false), "") << body;
    EXPECT_EQ(WhoamiPublicPrefix(body, true), "") << body;
  }
}

}  // namespace
}  // namespace v6scope::probe::suite
