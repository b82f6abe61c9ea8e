#include "common/net/special_purpose.h"

#include <array>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"
#include "gtest/gtest.h"

namespace v6scope::net {
namespace {

IpAddress Addr(absl::string_view literal) {
  absl::StatusOr<IpAddress> address = IpAddress::Parse(literal);
  EXPECT_TRUE(address.ok()) << address.status();
  return address.ok() ? *address : IpAddress();
}

IpPrefix Prefix(absl::string_view cidr) {
  absl::StatusOr<IpPrefix> prefix = IpPrefix::Parse(cidr);
  EXPECT_TRUE(prefix.ok()) << prefix.status();
  return prefix.ok() ? *prefix : IpPrefix();
}

IpAddress FromBytes(const IpAddress& like,
                    const std::array<uint8_t, IpAddress::kV6Size>& bytes) {
  if (like.is_v6()) return IpAddress::FromV6Bytes(bytes);
  return IpAddress::FromV4Bytes({bytes[0], bytes[1], bytes[2], bytes[3]});
}

// The block's last address: every host bit set.
IpAddress LastAddress(const IpPrefix& prefix) {
  std::array<uint8_t, IpAddress::kV6Size> bytes = prefix.address().bytes();
  for (int bit = prefix.length(); bit < prefix.address().bit_length(); ++bit) {
    bytes[bit / 8] |= static_cast<uint8_t>(0x80 >> (bit % 8));
  }
  return FromBytes(prefix.address(), bytes);
}

// `address` plus `delta` (+1 or -1); false at either end of the space.
bool Step(const IpAddress& address, int delta, IpAddress* out) {
  std::array<uint8_t, IpAddress::kV6Size> bytes = address.bytes();
  const uint8_t wrap = delta > 0 ? 0xFF : 0x00;
  for (int i = static_cast<int>(address.size()) - 1; i >= 0; --i) {
    if (bytes[i] != wrap) {
      bytes[i] = static_cast<uint8_t>(bytes[i] + delta);
      *out = FromBytes(address, bytes);
      return true;
    }
    bytes[i] = static_cast<uint8_t>(~wrap);
  }
  return false;
}

std::string NameOf(const SpecialPurposeBlock* block) {
  return block == nullptr ? "(none)" : block->prefix.ToString();
}

// ---- The table -----------------------------------------------------------

TEST(SpecialPurposeTableTest, HoldsBothRegistriesAndMulticast) {
  int v4 = 0, v6 = 0, multicast = 0;
  for (const SpecialPurposeBlock& block : SpecialPurposeBlocks()) {
    (block.prefix.address().is_v4() ? v4 : v6)++;
    if (block.multicast) ++multicast;
    EXPECT_FALSE(block.name.empty()) << block.prefix.ToString();
    EXPECT_EQ(block.rfc.substr(0, 4), "RFC ") << block.prefix.ToString();
  }
  // 26 IPv4 registry rows + 224.0.0.0/4; 24 IPv6 rows + ff00::/8.
  EXPECT_EQ(v4, 27);
  EXPECT_EQ(v6, 25);
  EXPECT_EQ(multicast, 2);
}

TEST(SpecialPurposeTableTest, EachFamilyInAddressOrder) {
  const std::vector<SpecialPurposeBlock>& blocks = SpecialPurposeBlocks();
  for (size_t i = 1; i < blocks.size(); ++i) {
    const IpPrefix& a = blocks[i - 1].prefix;
    const IpPrefix& b = blocks[i].prefix;
    EXPECT_TRUE(a.address() < b.address() ||
                (a.address() == b.address() && a.length() < b.length()))
        << a.ToString() << " before " << b.ToString();
  }
}

TEST(SpecialPurposeTableTest, TheRecentIpv6Blocks) {
  const SpecialPurposeBlock* doc = FindSpecialPurpose(Addr("3fff::1"));
  ASSERT_NE(doc, nullptr);
  EXPECT_EQ(doc->prefix, Prefix("3fff::/20"));
  EXPECT_EQ(doc->Describe(), "documentation, RFC 9637");
  const SpecialPurposeBlock* srv6 = FindSpecialPurpose(Addr("5f00::1"));
  ASSERT_NE(srv6, nullptr);
  EXPECT_EQ(srv6->prefix, Prefix("5f00::/16"));
  EXPECT_FALSE(IsPublicAddress(Addr("5f00::1")));
}

// Every block's first and last address is in the block (or in a more
// specific block inside it), and the addresses just outside are not.
TEST(SpecialPurposeTableTest, FirstLastAndNeighboursOfEveryBlock) {
  for (const SpecialPurposeBlock& block : SpecialPurposeBlocks()) {
    const IpPrefix& p = block.prefix;
    // Its addresses are looked up as the IPv4 they carry (tested below).
    if (p == Prefix("::ffff:0:0/96")) continue;
    const IpAddress first = p.address();
    const IpAddress last = LastAddress(p);
    for (const IpAddress& inside : {first, last}) {
      const SpecialPurposeBlock* found = FindSpecialPurpose(inside);
      ASSERT_NE(found, nullptr) << inside.ToString();
      EXPECT_TRUE(p.length() <= found->prefix.length() &&
                  p.Contains(found->prefix.address()))
          << p.ToString() << ": " << inside.ToString() << " found in "
          << NameOf(found);
      EXPECT_EQ(IsPublicAddress(inside), found->IsPublic())
          << inside.ToString();
    }
    IpAddress before, after;
    if (Step(first, -1, &before)) {
      EXPECT_NE(FindSpecialPurpose(before), &block) << before.ToString();
    }
    if (Step(last, +1, &after)) {
      EXPECT_NE(FindSpecialPurpose(after), &block) << after.ToString();
    }
  }
}

// ---- Addresses -----------------------------------------------------------

struct PublicCase {
  absl::string_view literal;
  bool want_public;
  absl::string_view want_block;  // "" for none.
};

void ExpectCases(const std::vector<PublicCase>& cases) {
  for (const PublicCase& c : cases) {
    const IpAddress address = Addr(c.literal);
    EXPECT_EQ(IsPublicAddress(address), c.want_public) << c.literal;
    const SpecialPurposeBlock* block = FindSpecialPurpose(address);
    EXPECT_EQ(block == nullptr ? "" : block->prefix.ToString(), c.want_block)
        << c.literal;
  }
}

TEST(IsPublicAddressTest, Ipv4) {
  ExpectCases({
      {"11.0.0.1", true, ""},  // The public test space.
      {"11.255.255.255", true, ""},
      {"8.8.8.8", true, ""},
      {"0.0.0.0", false, "0.0.0.0/32"},
      {"0.1.2.3", false, "0.0.0.0/8"},
      {"10.1.2.3", false, "10.0.0.0/8"},
      {"100.63.255.255", true, ""},
      {"100.64.0.0", false, "100.64.0.0/10"},
      {"100.127.255.255", false, "100.64.0.0/10"},
      {"100.128.0.0", true, ""},
      {"127.0.0.1", false, "127.0.0.0/8"},
      {"169.254.1.1", false, "169.254.0.0/16"},
      {"172.31.255.255", false, "172.16.0.0/12"},
      {"172.32.0.0", true, ""},
      {"192.0.0.7", false, "192.0.0.0/29"},
      {"192.0.0.8", false, "192.0.0.8/32"},
      {"192.0.0.9", true, "192.0.0.9/32"},
      {"192.0.0.10", true, "192.0.0.10/32"},
      {"192.0.0.11", false, "192.0.0.0/24"},
      {"192.0.0.170", false, "192.0.0.170/32"},
      {"192.0.2.7", false, "192.0.2.0/24"},
      {"192.0.3.0", true, ""},
      {"192.31.196.1", true, "192.31.196.0/24"},
      {"192.52.193.1", true, "192.52.193.0/24"},
      {"192.88.99.1", false, "192.88.99.0/24"},
      {"192.88.99.2", false, "192.88.99.2/32"},
      {"192.168.1.1", false, "192.168.0.0/16"},
      {"192.175.48.1", true, "192.175.48.0/24"},
      {"198.18.0.1", false, "198.18.0.0/15"},
      {"198.19.255.255", false, "198.18.0.0/15"},
      {"198.20.0.0", true, ""},
      {"198.51.100.1", false, "198.51.100.0/24"},
      {"203.0.113.1", false, "203.0.113.0/24"},
      {"223.255.255.255", true, ""},
      {"224.0.0.1", false, "224.0.0.0/4"},
      {"239.255.255.255", false, "224.0.0.0/4"},
      {"240.0.0.1", false, "240.0.0.0/4"},
      {"255.255.255.254", false, "240.0.0.0/4"},
      {"255.255.255.255", false, "255.255.255.255/32"},
  });
}

TEST(IsPublicAddressTest, Ipv6) {
  ExpectCases({
      {"3ffe::1", true, ""},  // The public test space (returned 6bone).
      {"3ffe:ffff:ffff:ffff:ffff:ffff:ffff:ffff", true, ""},
      {"2a00:1450:4001::1", true, ""},
      {"::", false, "::/128"},
      {"::1", false, "::1/128"},
      {"::2", true, ""},
      {"64:ff9b::c000:201", true, "64:ff9b::/96"},
      {"64:ff9b::b00:1", true, "64:ff9b::/96"},
      {"64:ff9b:1::1", false, "64:ff9b:1::/48"},
      {"100::1", false, "100::/64"},
      {"2001:0:4136:e378:8000:63bf:3fff:fdd2", true, "2001::/32"},
      {"2001:1::1", true, "2001:1::1/128"},
      {"2001:1::3", true, "2001:1::3/128"},
      {"2001:1::4", false, "2001::/23"},
      {"2001:2::1", false, "2001:2::/48"},
      {"2001:3::1", true, "2001:3::/32"},
      {"2001:4:112::1", true, "2001:4:112::/48"},
      {"2001:10::1", false, "2001:10::/28"},
      {"2001:20::1", true, "2001:20::/28"},
      {"2001:30::1", true, "2001:30::/28"},
      {"2001:1ff:ffff:ffff:ffff:ffff:ffff:ffff", false, "2001::/23"},
      {"2001:200::1", true, ""},
      {"2001:db8::1", false, "2001:db8::/32"},
      {"2001:db9::1", true, ""},
      {"2002:c000:204::1", true, "2002::/16"},
      {"2620:4f:8000::1", true, "2620:4f:8000::/48"},
      {"3fff:fff::1", false, "3fff::/20"},
      {"3fff:1000::1", true, ""},
      {"5f00::1", false, "5f00::/16"},
      {"fd00::1", false, "fc00::/7"},
      {"fe80::1", false, "fe80::/10"},
      {"fec0::1", true, ""},  // Deprecated site-local: in no registry.
      {"ff02::1", false, "ff00::/8"},
      {"ff0e::1", false, "ff00::/8"},
  });
}

TEST(IsPublicAddressTest, MappedAddressesAreJudgedByTheirIpv4) {
  ExpectCases({
      {"::ffff:11.1.2.3", true, ""},
      {"::ffff:8.8.8.8", true, ""},
      {"::ffff:127.0.0.1", false, "127.0.0.0/8"},
      {"::ffff:192.0.2.7", false, "192.0.2.0/24"},
      {"::ffff:100.64.1.1", false, "100.64.0.0/10"},
  });
}

TEST(IsPublicAddressTest, DescribeNamesBlockAndRfc) {
  EXPECT_EQ(FindSpecialPurpose(Addr("127.0.0.1"))->Describe(),
            "loopback, RFC 1122");
  EXPECT_EQ(FindSpecialPurpose(Addr("192.0.2.7"))->Describe(),
            "documentation (TEST-NET-1), RFC 5737");
  EXPECT_EQ(FindSpecialPurpose(Addr("::1"))->Describe(), "loopback, RFC 4291");
}

// ---- Prefixes ------------------------------------------------------------

TEST(IsPublicPrefixTest, PublicTestSpaceAndRealSpace) {
  for (absl::string_view cidr :
       {"11.0.0.0/24", "11.22.33.0/24", "11.0.0.0/8", "1.0.0.0/24", "3ffe::/48",
        "3ffe:1:2::/48", "3ffe::/16", "2a00:1450:4001::/48", "64:ff9b::/96",
        "2002:c000:204::/48", "2001:0:4136::/48", "2001:4:112::/48",
        "::ffff:11.0.0.0/120"}) {
    EXPECT_TRUE(IsPublicPrefix(Prefix(cidr))) << cidr;
    EXPECT_EQ(FindNonPublicOverlap(Prefix(cidr)), nullptr) << cidr;
  }
}

TEST(IsPublicPrefixTest, PrefixInsideOrOverlappingANonPublicBlock) {
  const std::vector<std::pair<absl::string_view, absl::string_view>> cases = {
      {"192.0.2.0/24", "192.0.2.0/24"},
      {"127.0.0.0/24", "127.0.0.0/8"},
      {"10.1.2.0/24", "10.0.0.0/8"},
      {"100.64.1.0/24", "100.64.0.0/10"},
      {"198.18.7.0/24", "198.18.0.0/15"},
      // 192.0.0.9 is public, its /24 is not.
      {"192.0.0.0/24", "192.0.0.0/24"},
      {"192.88.99.0/24", "192.88.99.0/24"},
      // Larger than a block: overlaps it.
      {"192.0.0.0/16", "192.0.0.0/24"},
      {"0.0.0.0/0", "0.0.0.0/8"},
      {"::/48", "::/128"},
      {"2001:db8:1::/48", "2001:db8::/32"},
      {"2001:2::/48", "2001:2::/48"},
      {"2001:1::/48", "2001::/23"},
      {"3fff::/48", "3fff::/20"},
      {"fd00:1::/48", "fc00::/7"},
      {"fe80::/48", "fe80::/10"},
      {"64:ff9b:1::/48", "64:ff9b:1::/48"},
      {"64:ff9b::/32", "64:ff9b:1::/48"},
      {"2000::/3", "2001::/23"},
      {"::ffff:192.0.2.0/120", "192.0.2.0/24"},
  };
  for (const auto& [cidr, want_block] : cases) {
    EXPECT_FALSE(IsPublicPrefix(Prefix(cidr))) << cidr;
    EXPECT_EQ(NameOf(FindNonPublicOverlap(Prefix(cidr))), want_block) << cidr;
  }
}

}  // namespace
}  // namespace v6scope::net
