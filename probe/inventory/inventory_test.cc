#include "probe/inventory/inventory.h"

#include <fstream>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "common/net/ip_address.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace v6scope::probe::inventory {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

std::string Message(const absl::Status& status) {
  return std::string(status.message());
}

std::vector<net::IpAddress> Addrs(const std::vector<std::string>& literals) {
  std::vector<net::IpAddress> out;
  for (const std::string& literal : literals) {
    absl::StatusOr<net::IpAddress> address = net::IpAddress::Parse(literal);
    EXPECT_TRUE(address.ok()) << address.status();
    if (address.ok()) out.push_back(*address);
  }
  return out;
}

// ---- ClassifyAddresses --------------------------------------------------

TEST(ClassifyAddressesTest, EmptyListIsAllZero) {
  const v1::AddressInventory inventory = ClassifyAddresses({});
  EXPECT_EQ(inventory.ByteSizeLong(), 0u);  // Every field at its default.
}

TEST(ClassifyAddressesTest, CountsEachClass) {
  const v1::AddressInventory inventory = ClassifyAddresses(Addrs({
      "11.0.0.10",          // v4 public (the public test space)
      "8.8.4.4",            // v4 public
      "192.168.1.20",       // v4 private
      "10.1.2.3",           // v4 private
      "172.16.0.1",         // v4 private
      "100.64.0.1",         // v4 shared
      "3ffe:1::10",         // v6 global (the public test space)
      "2a00:1450:4001::1",  // v6 global
      "2002:c000:20a::1",   // 6to4
      "2001:0:4136:e378:8000:63bf:3fff:fdd2",  // Teredo
      "fd00:1::2",                             // ULA
      "fe80::1",                               // link-local
      "fe80::2",                               // link-local
  }));
  EXPECT_EQ(inventory.v4_public(), 2u);
  EXPECT_EQ(inventory.v4_private(), 3u);
  EXPECT_EQ(inventory.v4_shared(), 1u);
  EXPECT_EQ(inventory.v6_global_native(), 2u);
  EXPECT_EQ(inventory.v6_6to4(), 1u);
  EXPECT_EQ(inventory.v6_teredo(), 1u);
  EXPECT_EQ(inventory.v6_ula(), 1u);
  EXPECT_EQ(inventory.v6_link_local(), 2u);
  EXPECT_EQ(inventory.v4_special(), 0u);
  EXPECT_EQ(inventory.v6_special(), 0u);
  EXPECT_FALSE(inventory.v4_default_route());
  EXPECT_FALSE(inventory.v6_default_route());
}

// Documentation, benchmarking, loopback and the like are never public or
// global: they count as special.
TEST(ClassifyAddressesTest, NonPublicAddressesAreSpecial) {
  const v1::AddressInventory inventory = ClassifyAddresses(Addrs({
      "192.0.2.10",      // documentation (TEST-NET-1)
      "198.51.100.1",    // documentation (TEST-NET-2)
      "203.0.113.10",    // documentation (TEST-NET-3)
      "198.18.0.1",      // benchmarking
      "127.0.0.1",       // loopback
      "169.254.1.1",     // link-local (IPv4 has no own count)
      "0.0.0.0",         // this host
      "224.0.0.1",       // multicast
      "240.0.0.1",       // reserved
      "192.0.0.8",       // IPv4 dummy address
      "2001:db8:1::10",  // documentation
      "3fff::10",        // documentation (RFC 9637)
      "2001:2::1",       // benchmarking
      "::1",             // loopback
      "::",              // unspecified
      "ff02::1",         // multicast
      "100::1",          // discard-only
      "5f00::1",         // SRv6 SIDs
      "64:ff9b:1::1",    // local-use NAT64
  }));
  EXPECT_EQ(inventory.v4_special(), 10u);
  EXPECT_EQ(inventory.v6_special(), 9u);
  EXPECT_EQ(inventory.v4_public(), 0u);
  EXPECT_EQ(inventory.v6_global_native(), 0u);
  EXPECT_EQ(inventory.v4_private(), 0u);
  EXPECT_EQ(inventory.v6_ula(), 0u);
  EXPECT_EQ(inventory.v6_link_local(), 0u);
}

// Public addresses outside the global unicast classes have no field.
TEST(ClassifyAddressesTest, IgnoresPublicAddressesWithoutAField) {
  const v1::AddressInventory inventory =
      ClassifyAddresses(Addrs({"64:ff9b::b00:1", "::ffff:11.0.0.1"}));
  EXPECT_EQ(inventory.ByteSizeLong(), 0u);
}

TEST(ClassifyAddressesTest, SameAddressCountsOnce) {
  const v1::AddressInventory inventory =
      ClassifyAddresses(Addrs({"fe80::1", "fe80::1", "11.0.2.1", "11.0.2.1",
                               "11.0.2.2", "127.0.0.1", "127.0.0.1"}));
  EXPECT_EQ(inventory.v6_link_local(), 1u);
  EXPECT_EQ(inventory.v4_public(), 2u);
  EXPECT_EQ(inventory.v4_special(), 1u);
}

// ---- HasV4DefaultRoute --------------------------------------------------

constexpr char kV4Header[] =
    "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\t"
    "Window\tIRTT                                                       \n";

std::string V4Table(const std::vector<std::string>& routes) {
  std::string table = kV4Header;
  for (const std::string& route : routes) {
    // The kernel pads every line with trailing spaces.
    absl::StrAppend(&table, route, "                    \n");
  }
  return table;
}

TEST(HasV4DefaultRouteTest, FindsGatewayDefault) {
  absl::StatusOr<bool> found = HasV4DefaultRoute(V4Table({
      "eth0\t00000000\t0102A8C0\t0003\t0\t0\t0\t00000000\t0\t0\t0",
      "eth0\t0002A8C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0",
  }));
  ASSERT_TRUE(found.ok()) << found.status();
  EXPECT_TRUE(*found);
}

TEST(HasV4DefaultRouteTest, FindsDeviceDefaultWithoutGateway) {
  absl::StatusOr<bool> found = HasV4DefaultRoute(
      V4Table({"ppp0\t00000000\t00000000\t0001\t0\t0\t0\t00000000\t0\t0\t0"}));
  ASSERT_TRUE(found.ok()) << found.status();
  EXPECT_TRUE(*found);
}

TEST(HasV4DefaultRouteTest, NoDefault) {
  for (const std::string& table : {
           V4Table({}),
           V4Table(
               {"eth0\t0002A8C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0"}),
           // 0.0.0.0/1 (a VPN's half of the space) is not a default route.
           V4Table(
               {"tun0\t00000000\t0100000A\t0003\t0\t0\t0\t00000080\t0\t0\t0"}),
           // Unreachable default: the kernel shows iface "*" and RTF_REJECT.
           V4Table({"*\t00000000\t00000000\t0201\t0\t0\t0\t00000000\t0\t0\t0"}),
           // Not RTF_UP.
           V4Table(
               {"eth0\t00000000\t0102A8C0\t0002\t0\t0\t0\t00000000\t0\t0\t0"}),
           std::string(kV4Header),
       }) {
    absl::StatusOr<bool> found = HasV4DefaultRoute(table);
    ASSERT_TRUE(found.ok()) << found.status() << "\n" << table;
    EXPECT_FALSE(*found) << table;
  }
}

TEST(HasV4DefaultRouteTest, AcceptsLowerCaseHexAndNoTrailingNewline) {
  absl::StatusOr<bool> found = HasV4DefaultRoute(absl::StrCat(
      kV4Header, "eth0\t00000000\t0102a8c0\t0003\t0\t0\t0\t00000000\t0\t0\t0"));
  ASSERT_TRUE(found.ok()) << found.status();
  EXPECT_TRUE(*found);
}

void ExpectV4Error(const std::string& contents, const std::string& want) {
  absl::StatusOr<bool> found = HasV4DefaultRoute(contents);
  ASSERT_FALSE(found.ok()) << contents;
  EXPECT_EQ(found.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(Message(found.status()), HasSubstr(want)) << contents;
}

TEST(HasV4DefaultRouteTest, MalformedNamesTheLine) {
  ExpectV4Error("", "line 1: missing");
  ExpectV4Error("eth0\t00000000\t0102A8C0\t0003\t0\t0\t0\t00000000\t0\t0\t0\n",
                "line 1: missing");
  ExpectV4Error(V4Table({"eth0\t0002A8C0\t00000000\t0001\t0\t0\t0\t00FFFFFF"
                         "\t0\t0\t0",
                         "eth0\t00000000\t0102A8C0\t0003"}),
                "line 3: want 11 fields, got 4");
  ExpectV4Error(V4Table({"eth0\t0000000G\t0102A8C0\t0003\t0\t0\t0\t00000000"
                         "\t0\t0\t0"}),
                "line 2: Destination");
  ExpectV4Error(V4Table({"eth0\t00000000\t0102A8C0\t3\t0\t0\t0\t00000000"
                         "\t0\t0\t0"}),
                "line 2: Flags");
  ExpectV4Error(V4Table({"eth0\t00000000\t0102A8C0\t0003\t0\t0\t0\t0x000000"
                         "\t0\t0\t0"}),
                "line 2: Mask");
}

TEST(HasV4DefaultRouteTest, ErrorsDoNotEchoAddresses) {
  absl::StatusOr<bool> found = HasV4DefaultRoute(
      V4Table({"eth0\tC0A8017Z\t0102A8C0\t0003\t0\t0\t0\t00000000\t0\t0\t0"}));
  ASSERT_FALSE(found.ok());
  EXPECT_THAT(Message(found.status()), Not(HasSubstr("C0A8")));
  EXPECT_THAT(Message(found.status()), Not(HasSubstr("0102A8C0")));
}

// ---- HasV6DefaultRoute --------------------------------------------------

constexpr char kZero[] = "00000000000000000000000000000000";

std::string V6Route(const std::string& destination,
                    const std::string& prefix_length, const std::string& flags,
                    const std::string& iface) {
  return absl::StrCat(destination, " ", prefix_length, " ", kZero, " 00 ",
                      "fe800000000000000000000000000001", " 00000400 00000002 ",
                      "00000000 ", flags, "     ", iface, "\n");
}

// What a host with IPv6 enabled but no upstream shows: an "unreachable"
// ::/0 on lo with RTF_REJECT (0x200), next to loopback and link-local.
constexpr char kV6NoDefault[] =
    "fe800000000000000000000000000000 40 00000000000000000000000000000000 00 "
    "00000000000000000000000000000000 00000100 00000002 00000000 00000001     "
    "eth0\n"
    "00000000000000000000000000000001 80 00000000000000000000000000000000 00 "
    "00000000000000000000000000000000 00000000 00000004 00000000 80200001     "
    "  lo\n"
    "ff000000000000000000000000000000 08 00000000000000000000000000000000 00 "
    "00000000000000000000000000000000 00000100 00000003 00000000 00000001     "
    "eth0\n"
    "00000000000000000000000000000000 00 00000000000000000000000000000000 00 "
    "00000000000000000000000000000000 ffffffff 00000001 00000000 00200200     "
    "  lo\n";

TEST(HasV6DefaultRouteTest, UnreachableDefaultOnLoIsNotARoute) {
  absl::StatusOr<bool> found = HasV6DefaultRoute(kV6NoDefault);
  ASSERT_TRUE(found.ok()) << found.status();
  EXPECT_FALSE(*found);
}

TEST(HasV6DefaultRouteTest, FindsGatewayDefault) {
  absl::StatusOr<bool> found = HasV6DefaultRoute(
      absl::StrCat(kV6NoDefault, V6Route(kZero, "00", "00000003", "eth0")));
  ASSERT_TRUE(found.ok()) << found.status();
  EXPECT_TRUE(*found);
}

TEST(HasV6DefaultRouteTest, FindsDeviceDefaultWithoutGateway) {
  absl::StatusOr<bool> found =
      HasV6DefaultRoute(V6Route(kZero, "00", "00000001", "ppp0"));
  ASSERT_TRUE(found.ok()) << found.status();
  EXPECT_TRUE(*found);
}

TEST(HasV6DefaultRouteTest, NoDefault) {
  for (const std::string& table : {
           std::string(),
           std::string("\n"),
           // Reject routes (unreachable, prohibit, blackhole) of any flags.
           V6Route(kZero, "00", "00000201", "lo"),
           V6Route(kZero, "00", "00000203", "eth0"),
           // Not RTF_UP.
           V6Route(kZero, "00", "00000002", "eth0"),
           // ::/64 and 2000::/3 are not defaults.
           V6Route(kZero, "40", "00000003", "eth0"),
           V6Route("20000000000000000000000000000000", "03", "00000003",
                   "eth0"),
       }) {
    absl::StatusOr<bool> found = HasV6DefaultRoute(table);
    ASSERT_TRUE(found.ok()) << found.status() << "\n" << table;
    EXPECT_FALSE(*found) << table;
  }
}

void ExpectV6Error(const std::string& contents, const std::string& want) {
  absl::StatusOr<bool> found = HasV6DefaultRoute(contents);
  ASSERT_FALSE(found.ok()) << contents;
  EXPECT_EQ(found.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(Message(found.status()), HasSubstr(want)) << contents;
}

TEST(HasV6DefaultRouteTest, MalformedNamesTheLine) {
  ExpectV6Error(absl::StrCat(kV6NoDefault, "garbage\n"),
                "line 5: want 10 fields, got 1");
  ExpectV6Error(
      absl::StrCat(V6Route(kZero, "00", "00000003", "eth0"), kV4Header),
      "line 2: want 10 fields");
  ExpectV6Error(
      V6Route("0000000000000000000000000000000", "00", "00000003", "eth0"),
      "line 1: destination is not 32 hex");
  ExpectV6Error(
      V6Route("2001db8000000000000000000000000x", "00", "00000003", "eth0"),
      "line 1: destination is not 32 hex");
  ExpectV6Error(V6Route(kZero, "0", "00000003", "eth0"),
                "line 1: destination prefix length");
  ExpectV6Error(V6Route(kZero, "81", "00000003", "eth0"),
                "line 1: destination prefix length");
  ExpectV6Error(V6Route(kZero, "00", "3", "eth0"), "line 1: flags");
  ExpectV6Error(V6Route(kZero, "00", "0000000g", "eth0"), "line 1: flags");
}

TEST(HasV6DefaultRouteTest, ErrorsDoNotEchoAddresses) {
  absl::StatusOr<bool> found = HasV6DefaultRoute(
      V6Route("20010db8000100020003000400050006", "8x", "00000003", "eth0"));
  ASSERT_FALSE(found.ok());
  EXPECT_THAT(Message(found.status()), Not(HasSubstr("20010db8")));
  EXPECT_THAT(Message(found.status()), Not(HasSubstr("fe80")));
}

// ---- ReadLocalInventory -------------------------------------------------

std::string WriteTempFile(const std::string& name,
                          const std::string& contents) {
  const std::string path = absl::StrCat(::testing::TempDir(), "/", name);
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << contents;
  out.close();
  EXPECT_TRUE(out.good()) << path;
  return path;
}

TEST(ReadLocalInventoryTest, SucceedsOnThisHost) {
  absl::StatusOr<v1::AddressInventory> inventory = ReadLocalInventory();
  ASSERT_TRUE(inventory.ok()) << inventory.status();
}

TEST(ReadLocalInventoryTest, MissingRouteFilesMeanNoRoute) {
  InventorySources sources;
  sources.proc_net_route = absl::StrCat(::testing::TempDir(), "/no-route");
  sources.proc_net_ipv6_route = absl::StrCat(::testing::TempDir(), "/no-v6");
  absl::StatusOr<v1::AddressInventory> inventory = ReadLocalInventory(sources);
  ASSERT_TRUE(inventory.ok()) << inventory.status();
  EXPECT_FALSE(inventory->v4_default_route());
  EXPECT_FALSE(inventory->v6_default_route());
}

TEST(ReadLocalInventoryTest, ReadsRoutesFromGivenFiles) {
  InventorySources sources;
  sources.proc_net_route = WriteTempFile(
      "route", V4Table({"eth0\t00000000\t0102A8C0\t0003\t0\t0\t0\t00000000"
                        "\t0\t0\t0"}));
  sources.proc_net_ipv6_route = WriteTempFile(
      "ipv6_route",
      absl::StrCat(kV6NoDefault, V6Route(kZero, "00", "00000003", "eth0")));
  absl::StatusOr<v1::AddressInventory> inventory = ReadLocalInventory(sources);
  ASSERT_TRUE(inventory.ok()) << inventory.status();
  EXPECT_TRUE(inventory->v4_default_route());
  EXPECT_TRUE(inventory->v6_default_route());

  sources.proc_net_ipv6_route = WriteTempFile("ipv6_route_none", kV6NoDefault);
  inventory = ReadLocalInventory(sources);
  ASSERT_TRUE(inventory.ok()) << inventory.status();
  EXPECT_TRUE(inventory->v4_default_route());
  EXPECT_FALSE(inventory->v6_default_route());
}

TEST(ReadLocalInventoryTest, MalformedFileIsAnErrorNamingFileAndLine) {
  InventorySources sources;
  sources.proc_net_route = WriteTempFile("route_bad", "not a route table\n");
  absl::StatusOr<v1::AddressInventory> inventory = ReadLocalInventory(sources);
  ASSERT_FALSE(inventory.ok());
  EXPECT_EQ(inventory.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(Message(inventory.status()), HasSubstr("route_bad: line 1"));
}

TEST(ReadLocalInventoryTest, UnreadableFileIsAnError) {
  InventorySources sources;
  sources.proc_net_ipv6_route = ::testing::TempDir();  // A directory.
  absl::StatusOr<v1::AddressInventory> inventory = ReadLocalInventory(sources);
  ASSERT_FALSE(inventory.ok());
  EXPECT_THAT(Message(inventory.status()), HasSubstr("read "));
}

}  // namespace
}  // namespace v6scope::probe::inventory
