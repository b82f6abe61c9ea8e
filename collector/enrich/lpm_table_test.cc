#include "collector/enrich/lpm_table.h"

#include <random>
#include <vector>

#include "gtest/gtest.h"

namespace v6scope::collector::enrich {
namespace {

using V4Table = LpmTable<uint32_t>;
using V6Table = LpmTable<absl::uint128>;
constexpr uint32_t kNone = V4Table::kNone;

uint32_t Ip(const char* text) { return V4Key(*net::IpAddress::Parse(text)); }
absl::uint128 Ip6(const char* text) {
  return V6Key(*net::IpAddress::Parse(text));
}

TEST(LpmTableTest, EmptyTableMatchesNothing) {
  V4Table table;
  EXPECT_EQ(table.Lookup(0), kNone);
  EXPECT_EQ(table.Lookup(~uint32_t{0}), kNone);
  V4Table built = V4Table::Builder().Build();
  EXPECT_EQ(built.Lookup(Ip("1.2.3.4")), kNone);
  EXPECT_EQ(built.interval_count(), 1u);
}

TEST(LpmTableTest, NestedPrefixesAndTheirBoundaries) {
  V4Table::Builder b;
  const uint32_t p8 = b.Add(Ip("10.0.0.0"), 8);
  const uint32_t p16 = b.Add(Ip("10.1.0.0"), 16);
  const uint32_t p24 = b.Add(Ip("10.1.2.0"), 24);
  const uint32_t p25 = b.Add(Ip("10.1.2.128"), 25);
  const uint32_t p32 = b.Add(Ip("10.1.2.200"), 32);
  const uint32_t last = b.Add(Ip("10.255.255.0"), 24);  // Ends with the /8.
  V4Table t = std::move(b).Build();

  EXPECT_EQ(t.Lookup(Ip("9.255.255.255")), kNone);
  EXPECT_EQ(t.Lookup(Ip("10.0.0.0")), p8);
  EXPECT_EQ(t.Lookup(Ip("10.0.255.255")), p8);
  EXPECT_EQ(t.Lookup(Ip("10.1.0.0")), p16);
  EXPECT_EQ(t.Lookup(Ip("10.1.1.255")), p16);
  EXPECT_EQ(t.Lookup(Ip("10.1.2.0")), p24);
  EXPECT_EQ(t.Lookup(Ip("10.1.2.127")), p24);
  EXPECT_EQ(t.Lookup(Ip("10.1.2.128")), p25);
  EXPECT_EQ(t.Lookup(Ip("10.1.2.199")), p25);
  EXPECT_EQ(t.Lookup(Ip("10.1.2.200")), p32);
  EXPECT_EQ(t.Lookup(Ip("10.1.2.201")), p25);
  EXPECT_EQ(t.Lookup(Ip("10.1.2.255")), p25);
  EXPECT_EQ(t.Lookup(Ip("10.1.3.0")), p16);
  EXPECT_EQ(t.Lookup(Ip("10.1.255.255")), p16);
  EXPECT_EQ(t.Lookup(Ip("10.2.0.0")), p8);
  EXPECT_EQ(t.Lookup(Ip("10.255.254.255")), p8);
  EXPECT_EQ(t.Lookup(Ip("10.255.255.0")), last);
  EXPECT_EQ(t.Lookup(Ip("10.255.255.255")), last);
  EXPECT_EQ(t.Lookup(Ip("11.0.0.0")), kNone);

  EXPECT_EQ(t.parent(p8), kNone);
  EXPECT_EQ(t.parent(p16), p8);
  EXPECT_EQ(t.parent(p24), p16);
  EXPECT_EQ(t.parent(p25), p24);
  EXPECT_EQ(t.parent(p32), p25);
  EXPECT_EQ(t.parent(last), p8);
  EXPECT_EQ(t.entry(p25).length, 25);
  EXPECT_EQ(t.entry(p25).start, Ip("10.1.2.128"));
}

TEST(LpmTableTest, InsertionOrderDoesNotMatter) {
  V4Table::Builder b;
  const uint32_t p32 = b.Add(Ip("10.1.2.200"), 32);
  const uint32_t p8 = b.Add(Ip("10.0.0.0"), 8);
  const uint32_t p24 = b.Add(Ip("10.1.2.0"), 24);
  V4Table t = std::move(b).Build();
  EXPECT_EQ(t.Lookup(Ip("10.1.2.200")), p32);
  EXPECT_EQ(t.Lookup(Ip("10.1.2.201")), p24);
  EXPECT_EQ(t.Lookup(Ip("10.1.3.0")), p8);
}

TEST(LpmTableTest, WholeSpaceDefaultRouteAndHostRoutesAtTheEdges) {
  V4Table::Builder b;
  const uint32_t all = b.Add(0, 0);
  const uint32_t first = b.Add(0, 32);
  const uint32_t top = b.Add(~uint32_t{0}, 32);
  const uint32_t high = b.Add(Ip("255.255.255.0"), 24);
  V4Table t = std::move(b).Build();
  EXPECT_EQ(t.Lookup(0), first);
  EXPECT_EQ(t.Lookup(1), all);
  EXPECT_EQ(t.Lookup(Ip("128.0.0.0")), all);
  EXPECT_EQ(t.Lookup(Ip("255.255.254.255")), all);
  EXPECT_EQ(t.Lookup(Ip("255.255.255.0")), high);
  EXPECT_EQ(t.Lookup(Ip("255.255.255.254")), high);
  EXPECT_EQ(t.Lookup(~uint32_t{0}), top);
  EXPECT_EQ(t.parent(top), high);
  EXPECT_EQ(t.parent(high), all);
}

TEST(LpmTableTest, AdjacentPrefixesStaySeparate) {
  V4Table::Builder b;
  const uint32_t a = b.Add(Ip("1.0.0.0"), 24);
  const uint32_t c = b.Add(Ip("1.0.1.0"), 24);
  V4Table t = std::move(b).Build();
  EXPECT_EQ(t.Lookup(Ip("1.0.0.255")), a);
  EXPECT_EQ(t.Lookup(Ip("1.0.1.0")), c);
  EXPECT_EQ(t.Lookup(Ip("1.0.2.0")), kNone);
}

TEST(LpmTableTest, DuplicatePrefixLaterEntryWins) {
  V4Table::Builder b;
  b.Add(Ip("1.0.0.0"), 24);
  const uint32_t later = b.Add(Ip("1.0.0.0"), 24);
  const uint32_t child = b.Add(Ip("1.0.0.128"), 25);
  V4Table t = std::move(b).Build();
  EXPECT_EQ(t.Lookup(Ip("1.0.0.1")), later);
  EXPECT_EQ(t.parent(child), later);
}

TEST(LpmTableTest, HostBitsAreClearedOnAdd) {
  V4Table::Builder b;
  const uint32_t p = b.Add(Ip("1.2.3.4"), 16);
  V4Table t = std::move(b).Build();
  EXPECT_EQ(t.entry(p).start, Ip("1.2.0.0"));
  EXPECT_EQ(t.Lookup(Ip("1.2.255.255")), p);
}

TEST(LpmTableTest, CoveringLookupSkipsPartialMoreSpecifics) {
  V4Table::Builder b;
  const uint32_t p16 = b.Add(Ip("10.1.0.0"), 16);
  const uint32_t p24 = b.Add(Ip("10.1.2.0"), 24);
  b.Add(Ip("10.1.2.0"), 25);
  V4Table t = std::move(b).Build();
  EXPECT_EQ(t.LookupCovering(Ip("10.1.2.0"), 24), p24);
  EXPECT_EQ(t.LookupCovering(Ip("10.1.2.0"), 23), p16);
  EXPECT_EQ(t.LookupCovering(Ip("10.1.2.0"), 8), kNone);
}

TEST(LpmTableTest, Ipv6NestedAndBucketEdges) {
  V6Table::Builder b;
  const uint32_t p32 = b.Add(Ip6("2001:db8::"), 32);
  const uint32_t p48 = b.Add(Ip6("2001:db8:1::"), 48);
  const uint32_t p64 = b.Add(Ip6("2001:db8:1:1::"), 64);
  const uint32_t p128 = b.Add(Ip6("2001:db8:1:1::1"), 128);
  const uint32_t p12 = b.Add(Ip6("2a00::"), 12);
  const uint32_t top = b.Add(Ip6("ffff::"), 16);
  V6Table t = std::move(b).Build();
  EXPECT_EQ(t.Lookup(Ip6("2001:db7:ffff:ffff:ffff:ffff:ffff:ffff")), kNone);
  EXPECT_EQ(t.Lookup(Ip6("2001:db8::")), p32);
  EXPECT_EQ(t.Lookup(Ip6("2001:db8:1::")), p48);
  EXPECT_EQ(t.Lookup(Ip6("2001:db8:1:1::")), p64);
  EXPECT_EQ(t.Lookup(Ip6("2001:db8:1:1::1")), p128);
  EXPECT_EQ(t.Lookup(Ip6("2001:db8:1:1::2")), p64);
  EXPECT_EQ(t.Lookup(Ip6("2001:db8:1:2::")), p48);
  EXPECT_EQ(t.Lookup(Ip6("2001:db8:2::")), p32);
  EXPECT_EQ(t.Lookup(Ip6("2001:db8:ffff:ffff:ffff:ffff:ffff:ffff")), p32);
  EXPECT_EQ(t.Lookup(Ip6("2001:db9::")), kNone);
  // A /12 spans 16 index buckets.
  EXPECT_EQ(t.Lookup(Ip6("2a00::")), p12);
  EXPECT_EQ(t.Lookup(Ip6("2a0f:ffff:ffff:ffff:ffff:ffff:ffff:ffff")), p12);
  EXPECT_EQ(t.Lookup(Ip6("2a10::")), kNone);
  EXPECT_EQ(t.Lookup(Ip6("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff")), top);
  EXPECT_EQ(t.LookupCovering(Ip6("2001:db8:1::"), 48), p48);
  EXPECT_EQ(t.LookupCovering(Ip6("2001:db8:1:1::"), 48), p48);
}

TEST(LpmTableTest, PayloadTravelsWithTheEntry) {
  struct Payload {
    uint32_t asn;
  };
  LpmTable<uint32_t, Payload>::Builder b;
  b.Add(Ip("10.0.0.0"), 8, {64500});
  const uint32_t p16 = b.Add(Ip("10.1.0.0"), 16, {64501});
  const LpmTable<uint32_t, Payload> t = std::move(b).Build();
  EXPECT_EQ(t.entry(t.Lookup(Ip("10.1.0.1"))).payload.asn, 64501u);
  EXPECT_EQ(t.entry(t.Lookup(Ip("10.2.0.1"))).payload.asn, 64500u);
  EXPECT_EQ(t.entry(p16).length, 16);
}

TEST(HugePageAllocatorTest, BigBlocksAreHugePageAlignedSmallOnesAreNot) {
  std::vector<uint32_t, HugePageAllocator<uint32_t>> big(1 << 20, 7);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(big.data()) % (2 << 20), 0u);
  big.push_back(8);  // Grows into a new mapping, frees the old one.
  EXPECT_EQ(big[0], 7u);
  EXPECT_EQ(big.back(), 8u);
  big.resize(10);
  big.shrink_to_fit();  // Back to operator new.
  EXPECT_EQ(big[9], 7u);
  std::vector<uint32_t, HugePageAllocator<uint32_t>> small(100, 1);
  EXPECT_EQ(small[99], 1u);
}

TEST(KeyTest, RoundTripsAddresses) {
  const net::IpAddress v4 = *net::IpAddress::Parse("192.0.2.255");
  EXPECT_EQ(V4Key(v4), 0xC00002FFu);
  EXPECT_EQ(V4Address(V4Key(v4)), v4);
  const net::IpAddress v6 = *net::IpAddress::Parse("2001:db8::8000:1");
  EXPECT_EQ(V6Address(V6Key(v6)), v6);
  EXPECT_EQ(absl::Uint128High64(V6Key(v6)), 0x20010db800000000u);
  EXPECT_EQ(absl::Uint128Low64(V6Key(v6)), 0x80000001u);
}

// Random nested prefixes against a linear scan, for both key widths.
template <typename Key>
void CheckAgainstLinearScan(std::mt19937_64& rng, int prefixes, int lookups,
                            Key (*random_key)(std::mt19937_64&)) {
  using Table = LpmTable<Key>;
  using Traits = KeyTraits<Key>;
  typename Table::Builder b;
  struct P {
    Key start;
    int length;
  };
  std::vector<P> all;
  std::vector<Key> probes;
  for (int i = 0; i < prefixes; ++i) {
    // Cluster prefixes under few roots so that they nest deeply.
    const Key base = random_key(rng);
    const int length =
        static_cast<int>(rng() % static_cast<uint64_t>(Traits::kBits + 1));
    const Key start = base & ~Traits::HostMask(length);
    b.Add(start, length);
    all.push_back({start, length});
    probes.push_back(start);
    probes.push_back(start | Traits::HostMask(length));
  }
  for (int i = 0; i < lookups; ++i) probes.push_back(random_key(rng));
  const Table t = std::move(b).Build();
  for (const Key& probe : probes) {
    uint32_t want = Table::kNone;
    int want_length = -1;
    for (size_t i = 0; i < all.size(); ++i) {
      const bool inside =
          (probe & ~Traits::HostMask(all[i].length)) == all[i].start;
      // ">=": of duplicates the later wins.
      if (inside && all[i].length >= want_length) {
        want = static_cast<uint32_t>(i);
        want_length = all[i].length;
      }
    }
    ASSERT_EQ(t.Lookup(probe), want);
  }
}

uint32_t RandomV4(std::mt19937_64& rng) {
  // Top byte from a small set, so that random prefixes overlap.
  return static_cast<uint32_t>(rng() % 4) << 30 |
         static_cast<uint32_t>(rng() & 0x3FFFFFFF & (rng() | 0xFFFF0000));
}

absl::uint128 RandomV6(std::mt19937_64& rng) {
  return absl::MakeUint128(
      0x2001000000000000u | (rng() % 8) << 32 | (rng() & 0xFFFF0000u),
      rng() & (rng() | 0xFFFFFFFF00000000u));
}

TEST(LpmTableTest, RandomNestedPrefixesMatchLinearScanV4) {
  std::mt19937_64 rng(42);
  for (int round = 0; round < 20; ++round) {
    CheckAgainstLinearScan<uint32_t>(rng, 300, 1000, RandomV4);
  }
}

TEST(LpmTableTest, RandomNestedPrefixesMatchLinearScanV6) {
  std::mt19937_64 rng(7);
  for (int round = 0; round < 20; ++round) {
    CheckAgainstLinearScan<absl::uint128>(rng, 300, 1000, RandomV6);
  }
}

}  // namespace
}  // namespace v6scope::collector::enrich
