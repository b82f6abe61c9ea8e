#include "probe/dns/nat64.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace v6scope::probe::dns {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

net::IpAddress Addr(const std::string& literal) {
  auto address = net::IpAddress::Parse(literal);
  EXPECT_TRUE(address.ok()) << literal << ": " << address.status();
  return address.ok() ? *address : net::IpAddress();
}

std::vector<net::IpAddress> Addrs(const std::vector<std::string>& literals) {
  std::vector<net::IpAddress> out;
  for (const std::string& l : literals) out.push_back(Addr(l));
  return out;
}

std::string PrefixText(const std::vector<std::string>& answers) {
  std::optional<net::IpPrefix> prefix = Nat64PrefixFromAaaa(Addrs(answers));
  return prefix.has_value() ? prefix->ToString() : "none";
}

// RFC 6052 section 2.4 lays out 192.0.2.33 for every length; these are the
// same layouts with 192.0.0.170 (c0.00.00.aa) and 192.0.0.171 (...ab).
TEST(Nat64Test, FindsWellKnownPrefix96) {
  EXPECT_EQ(PrefixText({"64:ff9b::c000:aa"}), "64:ff9b::/96");
  EXPECT_EQ(PrefixText({"64:ff9b::192.0.0.171"}), "64:ff9b::/96");
}

TEST(Nat64Test, FindsNetworkSpecificPrefix96) {
  EXPECT_EQ(PrefixText({"2001:db8:64::c000:aa"}), "2001:db8:64::/96");
}

TEST(Nat64Test, FindsPrefix64) {
  // 2001:db8:122:344::/64: u octet, then c0 00 00 aa at bytes 9..12.
  EXPECT_EQ(PrefixText({"2001:db8:122:344:c0:0:aa00:0"}),
            "2001:db8:122:344::/64");
}

TEST(Nat64Test, FindsPrefix56) {
  // 2001:db8:122:300::/56: c0 at byte 7, u octet, 00 00 aa at 9..11.
  EXPECT_EQ(PrefixText({"2001:db8:122:3c0:0:aa::"}), "2001:db8:122:300::/56");
}

TEST(Nat64Test, FindsPrefix48) {
  // 2001:db8:122::/48: c0 00 at bytes 6..7, u octet, 00 aa at 9..10.
  EXPECT_EQ(PrefixText({"2001:db8:122:c000:0:aa00::"}), "2001:db8:122::/48");
}

TEST(Nat64Test, FindsPrefix40) {
  // 2001:db8:100::/40: c0 00 00 at bytes 5..7, u octet, aa at byte 9.
  EXPECT_EQ(PrefixText({"2001:db8:1c0:0:aa::"}), "2001:db8:100::/40");
}

TEST(Nat64Test, FindsPrefix32) {
  // 2001:db8::/32: c0 00 00 aa at bytes 4..7.
  EXPECT_EQ(PrefixText({"2001:db8:c000:aa::"}), "2001:db8::/32");
  EXPECT_EQ(PrefixText({"2001:db8:c000:ab::"}), "2001:db8::/32");
}

TEST(Nat64Test, PrefixHasHostBitsZero) {
  std::optional<net::IpPrefix> prefix =
      Nat64PrefixFromAaaa(Addrs({"2001:db8:1c0:0:aa::"}));
  ASSERT_TRUE(prefix.has_value());
  EXPECT_EQ(prefix->address(), Addr("2001:db8:100::"));
  EXPECT_EQ(prefix->length(), 40);
}

TEST(Nat64Test, NonMatchingAnswersGiveNothing) {
  EXPECT_EQ(PrefixText({}), "none");
  // A real AAAA record, not synthesised.
  EXPECT_EQ(PrefixText({"2001:db8::1"}), "none");
  // Another IPv4 address embedded (192.0.2.33).
  EXPECT_EQ(PrefixText({"64:ff9b::c000:221"}), "none");
  // 192.0.0.172 is not a well-known address.
  EXPECT_EQ(PrefixText({"64:ff9b::c000:ac"}), "none");
  // IPv4 answers are ignored.
  EXPECT_EQ(PrefixText({"192.0.0.170"}), "none");
  // IPv4-mapped and IPv4-compatible forms are not NAT64 prefixes.
  EXPECT_EQ(PrefixText({"::ffff:192.0.0.170"}), "none");
  EXPECT_EQ(PrefixText({"::192.0.0.170"}), "none");
}

TEST(Nat64Test, NonZeroUOctetOrSuffixIsRejected) {
  // /64 layout but the u octet (byte 8) is 0x01.
  EXPECT_EQ(PrefixText({"2001:db8:122:344:1c0:0:aa00:0"}), "none");
  // /32 layout with a non-zero suffix.
  EXPECT_EQ(PrefixText({"2001:db8:c000:aa::1"}), "none");
}

TEST(Nat64Test, WellKnownBytesInsideThePrefixDoNotConfuseTheLength) {
  // A /64 prefix that itself contains c000:aa at the /32 position: the /32
  // reading would leave the real IPv4 address in its suffix.
  EXPECT_EQ(PrefixText({"2001:db8:c000:aa:c0:0:aa00:0"}),
            "2001:db8:c000:aa::/64");
}

TEST(Nat64Test, SkipsNonMatchingAnswersAndDeduplicates) {
  std::vector<net::IpAddress> answers =
      Addrs({"2001:db8::1", "64:ff9b::c000:aa", "64:ff9b::c000:ab",
             "2001:db8:64::c000:ab"});
  EXPECT_EQ(Nat64PrefixFromAaaa(answers)->ToString(), "64:ff9b::/96");
  std::vector<std::string> all;
  for (const net::IpPrefix& p : Nat64PrefixesFromAaaa(answers)) {
    all.push_back(p.ToString());
  }
  EXPECT_THAT(all, ElementsAre("64:ff9b::/96", "2001:db8:64::/96"));
  EXPECT_THAT(Nat64PrefixesFromAaaa(Addrs({"2001:db8::1"})), IsEmpty());
}

}  // namespace
}  // namespace v6scope::probe::dns
