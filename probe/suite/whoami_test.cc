#include "probe/suite/whoami.h"

#include <utility>

#include "gtest/gtest.h"

namespace v6scope::probe::suite {
namespace {

TEST(WhoamiTest, KeepsOnlyThePublicPrefixOfTheAskedFamily) {
  EXPECT_EQ(WhoamiPublicPrefix("11.0.2.77", false), "11.0.2.0/24");
  EXPECT_EQ(WhoamiPublicPrefix("3ffe:1:2:3::77\n", true), "3ffe:1:2::/48");
  EXPECT_EQ(WhoamiPublicPrefix("::ffff:11.51.100.9", false), "11.51.100.0/24");
  EXPECT_EQ(WhoamiPublicPrefix(" 8.8.8.8 ", false), "8.8.8.0/24");
  EXPECT_EQ(WhoamiPublicPrefix("2a00:1450:4001:80b::200e", true),
            "2a00:1450:4001::/48");
  EXPECT_EQ(WhoamiPublicPrefix("11.0.2.77", true), "");
  EXPECT_EQ(WhoamiPublicPrefix("3ffe::1", false), "");
}

TEST(WhoamiTest, PublicAnswersHaveNoRefusal) {
  for (const auto& [body, v6] :
       {std::pair{"11.0.2.77", false}, std::pair{"3ffe::1", true},
        // Tunnels count as public: the server sees the relay-routed address.
        std::pair{"2002:b00:1::1", true},
        std::pair{"2001:0:4136:e378:8000:63bf:3fff:fdd2", true},
        // The well-known NAT64 prefix is globally reachable.
        std::pair{"64:ff9b::b00:1", true}}) {
    const WhoamiAnswer answer = ReadWhoamiAnswer(body, v6);
    EXPECT_FALSE(answer.prefix.empty()) << body;
    EXPECT_EQ(answer.refusal, "") << body;
  }
}

TEST(WhoamiTest, NonPublicAnswersGiveNoPrefixAndSayWhy) {
  struct Case {
    const char* body;
    bool v6;
    const char* refusal;
  };
  for (const Case& c : {
           Case{"127.0.0.1", false,
                "who-am-I saw 127.0.0.1 (loopback, RFC 1122): not a public "
                "address"},
           Case{"::1", true,
                "who-am-I saw ::1 (loopback, RFC 4291): not a public address"},
           Case{"192.0.2.7", false,
                "who-am-I saw 192.0.2.7 (documentation (TEST-NET-1), RFC "
                "5737): not a public address"},
           Case{"2001:db8::1", true,
                "who-am-I saw 2001:db8::1 (documentation, RFC 3849): not a "
                "public address"},
           Case{"fd00::1", true,
                "who-am-I saw fd00::1 (unique-local, RFC 4193): not a public "
                "address"},
           Case{"100.64.1.1", false,
                "who-am-I saw 100.64.1.1 (shared address space, RFC 6598): "
                "not a public address"},
           Case{"::ffff:127.0.0.1", false,
                "who-am-I saw 127.0.0.1 (loopback, RFC 1122): not a public "
                "address"},
           Case{"10.1.2.3\n", false,
                "who-am-I saw 10.1.2.3 (private-use, RFC 1918): not a public "
                "address"},
       }) {
    const WhoamiAnswer answer = ReadWhoamiAnswer(c.body, c.v6);
    EXPECT_EQ(answer.prefix, "") << c.body;
    EXPECT_EQ(answer.refusal, c.refusal) << c.body;
    EXPECT_EQ(WhoamiPublicPrefix(c.body, c.v6), "") << c.body;
  }
}

// 192.0.0.9 is globally reachable, but its /24 is not a public prefix; the
// public address itself is never named.
TEST(WhoamiTest, PublicAddressInANonPublicPrefixIsRefusedWithoutNamingIt) {
  const WhoamiAnswer answer = ReadWhoamiAnswer("192.0.0.9", false);
  EXPECT_EQ(answer.prefix, "");
  EXPECT_EQ(answer.refusal,
            "who-am-I saw an address whose prefix 192.0.0.0/24 overlaps "
            "192.0.0.0/24 (IETF protocol assignments, RFC 6890): not a public "
            "prefix");
}

TEST(WhoamiTest, AnythingButOneAddressGivesNothing) {
  for (const char* body : {"", " ", "11.0.2.1 11.0.2.2", "<html>",
                           "11.0.2.1/24", "fe80::1%eth0", "1.2.3.4.5"}) {
    for (bool v6 : {false, true}) {
      const WhoamiAnswer answer = ReadWhoamiAnswer(body, v6);
      EXPECT_EQ(answer.prefix, "") << body;
      EXPECT_EQ(answer.refusal, "") << body;
    }
  }
}

}  // namespace
}  // namespace v6scope::probe::suite
