#include "probe/suite/address_order.h"

#include <map>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace v6scope::probe::suite {
namespace {

using ::testing::ElementsAre;

net::IpAddress Ip(const char* s) { return *net::IpAddress::Parse(s); }

// Sources per destination family, as a host with these addresses has.
SourceLookup Host(std::optional<const char*> v4,
                  std::optional<const char*> v6) {
  return [v4, v6](const net::IpAddress& d) -> std::optional<net::IpAddress> {
    auto s = d.is_v4() ? v4 : v6;
    if (!s.has_value()) return std::nullopt;
    return Ip(*s);
  };
}

std::vector<std::string> Sorted(const SourceLookup& host) {
  std::vector<std::string> out;
  for (const auto& a :
       SortDestinations({Ip("192.0.2.80"), Ip("2001:db8::80")}, host)) {
    out.push_back(a.ToString());
  }
  return out;
}

TEST(AddressOrderTest, NativeIpv6HostTriesIpv6First) {
  EXPECT_THAT(Sorted(Host("192.0.2.10", "2001:db8:1::10")),
              ElementsAre("2001:db8::80", "192.0.2.80"));
}

TEST(AddressOrderTest, SixToFourHostTriesIpv4First) {
  // Rule 5: a 2002::/16 source (label 2) does not match a native
  // destination (label 1); IPv4 to IPv4 matches (label 4).
  EXPECT_THAT(Sorted(Host("192.0.2.10", "2002:c000:20a::10")),
              ElementsAre("192.0.2.80", "2001:db8::80"));
}

TEST(AddressOrderTest, TeredoAndUlaHostsTryIpv4First) {
  EXPECT_THAT(Sorted(Host("192.0.2.10", "2001:0:4136:e378::1")),
              ElementsAre("192.0.2.80", "2001:db8::80"));
  EXPECT_THAT(Sorted(Host("192.0.2.10", "fd00:1::10")),
              ElementsAre("192.0.2.80", "2001:db8::80"));
}

TEST(AddressOrderTest, UnroutableFamilyGoesLast) {
  EXPECT_THAT(Sorted(Host("192.0.2.10", std::nullopt)),
              ElementsAre("192.0.2.80", "2001:db8::80"));
  EXPECT_THAT(Sorted(Host(std::nullopt, "2001:db8:1::10")),
              ElementsAre("2001:db8::80", "192.0.2.80"));
}

TEST(AddressOrderTest, LoopbackPrefersIpv6ByPrecedence) {
  std::vector<std::string> out;
  for (const auto& a : SortDestinations(
           {Ip("127.0.0.1"), Ip("::1")},
           [](const net::IpAddress& d) { return std::optional(d); })) {
    out.push_back(a.ToString());
  }
  EXPECT_THAT(out, ElementsAre("::1", "127.0.0.1"));
}

TEST(AddressOrderTest, LongestMatchingPrefixAmongIpv6) {
  auto host = [](const net::IpAddress&) {
    return std::optional(Ip("2001:db8:1::10"));
  };
  std::vector<std::string> out;
  for (const auto& a :
       SortDestinations({Ip("2001:db8:ffff::1"), Ip("2001:db8:1::80")}, host)) {
    out.push_back(a.ToString());
  }
  EXPECT_THAT(out, ElementsAre("2001:db8:1::80", "2001:db8:ffff::1"));
}

TEST(AddressOrderTest, KernelKnowsLoopbackSources) {
  auto v4 = KernelSourceFor(Ip("127.0.0.1"));
  ASSERT_TRUE(v4.has_value());
  EXPECT_EQ(v4->ToString(), "127.0.0.1");
}

}  // namespace
}  // namespace v6scope::probe::suite
