#include "collector/ingest/public_prefixes.h"

#include <string>
#include <utility>
#include <vector>

#include "gtest/gtest.h"

namespace v6scope::collector::ingest {
namespace {

v6scope::v1::Run RunWith(const std::string& v4, const std::string& v6) {
  v6scope::v1::Run run;
  run.mutable_public_addresses()->set_v4_prefix(v4);
  run.mutable_public_addresses()->set_v6_prefix(v6);
  return run;
}

TEST(RefuseNonPublicPrefixesTest, KeepsPublicPrefixes) {
  for (const auto& [v4, v6] : std::vector<std::pair<std::string, std::string>>{
           {"11.0.2.0/24", "3ffe:1::/48"},
           {"1.0.0.0/24", "2a00:1450:4001::/48"},
           // Tunnels and the well-known NAT64 prefix count as public.
           {"", "2002:b00:1::/48"},
           {"", "2001:0:4136::/48"},
           {"", ""}}) {
    v6scope::v1::Run run = RunWith(v4, v6);
    EXPECT_TRUE(RefuseNonPublicPrefixes(&run).empty()) << v4 << " " << v6;
    EXPECT_EQ(run.public_addresses().v4_prefix(), v4);
    EXPECT_EQ(run.public_addresses().v6_prefix(), v6);
  }
}

TEST(RefuseNonPublicPrefixesTest, ClearsEachNonPublicPrefixAndNamesItsBlock) {
  v6scope::v1::Run run = RunWith("192.0.2.0/24", "3ffe:1::/48");
  std::vector<RefusedPrefix> refused = RefuseNonPublicPrefixes(&run);
  ASSERT_EQ(refused.size(), 1u);
  EXPECT_EQ(refused[0].family, "v4");
  EXPECT_EQ(refused[0].prefix, "192.0.2.0/24");
  EXPECT_EQ(refused[0].block, "192.0.2.0/24");
  EXPECT_EQ(refused[0].block_name, "documentation (TEST-NET-1), RFC 5737");
  EXPECT_EQ(run.public_addresses().v4_prefix(), "");
  EXPECT_EQ(run.public_addresses().v6_prefix(), "3ffe:1::/48");

  run = RunWith("127.0.0.0/24", "::/48");
  refused = RefuseNonPublicPrefixes(&run);
  ASSERT_EQ(refused.size(), 2u);
  EXPECT_EQ(refused[0].family, "v4");
  EXPECT_EQ(refused[0].block, "127.0.0.0/8");
  EXPECT_EQ(refused[1].family, "v6");
  EXPECT_EQ(refused[1].prefix, "::/48");
  EXPECT_EQ(refused[1].block, "::/128");
  EXPECT_EQ(run.public_addresses().v4_prefix(), "");
  EXPECT_EQ(run.public_addresses().v6_prefix(), "");
}

TEST(RefuseNonPublicPrefixesTest, EveryKindOfNonPublicSpace) {
  for (const auto& [v4, v6] : std::vector<std::pair<std::string, std::string>>{
           {"10.1.2.0/24", "2001:db8:1::/48"},
           {"100.64.1.0/24", "fd00:1::/48"},
           {"198.18.0.0/24", "2001:2::/48"},
           {"203.0.113.0/24", "3fff::/48"},
           {"169.254.1.0/24", "fe80::/48"}}) {
    v6scope::v1::Run run = RunWith(v4, v6);
    EXPECT_EQ(RefuseNonPublicPrefixes(&run).size(), 2u) << v4 << " " << v6;
    EXPECT_EQ(run.public_addresses().v4_prefix(), "");
    EXPECT_EQ(run.public_addresses().v6_prefix(), "");
  }
}

}  // namespace
}  // namespace v6scope::collector::ingest
