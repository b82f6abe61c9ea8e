#include "common/net/ip_address.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <cstring>
#include <iterator>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace v6scope::net {
namespace {

using ::testing::HasSubstr;

IpAddress Addr(absl::string_view literal) {
  absl::StatusOr<IpAddress> address = IpAddress::Parse(literal);
  EXPECT_TRUE(address.ok()) << address.status();
  return address.value_or(IpAddress());
}

// ---- IpAddress ----------------------------------------------------------

TEST(IpAddressTest, ParsesV4) {
  const IpAddress a = Addr("192.0.2.1");
  EXPECT_TRUE(a.is_v4());
  EXPECT_FALSE(a.is_v6());
  EXPECT_EQ(a.family(), IpFamily::kV4);
  EXPECT_EQ(a.size(), 4u);
  EXPECT_EQ(a.bit_length(), 32);
  EXPECT_EQ(a.bytes()[0], 192);
  EXPECT_EQ(a.bytes()[3], 1);
  EXPECT_EQ(a.bytes()[4], 0);  // Unused tail is zero.
  EXPECT_EQ(a.ToString(), "192.0.2.1");
}

TEST(IpAddressTest, ParsesV6AndPrintsCanonically) {
  const IpAddress a = Addr("2001:0DB8:0000:0000:0000:0000:0000:0001");
  EXPECT_TRUE(a.is_v6());
  EXPECT_EQ(a.size(), 16u);
  EXPECT_EQ(a.bit_length(), 128);
  EXPECT_EQ(a.bytes()[0], 0x20);
  EXPECT_EQ(a.bytes()[15], 1);
  EXPECT_EQ(a.ToString(), "2001:db8::1");
}

TEST(IpAddressTest, ParsesV4MappedAsV6) {
  const IpAddress a = Addr("::ffff:192.0.2.1");
  EXPECT_TRUE(a.is_v6());
  EXPECT_TRUE(a.IsV4Mapped());
  EXPECT_EQ(a.ToString(), "::ffff:192.0.2.1");
  EXPECT_EQ(a.Unmapped(), Addr("192.0.2.1"));
  EXPECT_FALSE(Addr("2001:db8::1").IsV4Mapped());
  EXPECT_FALSE(Addr("192.0.2.1").IsV4Mapped());
  EXPECT_EQ(Addr("2001:db8::1").Unmapped(), Addr("2001:db8::1"));
}

TEST(IpAddressTest, RejectsBadLiteralsNamingThem) {
  for (absl::string_view bad :
       {"", "1.2.3", "1.2.3.4.5", "256.0.0.1", "01.2.3.4", " 1.2.3.4",
        "1.2.3.4 ", "1.2.3.4/24", "[::1]", "2001:db8::1::2", "fe80::1%eth0",
        "gggg::1", "localhost", "::1:"}) {
    absl::StatusOr<IpAddress> result = IpAddress::Parse(bad);
    ASSERT_FALSE(result.ok()) << bad;
    EXPECT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(std::string(result.status().message()),
                HasSubstr(absl::StrCat("\"", bad, "\"")));
  }
}

TEST(IpAddressTest, RejectsEmbeddedNul) {
  const std::string text("192.0.2.1\0junk", 14);
  absl::StatusOr<IpAddress> result = IpAddress::Parse(text);
  ASSERT_FALSE(result.ok());
  EXPECT_THAT(std::string(result.status().message()),
              HasSubstr("192.0.2.1\\x00junk"));
}

TEST(IpAddressTest, ErrorQuoteIsBounded) {
  const std::string huge(10000, 'x');
  absl::StatusOr<IpAddress> result = IpAddress::Parse(huge);
  ASSERT_FALSE(result.ok());
  EXPECT_LT(std::string(result.status().message()).size(), 200u);
  EXPECT_THAT(std::string(result.status().message()), HasSubstr("...\""));
}

// Parse takes IPv4 by hand (no inet_pton): it must accept exactly what
// inet_pton(AF_INET) accepts, with the same bytes. Edge cases first, then
// every short string over a small alphabet.
TEST(IpAddressTest, V4ParserAgreesWithInetPton) {
  auto agree = [](const std::string& text) {
    in_addr expected{};
    const bool valid = inet_pton(AF_INET, text.c_str(), &expected) == 1;
    absl::StatusOr<IpAddress> got = IpAddress::Parse(text);
    if (text.find(':') != std::string::npos) return;  // The IPv6 path.
    ASSERT_EQ(got.ok(), valid) << "\"" << text << "\"";
    if (!valid) return;
    ASSERT_TRUE(got->is_v4()) << text;
    EXPECT_EQ(0, std::memcmp(got->bytes().data(), &expected, 4)) << text;
  };
  for (const char* text : {"0.0.0.0",    "255.255.255.255",
                           "256.1.1.1",  "1.2.3.4",
                           "01.2.3.4",   "1.2.3.04",
                           "1.2.3",      "1.2.3.4.5",
                           "1..2.3",     ".1.2.3",
                           "1.2.3.4.",   "1.2.3.4 ",
                           " 1.2.3.4",   "1.2.3.-4",
                           "1.2.3.+4",   "0x1.2.3.4",
                           "1.2.3.2555", "1.2.3.0255",
                           "1.2.3.999",  "00.0.0.0",
                           "0.0.0.00",   "",
                           ".",          "...",
                           "1.2.3.4a",   "192.168.001.1",
                           "1e1.2.3.4"}) {
    agree(text);
  }
  // Every string of up to 7 characters over digits that reach 0, 255 and
  // 259, the dot and a letter: 335,923 strings.
  const std::string alphabet = "0259.a";
  std::vector<std::string> level = {""};
  for (int length = 1; length <= 7; ++length) {
    std::vector<std::string> longer;
    longer.reserve(level.size() * alphabet.size());
    for (const std::string& t : level) {
      for (char c : alphabet) longer.push_back(t + c);
    }
    for (const std::string& t : longer) agree(t);
    level = std::move(longer);
  }
}

// IPv6 literals are copied to a stack buffer for inet_pton; one longer than
// any valid form is refused without reading past it.
TEST(IpAddressTest, RejectsOverlongV6Literal) {
  EXPECT_TRUE(
      IpAddress::Parse("ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255").ok());
  EXPECT_FALSE(IpAddress::Parse(std::string(63, ':')).ok());
  EXPECT_FALSE(IpAddress::Parse("::" + std::string(100, '0') + "1").ok());
  EXPECT_FALSE(IpAddress::Parse(std::string(64, '0') + "::").ok());
}

TEST(IpAddressTest, FromSockaddrV4) {
  sockaddr_in in{};
  in.sin_family = AF_INET;
  in.sin_port = htons(443);
  ASSERT_EQ(inet_pton(AF_INET, "198.51.100.7", &in.sin_addr), 1);
  absl::StatusOr<IpAddress> a =
      IpAddress::FromSockaddr(reinterpret_cast<const sockaddr*>(&in));
  ASSERT_TRUE(a.ok()) << a.status();
  EXPECT_EQ(*a, Addr("198.51.100.7"));
}

TEST(IpAddressTest, FromSockaddrV6DropsScope) {
  sockaddr_in6 in6{};
  in6.sin6_family = AF_INET6;
  in6.sin6_scope_id = 2;
  ASSERT_EQ(inet_pton(AF_INET6, "fe80::1", &in6.sin6_addr), 1);
  absl::StatusOr<IpAddress> a =
      IpAddress::FromSockaddr(reinterpret_cast<const sockaddr*>(&in6));
  ASSERT_TRUE(a.ok()) << a.status();
  EXPECT_EQ(*a, Addr("fe80::1"));
}

TEST(IpAddressTest, FromSockaddrRejectsOtherFamiliesAndNull) {
  sockaddr other{};
  other.sa_family = AF_UNIX;
  EXPECT_EQ(IpAddress::FromSockaddr(&other).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(IpAddress::FromSockaddr(nullptr).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(IpAddressTest, FromBytes) {
  EXPECT_EQ(IpAddress::FromV4Bytes({203, 0, 113, 9}), Addr("203.0.113.9"));
  std::array<uint8_t, 16> v6{};
  v6[15] = 1;
  EXPECT_EQ(IpAddress::FromV6Bytes(v6), Addr("::1"));
  EXPECT_EQ(IpAddress(), Addr("0.0.0.0"));
}

TEST(IpAddressTest, ComparisonOrdersV4BeforeV6ThenNumerically) {
  EXPECT_EQ(Addr("192.0.2.1"), Addr("192.0.2.1"));
  EXPECT_NE(Addr("192.0.2.1"), Addr("192.0.2.2"));
  // 0.0.0.0 and :: have the same (all-zero) bytes; family tells them apart.
  EXPECT_NE(Addr("0.0.0.0"), Addr("::"));
  EXPECT_LT(Addr("192.0.2.1"), Addr("192.0.2.2"));
  EXPECT_LT(Addr("9.255.255.255"), Addr("10.0.0.0"));
  EXPECT_LT(Addr("255.255.255.255"), Addr("::"));
  EXPECT_LT(Addr("2001:db8::1"), Addr("2001:db8::2"));
  EXPECT_GT(Addr("2001:db8::2"), Addr("2001:db8::1"));
  EXPECT_LE(Addr("2001:db8::1"), Addr("2001:db8::1"));
  EXPECT_GE(Addr("2001:db8::1"), Addr("2001:db8::1"));
}

TEST(IpAddressTest, Hashable) {
  absl::flat_hash_set<IpAddress> set = {Addr("192.0.2.1"), Addr("192.0.2.1"),
                                        Addr("0.0.0.0"), Addr("::")};
  EXPECT_EQ(set.size(), 3u);
}

TEST(IpAddressTest, Truncate) {
  EXPECT_EQ(Addr("192.0.2.255").Truncate(24), Addr("192.0.2.0"));
  EXPECT_EQ(Addr("192.0.2.255").Truncate(25), Addr("192.0.2.128"));
  EXPECT_EQ(Addr("192.0.2.255").Truncate(31), Addr("192.0.2.254"));
  EXPECT_EQ(Addr("192.0.2.255").Truncate(32), Addr("192.0.2.255"));
  EXPECT_EQ(Addr("192.0.2.255").Truncate(0), Addr("0.0.0.0"));
  EXPECT_EQ(Addr("255.255.255.255").Truncate(10), Addr("255.192.0.0"));
  EXPECT_EQ(Addr("2001:db8:1:2:3:4:5:6").Truncate(48), Addr("2001:db8:1::"));
  EXPECT_EQ(Addr("2001:db8:1:2:3:4:5:6").Truncate(44), Addr("2001:db8::"));
  EXPECT_EQ(Addr("2001:db8:1:2:3:4:5:6").Truncate(128),
            Addr("2001:db8:1:2:3:4:5:6"));
  EXPECT_EQ(Addr("ffff::").Truncate(3), Addr("e000::"));
}

TEST(IpAddressTest, TruncateClampsLength) {
  EXPECT_EQ(Addr("192.0.2.1").Truncate(-5), Addr("0.0.0.0"));
  EXPECT_EQ(Addr("192.0.2.1").Truncate(99), Addr("192.0.2.1"));
  EXPECT_EQ(Addr("2001:db8::1").Truncate(200), Addr("2001:db8::1"));
}

// ---- Classify -----------------------------------------------------------

struct ClassCase {
  absl::string_view literal;
  AddressClass want;
};

void ExpectClasses(const std::vector<ClassCase>& cases) {
  for (const ClassCase& c : cases) {
    EXPECT_EQ(AddressClassName(Classify(Addr(c.literal))),
              AddressClassName(c.want))
        << c.literal;
  }
}

TEST(ClassifyTest, V4SharedBoundaries) {
  ExpectClasses({
      {"100.63.255.255", AddressClass::kV4Public},
      {"100.64.0.0", AddressClass::kV4Shared},
      {"100.100.1.1", AddressClass::kV4Shared},
      {"100.127.255.255", AddressClass::kV4Shared},
      {"100.128.0.0", AddressClass::kV4Public},
  });
}

TEST(ClassifyTest, V4PrivateBoundaries) {
  ExpectClasses({
      {"9.255.255.255", AddressClass::kV4Public},
      {"10.0.0.0", AddressClass::kV4Private},
      {"10.255.255.255", AddressClass::kV4Private},
      {"11.0.0.0", AddressClass::kV4Public},
      {"172.15.255.255", AddressClass::kV4Public},
      {"172.16.0.0", AddressClass::kV4Private},
      {"172.31.255.255", AddressClass::kV4Private},
      {"172.32.0.0", AddressClass::kV4Public},
      {"192.167.255.255", AddressClass::kV4Public},
      {"192.168.0.0", AddressClass::kV4Private},
      {"192.168.255.255", AddressClass::kV4Private},
      {"192.169.0.0", AddressClass::kV4Public},
  });
}

TEST(ClassifyTest, V4LoopbackAndLinkLocal) {
  ExpectClasses({
      {"126.255.255.255", AddressClass::kV4Public},
      {"127.0.0.0", AddressClass::kV4Loopback},
      {"127.0.0.1", AddressClass::kV4Loopback},
      {"127.255.255.255", AddressClass::kV4Loopback},
      {"128.0.0.0", AddressClass::kV4Public},
      {"169.253.255.255", AddressClass::kV4Public},
      {"169.254.0.0", AddressClass::kV4LinkLocal},
      {"169.254.255.255", AddressClass::kV4LinkLocal},
      {"169.255.0.0", AddressClass::kV4Public},
  });
}

TEST(ClassifyTest, V4Other) {
  ExpectClasses({
      {"0.0.0.0", AddressClass::kV4Other},
      {"0.255.255.255", AddressClass::kV4Other},
      {"1.0.0.0", AddressClass::kV4Public},
      {"192.0.0.8", AddressClass::kV4Other},
      {"198.17.255.255", AddressClass::kV4Public},
      {"198.18.0.0", AddressClass::kV4Other},
      {"198.19.255.255", AddressClass::kV4Other},
      {"198.20.0.0", AddressClass::kV4Public},
      {"223.255.255.255", AddressClass::kV4Public},
      {"224.0.0.1", AddressClass::kV4Other},
      {"239.255.255.255", AddressClass::kV4Other},
      {"240.0.0.0", AddressClass::kV4Other},
      {"255.255.255.255", AddressClass::kV4Other},
  });
}

// Documentation addresses are never a host's public address; the public
// test space (11.0.0.0/8) is.
TEST(ClassifyTest, V4DocumentationRangesAreOther) {
  ExpectClasses({
      {"192.0.1.255", AddressClass::kV4Public},
      {"192.0.2.0", AddressClass::kV4Other},
      {"192.0.2.1", AddressClass::kV4Other},
      {"192.0.2.255", AddressClass::kV4Other},
      {"192.0.3.0", AddressClass::kV4Public},
      {"198.51.100.1", AddressClass::kV4Other},
      {"203.0.113.1", AddressClass::kV4Other},
      {"11.0.0.1", AddressClass::kV4Public},
      {"8.8.8.8", AddressClass::kV4Public},
  });
}

TEST(ClassifyTest, V6GlobalTeredoSixto4) {
  ExpectClasses({
      {"1fff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", AddressClass::kV6Other},
      {"2000::", AddressClass::kV6GlobalNative},
      {"2001::", AddressClass::kV6Teredo},
      {"2001::1", AddressClass::kV6Teredo},
      {"2001:0:ffff:ffff:ffff:ffff:ffff:ffff", AddressClass::kV6Teredo},
      {"2001:1::", AddressClass::kV6GlobalNative},
      {"2001:db7:ffff::1", AddressClass::kV6GlobalNative},
      {"2001:db8::1", AddressClass::kV6Other},  // Documentation.
      {"2001:db8:ffff::1", AddressClass::kV6Other},
      {"2001:db9::", AddressClass::kV6GlobalNative},
      {"3ffe::1", AddressClass::kV6GlobalNative},  // Public test space.
      {"3fff::1", AddressClass::kV6Other},         // Documentation.
      {"3fff:fff:ffff::1", AddressClass::kV6Other},
      {"3fff:1000::", AddressClass::kV6GlobalNative},
      {"2001:4860:4860::8888", AddressClass::kV6GlobalNative},
      {"2001:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
       AddressClass::kV6GlobalNative},
      {"2002::", AddressClass::kV6Sixto4},
      {"2002:c000:201::1", AddressClass::kV6Sixto4},
      {"2002:ffff:ffff:ffff:ffff:ffff:ffff:ffff", AddressClass::kV6Sixto4},
      {"2003::1", AddressClass::kV6GlobalNative},
      {"2a00:1450::1", AddressClass::kV6GlobalNative},
      {"3fff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
       AddressClass::kV6GlobalNative},
      {"4000::", AddressClass::kV6Other},
  });
}

TEST(ClassifyTest, V6UlaLinkLocalLoopback) {
  ExpectClasses({
      {"fbff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", AddressClass::kV6Other},
      {"fc00::", AddressClass::kV6Ula},
      {"fc00::1", AddressClass::kV6Ula},
      {"fd00::1", AddressClass::kV6Ula},
      {"fd12:3456:789a::1", AddressClass::kV6Ula},
      {"fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", AddressClass::kV6Ula},
      {"fe00::", AddressClass::kV6Other},
      {"fe7f:ffff:ffff:ffff:ffff:ffff:ffff:ffff", AddressClass::kV6Other},
      {"fe80::", AddressClass::kV6LinkLocal},
      {"fe80::1", AddressClass::kV6LinkLocal},
      {"febf:ffff:ffff:ffff:ffff:ffff:ffff:ffff", AddressClass::kV6LinkLocal},
      {"fec0::1", AddressClass::kV6Other},  // Deprecated site-local.
      {"::1", AddressClass::kV6Loopback},
  });
}

TEST(ClassifyTest, V6Other) {
  ExpectClasses({
      {"::", AddressClass::kV6Other},
      {"::2", AddressClass::kV6Other},
      {"::ffff:192.0.2.1", AddressClass::kV6Other},
      {"::ffff:127.0.0.1", AddressClass::kV6Other},
      {"::ffff:10.0.0.1", AddressClass::kV6Other},
      {"64:ff9b::192.0.2.1", AddressClass::kV6Other},
      {"ff02::1", AddressClass::kV6Other},
      {"ff0e::1", AddressClass::kV6Other},
  });
}

TEST(ClassifyTest, ClassNamesAreDistinct) {
  const AddressClass all[] = {
      AddressClass::kV4Public,       AddressClass::kV4Private,
      AddressClass::kV4Shared,       AddressClass::kV4Loopback,
      AddressClass::kV4LinkLocal,    AddressClass::kV4Other,
      AddressClass::kV6GlobalNative, AddressClass::kV6Sixto4,
      AddressClass::kV6Teredo,       AddressClass::kV6Ula,
      AddressClass::kV6LinkLocal,    AddressClass::kV6Loopback,
      AddressClass::kV6Other};
  absl::flat_hash_set<absl::string_view> names;
  for (AddressClass c : all) names.insert(AddressClassName(c));
  EXPECT_EQ(names.size(), std::size(all));
  EXPECT_EQ(AddressClassName(AddressClass::kV6Sixto4), "v6_6to4");
  EXPECT_EQ(AddressClassName(AddressClass::kV4Shared), "v4_shared");
}

// ---- IpPrefix -----------------------------------------------------------

TEST(IpPrefixTest, ParsesAndPrints) {
  for (absl::string_view text :
       {"192.0.2.0/24", "2001:db8:1::/48", "0.0.0.0/0", "::/0", "192.0.2.1/32",
        "2001:db8::1/128", "10.0.0.0/8", "fc00::/7"}) {
    absl::StatusOr<IpPrefix> prefix = IpPrefix::Parse(text);
    ASSERT_TRUE(prefix.ok()) << text << ": " << prefix.status();
    EXPECT_EQ(prefix->ToString(), text);
  }
  absl::StatusOr<IpPrefix> p = IpPrefix::Parse("2001:DB8:1:0::/48");
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->address(), Addr("2001:db8:1::"));
  EXPECT_EQ(p->length(), 48);
  EXPECT_EQ(p->ToString(), "2001:db8:1::/48");
}

TEST(IpPrefixTest, RejectsHostBits) {
  absl::StatusOr<IpPrefix> p = IpPrefix::Parse("192.0.2.1/24");
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(p.status().message()),
              HasSubstr("host bits are set"));
  EXPECT_THAT(std::string(p.status().message()), HasSubstr("192.0.2.1/24"));
  EXPECT_THAT(std::string(p.status().message()), HasSubstr("192.0.2.0/24"));

  p = IpPrefix::Parse("2001:db8:1:2::/48");
  ASSERT_FALSE(p.ok());
  EXPECT_THAT(std::string(p.status().message()),
              HasSubstr("host bits are set"));
}

TEST(IpPrefixTest, RejectsMalformed) {
  for (absl::string_view bad :
       {"192.0.2.0", "192.0.2.0/", "192.0.2.0/33", "192.0.2.0/-1",
        "192.0.2.0/+24", "192.0.2.0/024", "192.0.2.0/24/", "192.0.2.0/2x",
        "192.0.2.0/ 24", "2001:db8::/129", "/24", "300.0.2.0/24",
        "2001:db8::/1000"}) {
    absl::StatusOr<IpPrefix> p = IpPrefix::Parse(bad);
    ASSERT_FALSE(p.ok()) << bad;
    EXPECT_EQ(p.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(std::string(p.status().message()),
                HasSubstr(absl::StrCat("\"", bad)))
        << bad;
  }
}

TEST(IpPrefixTest, FromAddressClearsHostBitsAndClamps) {
  EXPECT_EQ(IpPrefix::FromAddress(Addr("192.0.2.77"), 24).ToString(),
            "192.0.2.0/24");
  EXPECT_EQ(IpPrefix::FromAddress(Addr("192.0.2.77"), 40).ToString(),
            "192.0.2.77/32");
  EXPECT_EQ(IpPrefix::FromAddress(Addr("2001:db8::1"), -1).ToString(), "::/0");
}

TEST(IpPrefixTest, Contains) {
  const IpPrefix p = *IpPrefix::Parse("100.64.0.0/10");
  EXPECT_FALSE(p.Contains(Addr("100.63.255.255")));
  EXPECT_TRUE(p.Contains(Addr("100.64.0.0")));
  EXPECT_TRUE(p.Contains(Addr("100.127.255.255")));
  EXPECT_FALSE(p.Contains(Addr("100.128.0.0")));
  // Never across families, even where the bytes agree.
  EXPECT_FALSE(p.Contains(Addr("6440::")));
  const IpPrefix v6 = *IpPrefix::Parse("2001:db8:1::/48");
  EXPECT_TRUE(v6.Contains(Addr("2001:db8:1:ffff::1")));
  EXPECT_FALSE(v6.Contains(Addr("2001:db8:2::1")));
  EXPECT_TRUE(IpPrefix::Parse("::/0")->Contains(Addr("ff02::1")));
  EXPECT_FALSE(IpPrefix::Parse("::/0")->Contains(Addr("192.0.2.1")));
  EXPECT_TRUE(IpPrefix().Contains(Addr("203.0.113.5")));
}

// ---- Privacy helpers ----------------------------------------------------

TEST(PublicTruncationTest, TruncatesToSlash24AndSlash48) {
  EXPECT_EQ(PublicTruncation(Addr("192.0.2.123")).ToString(), "192.0.2.0/24");
  EXPECT_EQ(PublicTruncation(Addr("2001:db8:1:2:3:4:5:6")).ToString(),
            "2001:db8:1::/48");
  EXPECT_EQ(PublicTruncation(Addr("2001:db8:abcd:ffff::1")).ToString(),
            "2001:db8:abcd::/48");
}

TEST(PublicTruncationTest, MappedAddressIsTruncatedAsV4) {
  EXPECT_EQ(PublicTruncation(Addr("::ffff:198.51.100.200")).ToString(),
            "198.51.100.0/24");
}

TEST(PublicTruncationTest, OutputAlwaysValidates) {
  for (absl::string_view literal :
       {"192.0.2.1", "255.255.255.255", "2001:db8::1",
        "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"}) {
    const IpAddress a = Addr(literal);
    EXPECT_TRUE(
        ValidateTruncatedPrefix(PublicTruncation(a).ToString(), a.is_v6()).ok())
        << literal;
  }
}

TEST(ValidateTruncatedPrefixTest, AcceptsExactTruncations) {
  EXPECT_TRUE(ValidateTruncatedPrefix("192.0.2.0/24", false).ok());
  EXPECT_TRUE(ValidateTruncatedPrefix("2001:db8:1::/48", true).ok());
}

void ExpectInvalid(absl::string_view cidr, bool want_v6,
                   absl::string_view message_part) {
  const absl::Status status = ValidateTruncatedPrefix(cidr, want_v6);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << cidr;
  EXPECT_THAT(std::string(status.message()), HasSubstr(message_part)) << cidr;
}

TEST(ValidateTruncatedPrefixTest, RejectsWithPreciseMessages) {
  ExpectInvalid("192.0.2.1/24", false, "host bits are set");
  ExpectInvalid("2001:db8:1::1/48", true, "host bits are set");
  ExpectInvalid("192.0.2.0/25", false, "exactly /24");
  ExpectInvalid("192.0.0.0/16", false, "exactly /24");
  ExpectInvalid("192.0.2.1/32", false, "exactly /24");
  ExpectInvalid("2001:db8:1:2::/64", true, "exactly /48");
  ExpectInvalid("2001:db8::1/128", true, "exactly /48");
  ExpectInvalid("192.0.2.0/24", true, "want an IPv6 prefix");
  ExpectInvalid("2001:db8:1::/48", false, "want an IPv4 prefix");
  ExpectInvalid("192.0.2.1", false, "no \"/length\"");
  ExpectInvalid("", false, "no \"/length\"");
  ExpectInvalid("example.com/24", false, "not an IP address literal");
  ExpectInvalid("192.0.2.0/x", false, "bad prefix length");
}

// ---- IsLoopbackHostPort -------------------------------------------------

TEST(IsLoopbackHostPortTest, AcceptsLoopback) {
  for (absl::string_view ok :
       {"127.0.0.1:50051", "127.0.0.1", "127.1.2.3:0", "127.255.255.255:65535",
        "[::1]:50051", "[::1]", "::1", "[0:0:0:0:0:0:0:1]:443",
        "localhost:50051", "localhost", "LocalHost:1",
        "[::ffff:127.0.0.1]:50051"}) {
    EXPECT_TRUE(IsLoopbackHostPort(ok)) << ok;
  }
}

TEST(IsLoopbackHostPortTest, RejectsEverythingElse) {
  for (absl::string_view bad : {"",
                                ":50051",
                                "0.0.0.0:50051",
                                "128.0.0.1:1",
                                "192.0.2.1:50051",
                                "[::]:50051",
                                "::",
                                "[2001:db8::1]:443",
                                "collector.example:443",
                                "localhost.example.com:1",
                                "localhost:",
                                "localhost:65536",
                                "localhost:-1",
                                "localhost:http",
                                "localhost:1:2",
                                "127.0.0.1:",
                                "127.0.0.1:99999",
                                "[::1]:",
                                "[::1]x",
                                "[::1",
                                "[127.0.0.1]:1",
                                "[localhost]:1",
                                "::1:50051",
                                "dns:///localhost:50051",
                                "ipv4:127.0.0.1:50051",
                                "unix:/tmp/sock",
                                "127.1:80",
                                "[fe80::1%lo]:1"}) {
    EXPECT_FALSE(IsLoopbackHostPort(bad)) << bad;
  }
}

}  // namespace
}  // namespace v6scope::net
