#include "probe/readiness/nat64_path.h"

#include <memory>
#include <optional>
#include <string>

#include "absl/time/time.h"
#include "common/time/clock.h"
#include "gtest/gtest.h"
#include "probe/loop/event_loop.h"
#include "probe/readiness/connection_gate.h"
#include "probe/readiness/domain_checker.h"
#include "probe/readiness/testing/scripted_lookup.h"

namespace v6scope::probe::readiness {
namespace {

namespace v1 = ::v6scope::v1;

net::IpAddress Ip(const std::string& literal) {
  return *net::IpAddress::Parse(literal);
}
net::IpPrefix Prefix(const std::string& cidr) {
  return *net::IpPrefix::Parse(cidr);
}

TEST(Nat64PathTest, MapsAndExtractsAtTheRfc6052Positions) {
  EXPECT_EQ(MapIntoNat64(Prefix("64:ff9b::/96"), Ip("11.80.1.1")).ToString(),
            "64:ff9b::b50:101");
  // /64: the u octet (byte 8) is skipped.
  EXPECT_EQ(
      MapIntoNat64(Prefix("2001:db8:64::/64"), Ip("192.0.2.33")).ToString(),
      "2001:db8:64:0:c0:2:2100:0");
  for (const char* p : {"64:ff9b::/96", "2001:db8::/32", "2001:db8:100::/40",
                        "2001:db8:122::/48", "2001:db8:122:300::/56",
                        "2001:db8:122:344::/64"}) {
    const net::IpAddress mapped = MapIntoNat64(Prefix(p), Ip("192.0.2.33"));
    EXPECT_EQ(ExtractFromNat64(Prefix(p), mapped), Ip("192.0.2.33")) << p;
  }
  EXPECT_EQ(ExtractFromNat64(Prefix("64:ff9b::/96"), Ip("2d00:80::1")),
            std::nullopt);
  // A suffix after the IPv4 address: not an RFC 6052 address.
  EXPECT_EQ(ExtractFromNat64(Prefix("2001:db8:122:344::/64"),
                             Ip("2001:db8:122:344:c0:2:2100:1")),
            std::nullopt);
}

TEST(Nat64PathTest, MovesOnlyAaaaThatEmbedTheNamesOwnA) {
  v1::NameAddresses n;
  n.add_a("11.80.1.1");
  n.add_aaaa("2d00:80:1::1");      // Real.
  n.add_aaaa("64:ff9b::b50:101");  // Synthesized from 11.80.1.1.
  n.add_aaaa("64:ff9b::b50:202");  // In the prefix, another address.
  MoveSynthesizedAaaa(Prefix("64:ff9b::/96"), &n);
  ASSERT_EQ(n.aaaa_size(), 2);
  EXPECT_EQ(n.aaaa(0), "2d00:80:1::1");
  EXPECT_EQ(n.aaaa(1), "64:ff9b::b50:202");
  ASSERT_EQ(n.aaaa_synthesized_size(), 1);
  EXPECT_EQ(n.aaaa_synthesized(0), "64:ff9b::b50:101");
}

class Nat64CheckTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto loop = loop::EventLoop::Create();
    ASSERT_TRUE(loop.ok());
    loop_ = *std::move(loop);
    dns_ = std::make_unique<testing::ScriptedLookup>(loop_.get());
    fetcher_ = std::make_unique<testing::ScriptedFetcher>(loop_.get());
    gate_ = std::make_unique<ConnectionGate>(
        loop_.get(), time::RealClock::Get(), absl::ZeroDuration());
    // What a DNS64 resolver answers: every A-only name gets a synthesized
    // AAAA, and ipv4only.arpa reveals the prefix.
    dns_->SetAddresses("ipv4only.arpa",
                       {"64:ff9b::c000:aa", "64:ff9b::c000:ab"});
    dns_->SetAddresses("example.test", {"11.0.0.1", "64:ff9b::b00:1"});
    dns_->SetAddresses("www.example.test",
                       {"11.0.0.2", "64:ff9b::b00:2", "2d00::2"});
    dns_->SetNameServers("example.test", {"ns1.example.test"});
    dns_->SetAddresses("ns1.example.test", {"11.0.0.53", "64:ff9b::b00:35"});
    dns_->SetSoa("example.test", "64:ff9b::b00:35", true);
    dns_->SetMailHosts("example.test", {{10, "mx.example.test"}});
    dns_->SetAddresses("mx.example.test", {"11.0.0.25", "64:ff9b::b00:19"});
    // Over IPv6 (the real AAAA and, through NAT64, the mapped A) the same
    // page; the fetcher is keyed by family, so both get it.
    fetcher_->SetPage("https://www.example.test/", v1::IPV6, 200,
                      "<title>Example</title> hello");
  }

  v1::DomainCheck Check(CheckerOptions options) {
    // IPv6 whatever this machine's routes (a CI host may have none).
    if (!options.has_own_ipv6.has_value()) options.has_own_ipv6 = true;
    DomainChecker checker(loop_.get(), dns_.get(), fetcher_.get(), gate_.get(),
                          time::RealClock::Get(), options);
    std::optional<v1::DomainCheck> got;
    checker.Check("example.test", [&](v1::DomainCheck c) { got = c; });
    EXPECT_FALSE(got.has_value());  // Never inline.
    EXPECT_TRUE(loop_->RunUntil([&] { return got.has_value(); },
                                options.budget + absl::Seconds(5)));
    return got.value_or(v1::DomainCheck());
  }

  std::unique_ptr<loop::EventLoop> loop_;
  std::unique_ptr<testing::ScriptedLookup> dns_;
  std::unique_ptr<testing::ScriptedFetcher> fetcher_;
  std::unique_ptr<ConnectionGate> gate_;
};

TEST_F(Nat64CheckTest, Ipv6OnlyVantageDiscoversThePrefixAndUsesIt) {
  CheckerOptions options;
  options.has_own_ipv4 = false;
  const v1::DomainCheck c = Check(options);
  EXPECT_EQ(c.nat64_prefix(), "64:ff9b::/96");
  // Synthesized AAAA moved out; the real one kept.
  ASSERT_EQ(c.www().aaaa_size(), 1);
  EXPECT_EQ(c.www().aaaa(0), "2d00::2");
  EXPECT_EQ(c.www().aaaa_synthesized(0), "64:ff9b::b00:2");
  EXPECT_EQ(c.apex().aaaa_size(), 0);
  EXPECT_EQ(c.mail(0).host().aaaa_synthesized(0), "64:ff9b::b00:19");
  // The SOA at the IPv4 address went through NAT64, and stays IPv4; the
  // synthesized AAAA was not asked as an IPv6 address.
  const v1::NameServerCheck& ns = c.name_servers(0);
  ASSERT_EQ(ns.soa_size(), 1);
  EXPECT_EQ(ns.soa(0).address(), "64:ff9b::b00:35");
  EXPECT_EQ(ns.soa(0).family(), v1::IPV4);
  EXPECT_EQ(ns.soa(0).outcome(), v1::OK);
  EXPECT_EQ(dns_->AskedOf("11.0.0.53"), 0);
  // The IPv4 fetch: over IPv6 to the mapped address, recorded as IPv4.
  ASSERT_EQ(c.web_size(), 4);
  const v1::WebFetch& v4 = c.web(0);
  EXPECT_EQ(v4.family(), v1::IPV4);
  EXPECT_TRUE(v4.via_nat64());
  EXPECT_EQ(v4.outcome(), v1::OK);
  ASSERT_GE(v4.hops_size(), 1);
  EXPECT_EQ(v4.hops(0).address(), "64:ff9b::b00:2");
  EXPECT_EQ(c.web(1).family(), v1::IPV6);
  EXPECT_FALSE(c.web(1).via_nat64());
  EXPECT_EQ(c.web(1).hops(0).address(), "2d00::2");
}

TEST_F(Nat64CheckTest, DualStackVantageOnlyMovesSynthesizedAaaa) {
  CheckerOptions options;
  options.has_own_ipv4 = true;
  fetcher_->SetPage("https://www.example.test/", v1::IPV4, 200,
                    "<title>Example</title> hello");
  const v1::DomainCheck c = Check(options);
  EXPECT_EQ(c.nat64_prefix(), "64:ff9b::/96");
  EXPECT_EQ(c.www().aaaa_synthesized_size(), 1);
  EXPECT_EQ(c.name_servers(0).soa(0).address(), "11.0.0.53");
  EXPECT_FALSE(c.web(0).via_nat64());
  EXPECT_EQ(c.web(0).hops(0).address(), "11.0.0.2");
}

TEST_F(Nat64CheckTest, ConfiguredPrefixWinsOverDiscovery) {
  // The resolver would reveal another prefix: the configured one is used.
  dns_->SetAddresses("ipv4only.arpa", {"2001:db8:64::c000:aa"});
  CheckerOptions options;
  options.nat64_prefix = Prefix("64:ff9b::/96");
  options.has_own_ipv4 = false;
  const v1::DomainCheck c = Check(options);
  EXPECT_EQ(c.nat64_prefix(), "64:ff9b::/96");
  EXPECT_EQ(c.name_servers(0).soa(0).address(), "64:ff9b::b00:35");
}

TEST_F(Nat64CheckTest, RedirectToAnIpv4OnlyHostStaysNoAddressOverIpv6) {
  // Behind DNS64 the IPv4-only redirect target gets a synthesized AAAA: the
  // IPv6 fetch must not follow it (that would be IPv4 through NAT64).
  dns_->SetAddresses("v4only.example.test", {"11.0.0.80", "64:ff9b::b00:50"});
  fetcher_->SetRedirect("https://www.example.test/", v1::IPV6,
                        "https://v4only.example.test/");
  fetcher_->SetPage("https://v4only.example.test/", v1::IPV6, 200, "x");
  CheckerOptions options;
  options.has_own_ipv4 = false;
  const v1::DomainCheck c = Check(options);
  ASSERT_EQ(c.web_size(), 4);
  EXPECT_EQ(c.web(1).family(), v1::IPV6);
  EXPECT_EQ(v1::Outcome_Name(c.web(1).outcome()), "NO_ADDRESS");
  // Over IPv4 (through NAT64) the redirect is followed to the mapped A.
  EXPECT_TRUE(c.web(0).via_nat64());
  ASSERT_EQ(c.web(0).hops_size(), 2);
  EXPECT_EQ(c.web(0).hops(1).address(), "64:ff9b::b00:50");
}

TEST_F(Nat64CheckTest, NoDns64MeansNoPrefix) {
  dns_->SetAddresses("ipv4only.arpa", {"192.0.0.170"});  // Plain A only.
  CheckerOptions options;
  options.has_own_ipv4 = true;
  fetcher_->SetPage("https://www.example.test/", v1::IPV4, 200, "x");
  const v1::DomainCheck c = Check(options);
  EXPECT_EQ(c.nat64_prefix(), "");
  EXPECT_EQ(c.www().aaaa_synthesized_size(), 0);
  EXPECT_EQ(c.www().aaaa_size(), 2);
}

}  // namespace
}  // namespace v6scope::probe::readiness
