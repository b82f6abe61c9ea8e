#include "probe/readiness/domain_checker.h"

#include <memory>
#include <optional>
#include <string>

#include "absl/time/time.h"
#include "common/time/clock.h"
#include "gtest/gtest.h"
#include "probe/loop/event_loop.h"
#include "probe/readiness/connection_gate.h"
#include "probe/readiness/testing/scripted_lookup.h"

namespace v6scope::probe::readiness {
namespace {

namespace v1 = ::v6scope::v1;

class DomainCheckerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // Both families, whatever this machine's routes (a CI host may have
    // no IPv6 default route).
    options_.has_own_ipv4 = true;
    options_.has_own_ipv6 = true;
    auto loop = loop::EventLoop::Create();
    ASSERT_TRUE(loop.ok());
    loop_ = *std::move(loop);
    dns_ = std::make_unique<testing::ScriptedLookup>(loop_.get());
    fetcher_ = std::make_unique<testing::ScriptedFetcher>(loop_.get());
    gate_ = std::make_unique<ConnectionGate>(
        loop_.get(), time::RealClock::Get(), absl::ZeroDuration());
  }

  v1::DomainCheck Check(const std::string& domain) {
    DomainChecker checker(loop_.get(), dns_.get(), fetcher_.get(), gate_.get(),
                          time::RealClock::Get(), options_);
    std::optional<v1::DomainCheck> got;
    checker.Check(domain, [&](v1::DomainCheck c) { got = std::move(c); });
    EXPECT_FALSE(got.has_value());  // Never inline.
    EXPECT_TRUE(loop_->RunUntil([&] { return got.has_value(); },
                                options_.budget + absl::Seconds(5)));
    EXPECT_EQ(checker.in_flight(), 0u);
    return got.value_or(v1::DomainCheck());
  }

  // A dual-stack domain whose IPv6 site redirects to an IPv4-only host.
  void ScriptExample() {
    dns_->SetAddresses("example.test", {"11.0.0.1"});
    dns_->SetAddresses("www.example.test", {"11.0.0.2", "3ffe::2"},
                       {"cdn.example.test"});
    dns_->SetNameServers("example.test", {"ns1.example.test", "ns2.dns.test"});
    dns_->SetAddresses("ns1.example.test",
                       {"11.0.0.53", "11.0.0.54", "11.0.0.55", "3ffe::53"});
    dns_->SetAddresses("ns2.dns.test", {"11.0.1.53"});
    dns_->SetSoa("example.test", "11.0.0.53", true);
    dns_->SetSoa("example.test", "11.0.0.54", true);
    dns_->SetSoa("example.test", "3ffe::53", false);
    dns_->SetMailHosts("example.test", {{10, "mx.example.test"}});
    dns_->SetAddresses("mx.example.test", {"11.0.0.25"});
    dns_->SetAddresses("v4only.example.test", {"11.0.0.80"});
    fetcher_->SetPage("https://www.example.test/", v1::IPV4, 200,
                      "<title>Example</title> hello");
    fetcher_->SetRedirect("https://www.example.test/", v1::IPV6,
                          "https://v4only.example.test/");
    fetcher_->SetRedirect("http://www.example.test/", v1::IPV4,
                          "https://www.example.test/");
  }

  CheckerOptions options_;
  std::unique_ptr<loop::EventLoop> loop_;
  std::unique_ptr<testing::ScriptedLookup> dns_;
  std::unique_ptr<testing::ScriptedFetcher> fetcher_;
  std::unique_ptr<ConnectionGate> gate_;
};

TEST_F(DomainCheckerTest, RecordsNamesServersMailAndWeb) {
  ScriptExample();
  v1::DomainCheck c = Check("Example.Test.");
  EXPECT_EQ(c.domain(), "example.test");
  EXPECT_GT(c.started_at().seconds(), 0);
  EXPECT_EQ(c.apex().a_outcome(), v1::OK);
  EXPECT_EQ(c.apex().aaaa_outcome(), v1::DNS_NODATA);
  EXPECT_EQ(c.www().name(), "www.example.test");
  ASSERT_EQ(c.www().cname_chain_size(), 1);
  EXPECT_EQ(c.www().cname_chain(0), "cdn.example.test");
  EXPECT_EQ(c.www().aaaa(0), "3ffe::2");

  EXPECT_EQ(c.ns_outcome(), v1::OK);
  ASSERT_EQ(c.name_servers_size(), 2);
  const v1::NameServerCheck& ns1 = c.name_servers(0);
  ASSERT_EQ(ns1.soa_size(), 3);  // At most 2 per family.
  EXPECT_EQ(ns1.soa(0).address(), "11.0.0.53");
  EXPECT_EQ(ns1.soa(0).outcome(), v1::OK);
  EXPECT_EQ(ns1.soa(2).family(), v1::IPV6);
  EXPECT_EQ(ns1.soa(2).outcome(), v1::DNS_ERROR);  // Not authoritative.
  EXPECT_EQ(c.name_servers(1).soa(0).outcome(), v1::DNS_NXDOMAIN);
  EXPECT_EQ(dns_->AskedOf("11.0.0.55"), 0);

  EXPECT_EQ(c.mx_outcome(), v1::OK);
  ASSERT_EQ(c.mail_size(), 1);
  EXPECT_EQ(c.mail(0).preference(), 10u);
  EXPECT_EQ(c.mail(0).host().a(0), "11.0.0.25");
  EXPECT_EQ(c.mail(0).host().aaaa_outcome(), v1::DNS_NODATA);

  ASSERT_EQ(c.web_size(), 4);
  EXPECT_EQ(c.web(0).start_url(), "https://www.example.test/");
  EXPECT_EQ(c.web(0).family(), v1::IPV4);
  EXPECT_EQ(c.web(0).outcome(), v1::OK);
  EXPECT_EQ(c.web(0).title(), "Example");
  EXPECT_EQ(c.web(1).family(), v1::IPV6);
  EXPECT_EQ(c.web(1).outcome(), v1::NO_ADDRESS);  // v4-only redirect target.
  EXPECT_EQ(c.web(2).start_url(), "http://www.example.test/");
  EXPECT_EQ(c.web(2).hops_size(), 2);
  EXPECT_EQ(c.web(2).final_url(), "https://www.example.test/");
  EXPECT_EQ(c.web(3).outcome(), v1::CONNECTION_REFUSED);
  EXPECT_FALSE(c.has_verdict());
}

// An IPv4-only vantage tries nothing over IPv6: its IPv6 fetches and the
// SOA questions at IPv6 addresses are SKIPPED, saying why, so the verdict
// reads "not tested from here", not "AAAA unreachable" (§13.7).
TEST_F(DomainCheckerTest, AnIpv4OnlyVantageSkipsEverythingOverIpv6) {
  ScriptExample();
  options_.has_own_ipv6 = false;
  v1::DomainCheck c = Check("example.test");
  EXPECT_EQ(c.www().aaaa(0), "3ffe::2");  // Looked up all the same.
  ASSERT_EQ(c.web_size(), 4);
  for (const v1::WebFetch& f : c.web()) {
    if (f.family() != v1::IPV6) continue;
    EXPECT_EQ(f.outcome(), v1::SKIPPED) << f.start_url();
    EXPECT_EQ(f.error_detail(), "not tried: this vantage has no IPv6 route");
  }
  EXPECT_EQ(c.web(0).outcome(), v1::OK);
  for (const http::HttpRequest& r : fetcher_->requests()) {
    EXPECT_EQ(r.family, v1::IPV4) << r.url;
  }
  const v1::NameServerCheck& ns1 = c.name_servers(0);
  ASSERT_EQ(ns1.soa_size(), 3);
  EXPECT_EQ(ns1.soa(2).family(), v1::IPV6);
  EXPECT_EQ(ns1.soa(2).outcome(), v1::SKIPPED);
  EXPECT_EQ(dns_->AskedOf("3ffe::53"), 0);
}

// IPv6-only without NAT64: the IPv4 side is skipped the same way.
TEST_F(DomainCheckerTest, AnIpv6OnlyVantageWithoutNat64SkipsIpv4) {
  ScriptExample();
  options_.has_own_ipv4 = false;
  v1::DomainCheck c = Check("example.test");
  ASSERT_EQ(c.web_size(), 4);
  EXPECT_EQ(c.web(0).family(), v1::IPV4);
  EXPECT_EQ(c.web(0).outcome(), v1::SKIPPED);
  EXPECT_EQ(c.web(0).error_detail(),
            "not tried: this vantage has no IPv4 route and no NAT64");
  EXPECT_EQ(c.web(2).outcome(), v1::SKIPPED);
  EXPECT_EQ(c.web(1).outcome(), v1::NO_ADDRESS);  // IPv6 as before.
  EXPECT_EQ(c.name_servers(0).soa(0).outcome(), v1::SKIPPED);
  EXPECT_EQ(dns_->AskedOf("11.0.0.53"), 0);
}

TEST_F(DomainCheckerTest, FetchesArePinnedPoliteAndHomePageOnly) {
  ScriptExample();
  Check("example.test");
  ASSERT_FALSE(fetcher_->requests().empty());
  for (const http::HttpRequest& r : fetcher_->requests()) {
    EXPECT_EQ(r.user_agent, ReadinessUserAgent());
    EXPECT_FALSE(r.range_request);
    EXPECT_EQ(r.body_limit, 256u * 1024);
    EXPECT_LE(r.connect_timeout, absl::Seconds(3));
    EXPECT_EQ(r.stall_timeout, absl::Seconds(2));
    EXPECT_LE(r.timeout, absl::Seconds(20));
    ASSERT_EQ(r.resolve_to.size(), 1u);
    EXPECT_EQ(r.resolve_to[0].is_v4(), r.family == v1::IPV4);
  }
}

TEST_F(DomainCheckerTest, DnsHalfOnlyFetchesNothing) {
  ScriptExample();
  options_.fetch_web = false;
  v1::DomainCheck c = Check("example.test");
  EXPECT_EQ(c.www().aaaa(0), "3ffe::2");
  ASSERT_EQ(c.name_servers_size(), 2);
  EXPECT_EQ(c.name_servers(0).soa(0).outcome(), v1::OK);
  EXPECT_EQ(c.mail(0).host().a(0), "11.0.0.25");
  EXPECT_EQ(c.web_size(), 0);
  EXPECT_TRUE(fetcher_->requests().empty());
}

TEST_F(DomainCheckerTest, UsesTheApexWhenWwwHasNoAddress) {
  dns_->SetAddresses("example.test", {"3ffe::1"});
  v1::DomainCheck c = Check("example.test");
  EXPECT_EQ(c.www().a_outcome(), v1::DNS_NXDOMAIN);
  ASSERT_EQ(c.web_size(), 2);  // IPv6 only: https and http.
  EXPECT_EQ(c.web(0).start_url(), "https://example.test/");
  EXPECT_EQ(c.web(1).start_url(), "http://example.test/");
  EXPECT_EQ(c.ns_outcome(), v1::DNS_NXDOMAIN);
  EXPECT_EQ(c.name_servers_size(), 0);
}

TEST_F(DomainCheckerTest, NoAddressNoWebAndNullMx) {
  dns_->SetMailHosts("example.test", {{0, ""}});
  v1::DomainCheck c = Check("example.test");
  EXPECT_EQ(c.web_size(), 0);
  ASSERT_EQ(c.mail_size(), 1);
  EXPECT_FALSE(c.mail(0).has_host());
}

// A site that never finishes: each fetch ends at its deadline. The http
// ones waited in the gate for the https ones (one connection per address)
// and that wait moved their deadlines: 2 budgets in all, not 20 s.
TEST_F(DomainCheckerTest, WholeCheckIsBoundedByTheBudget) {
  ScriptExample();
  fetcher_->set_delay(absl::Seconds(30));
  options_.budget = absl::Milliseconds(300);
  const absl::Time start = absl::Now();
  v1::DomainCheck c = Check("example.test");
  EXPECT_LT(absl::Now() - start, absl::Seconds(2));
  ASSERT_EQ(c.web_size(), 4);
  for (const v1::WebFetch& f : c.web()) {
    EXPECT_EQ(f.outcome(), v1::TIMEOUT) << f.start_url() << f.family();
  }
  EXPECT_EQ(c.apex().a_outcome(), v1::OK);  // DNS had finished.
}

// A site whose one IPv4 address is dead: the https and http fetches each
// wait out `kConnectTimeout` (the scripted fetch ends then).
constexpr absl::Duration kConnectTimeout = absl::Milliseconds(500);

class DeadSiteTest : public DomainCheckerTest {
 protected:
  void SetUp() override {
    DomainCheckerTest::SetUp();
    dns_->SetAddresses("example.test", {"11.0.0.1"});
    http::HttpResult dead;
    dead.outcome = v1::TIMEOUT;
    dead.error_detail = "connect timeout";
    fetcher_->SetResult("https://example.test/", v1::IPV4, dead);
    fetcher_->SetResult("http://example.test/", v1::IPV4, dead);
    fetcher_->set_delay(kConnectTimeout);
  }
};

// Where the gate allows two connections per address (bench/sweep opens
// it), the https and http fetches run side by side, as curl --parallel
// runs them: one connect timeout, not two in a row.
TEST_F(DeadSiteTest, HttpsAndHttpRunTogetherWhereTheGateAllowsIt) {
  gate_ = std::make_unique<ConnectionGate>(loop_.get(), time::RealClock::Get(),
                                           absl::ZeroDuration(), 2);
  const absl::Time start = absl::Now();
  v1::DomainCheck c = Check("example.test");
  EXPECT_LT(absl::Now() - start, 1.8 * kConnectTimeout);  // Chained: 2x.
  EXPECT_EQ(fetcher_->max_in_flight(), 2);
  ASSERT_EQ(c.web_size(), 2);
  EXPECT_EQ(c.web(0).start_url(), "https://example.test/");
  EXPECT_EQ(c.web(1).start_url(), "http://example.test/");
  EXPECT_EQ(c.web(0).outcome(), v1::TIMEOUT);
  EXPECT_EQ(c.web(1).outcome(), v1::TIMEOUT);
}

// The probe's gate (one connection per address): the two never overlap,
// https goes first, and the http fetch gets its full time all the same.
TEST_F(DeadSiteTest, OneConnectionPerAddressKeepsThemApart) {
  const absl::Time start = absl::Now();
  v1::DomainCheck c = Check("example.test");
  EXPECT_GE(absl::Now() - start, 2 * kConnectTimeout);
  EXPECT_EQ(fetcher_->max_in_flight(), 1);
  ASSERT_EQ(fetcher_->requests().size(), 2u);
  EXPECT_EQ(fetcher_->requests()[0].url, "https://example.test/");
  EXPECT_EQ(fetcher_->requests()[1].url, "http://example.test/");
  ASSERT_EQ(c.web_size(), 2);
  EXPECT_EQ(c.web(1).outcome(), v1::TIMEOUT);
  EXPECT_EQ(c.web(1).error_detail(), "connect timeout");
}

// Queued behind its https sibling, the http fetch's wait is gate time: it
// moves the fetch's deadline, so a slow https does not eat the http
// fetch's time (chained, it inherited what the https one left).
TEST_F(DomainCheckerTest, TheWaitBehindTheHttpsFetchMovesTheDeadline) {
  dns_->SetAddresses("example.test", {"11.0.0.1"});
  fetcher_->SetPage("https://example.test/", v1::IPV4, 200, "<title>S</title>");
  fetcher_->SetPage("http://example.test/", v1::IPV4, 200, "<title>P</title>");
  fetcher_->set_delay(absl::Milliseconds(400));
  options_.budget = absl::Milliseconds(600);  // Less than the two fetches.
  v1::DomainCheck c = Check("example.test");
  ASSERT_EQ(c.web_size(), 2);
  EXPECT_EQ(c.web(0).outcome(), v1::OK) << c.web(0).error_detail();
  EXPECT_EQ(c.web(1).outcome(), v1::OK) << c.web(1).error_detail();
  EXPECT_EQ(c.web(1).title(), "P");
  ASSERT_EQ(fetcher_->requests().size(), 2u);
  EXPECT_GT(fetcher_->requests()[1].timeout, absl::Milliseconds(500));
}

}  // namespace
}  // namespace v6scope::probe::readiness
