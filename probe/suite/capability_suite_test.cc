// The capability suite end to end on loopback: a scripted DNS server and
// scripted HTTP servers on 127.0.0.1 and ::1 (same port) play the network;
// the real event loop, c-ares resolver and curl fetcher measure it.
#include "probe/suite/capability_suite.h"

#include <algorithm>
#include <memory>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "methodology/kinds/registry.h"
#include "methodology/verdict.h"
#include "probe/dns/cares_resolver.h"
#include "probe/dns/testing/scripted_dns_server.h"
#include "probe/http/http_fetcher.h"
#include "probe/http/testing/scripted_http_server.h"

namespace v6scope::probe::suite {
namespace {

using dns::testing::ScriptedDnsServer;
using dns::testing::ScriptedReply;
using http::testing::Behaviour;
using http::testing::ScriptedHttpServer;
using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::Not;
using RunProto = v6scope::v1::Run;
using v6scope::v1::TestKind;
using v6scope::v1::TestResult;

net::IpAddress Ip(absl::string_view s) { return *net::IpAddress::Parse(s); }

const TestResult& Find(const RunProto& run, TestKind kind) {
  static const TestResult kMissing;
  for (const TestResult& t : run.tests()) {
    if (t.kind() == kind) return t;
  }
  ADD_FAILURE() << "no test " << v6scope::v1::TestKind_Name(kind);
  return kMissing;
}

std::vector<int> Causes(const RunProto& run) {
  return {run.verdict().root_causes().begin(),
          run.verdict().root_causes().end()};
}

class CapabilitySuiteTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto dns = ScriptedDnsServer::Start();
    ASSERT_TRUE(dns.ok()) << dns.status();
    dns_ = std::move(*dns);
    auto v6 = ScriptedHttpServer::Start("::1");
    if (!v6.ok()) GTEST_SKIP() << "no IPv6 loopback here: " << v6.status();
    v6_ = std::move(*v6);
    ScriptedHttpServer::Options same_port;
    same_port.port = v6_->port();
    auto v4 = ScriptedHttpServer::Start("127.0.0.1", same_port);
    ASSERT_TRUE(v4.ok()) << v4.status();
    v4_ = std::move(*v4);
    for (ScriptedHttpServer* s : {v4_.get(), v6_.get()}) {
      s->Handle("/small", Behaviour::Normal(200, "small object"));
      s->Handle("/large", Behaviour::Large(1'500'000));
      s->Handle("/whoami", Behaviour::WhoAmI());
    }
    DualStackDns();
    auto loop = loop::EventLoop::Create();
    ASSERT_TRUE(loop.ok());
    loop_ = std::move(*loop);
    dns::CaresOptions opts;
    opts.server = absl::StrCat("127.0.0.1:", dns_->port());
    opts.use_hosts_file = false;
    opts.timeout = absl::Milliseconds(300);
    opts.tries = 1;
    auto resolver = dns::CaresResolver::Create(loop_.get(), opts);
    ASSERT_TRUE(resolver.ok()) << resolver.status();
    resolver_ = std::move(*resolver);
    auto fetcher = http::HttpFetcher::Create(loop_.get());
    ASSERT_TRUE(fetcher.ok());
    fetcher_ = std::move(*fetcher);

    v6scope::v1::TargetSet* t = settings_.mutable_targets();
    t->set_name("scripted");
    t->set_port(v6_->port());
    t->set_dual_stack_host("ds.test");
    t->set_v4_only_host("v4.test");
    t->set_v6_only_host("v6.test");
    t->set_v6ns_host("ns6.test");
    t->set_v6_literal("::1");
    settings_.set_http_timeout_ms(2000);
    inventory_.set_v6_global_native(1);
    inventory_.set_v4_private(1);
    inventory_.set_v4_default_route(true);
    inventory_.set_v6_default_route(true);
  }

  // The answers of a healthy dual-stack network.
  void DualStackDns() {
    dns_->SetAddresses("ds.test", {Ip("127.0.0.1"), Ip("::1")});
    dns_->SetAddresses("v4.test", {Ip("127.0.0.1")});
    dns_->SetReply("v4.test", dns::testing::kDnsTypeAAAA,
                   ScriptedReply::NoData());
    dns_->SetAddresses("v6.test", {Ip("::1")});
    dns_->SetReply("v6.test", dns::testing::kDnsTypeA, ScriptedReply::NoData());
    dns_->SetAddresses("ns6.test", {Ip("127.0.0.1")});
    dns_->SetReply("ipv4only.arpa", dns::testing::kDnsTypeAAAA,
                   ScriptedReply::NoData());
  }

  RunProto Measure() {
    EXPECT_TRUE(ValidateProbeSettings(&settings_).ok());
    CapabilitySuite::Deps deps;
    deps.loop = loop_.get();
    deps.resolver = resolver_.get();
    deps.fetcher = fetcher_.get();
    deps.read_inventory = [this] {
      return absl::StatusOr<v6scope::v1::AddressInventory>(inventory_);
    };
    CapabilitySuite suite(deps, settings_);
    absl::StatusOr<RunProto> run = suite.RunOnce();
    EXPECT_TRUE(run.ok()) << run.status();
    return run.ok() ? *run : RunProto();
  }

  std::unique_ptr<ScriptedDnsServer> dns_;
  std::unique_ptr<ScriptedHttpServer> v4_, v6_;
  std::unique_ptr<loop::EventLoop> loop_;
  std::unique_ptr<dns::CaresResolver> resolver_;
  std::unique_ptr<http::HttpFetcher> fetcher_;
  v6scope::v1::ProbeSettings settings_;
  v6scope::v1::AddressInventory inventory_;
};

TEST_F(CapabilitySuiteTest, DualStackNetworkIsV6Preferred) {
  RunProto run = Measure();
  EXPECT_EQ(run.verdict().capability(), v6scope::v1::V6_PREFERRED);
  EXPECT_EQ(run.verdict().score(), 10u);
  EXPECT_EQ(run.tests_size(),
            static_cast<int>(methodology::kinds::AllKinds().size()));
  for (const TestResult& t : run.tests()) {
    // No DNS64 here: ipv4only.arpa and the v4-only name have no AAAA.
    if (t.kind() == v6scope::v1::DNS_NAT64) continue;
    if (t.kind() == v6scope::v1::HTTP_NAT64) {
      EXPECT_EQ(t.outcome(), v6scope::v1::DNS_NODATA);
      continue;
    }
    EXPECT_EQ(t.outcome(), v6scope::v1::OK)
        << v6scope::v1::TestKind_Name(t.kind()) << ": " << t.error_detail();
  }
  const TestResult& aaaa = Find(run, v6scope::v1::DNS_AAAA);
  EXPECT_EQ(aaaa.dns_server(), "127.0.0.1");
  EXPECT_EQ(aaaa.dns_rcode(), 0u);
  EXPECT_THAT(aaaa.resolved_addresses(), Contains("::1"));
  EXPECT_EQ(Find(run, v6scope::v1::DNS_NAT64).outcome(),
            v6scope::v1::DNS_NODATA);
  EXPECT_TRUE(run.nat64_prefix().empty());

  const TestResult& ds = Find(run, v6scope::v1::HTTP_DUAL_STACK);
  EXPECT_EQ(ds.used_family(), v6scope::v1::IPV6);
  EXPECT_EQ(ds.used_address(), "::1");
  EXPECT_GT(ds.timings().dns_us(), 0u);
  EXPECT_LE(ds.timings().dns_us(), ds.timings().connect_us());
  EXPECT_LE(ds.timings().connect_us(), ds.timings().total_us());
  EXPECT_EQ(Find(run, v6scope::v1::HTTP_V4_ONLY).used_family(),
            v6scope::v1::IPV4);
  // Read up to the limit (the server ignores the range: a 200 cut short).
  EXPECT_EQ(Find(run, v6scope::v1::HTTP_V6_LARGE).outcome(), v6scope::v1::OK);
  EXPECT_EQ(Find(run, v6scope::v1::HTTP_V6_LARGE).bytes_received(), 262'144u);
  EXPECT_THAT(v6_->LastRequestHead("/large"),
              HasSubstr("Range: bytes=0-262143"));
  // The scripted targets see loopback addresses: no public prefix, and the
  // who-am-I tests (still OK) say why.
  EXPECT_EQ(run.public_addresses().v4_prefix(), "");
  EXPECT_EQ(run.public_addresses().v6_prefix(), "");
  EXPECT_EQ(Find(run, v6scope::v1::HTTP_WHOAMI_V4).error_detail(),
            "who-am-I saw 127.0.0.1 (loopback, RFC 1122): not a public "
            "address");
  EXPECT_EQ(Find(run, v6scope::v1::HTTP_WHOAMI_V6).error_detail(),
            "who-am-I saw ::1 (loopback, RFC 4291): not a public address");
  EXPECT_EQ(run.target_set(), "scripted");
  EXPECT_EQ(run.verdict().methodology_version(),
            methodology::kMethodologyVersion);
}

// Every registered kind has a runner here: with every target configured,
// a run holds one result of each, measured as its spec says.
TEST_F(CapabilitySuiteTest, EveryRegisteredKindIsRunAsItsSpecSays) {
  RunProto run = Measure();
  for (const methodology::kinds::KindSpec* spec :
       methodology::kinds::AllKinds()) {
    const TestResult& t = Find(run, spec->kind);
    EXPECT_NE(t.outcome(), v6scope::v1::OUTCOME_UNSPECIFIED) << spec->name;
    EXPECT_NE(t.outcome(), v6scope::v1::SKIPPED) << spec->name;
    EXPECT_EQ(t.family(), spec->family) << spec->name;
  }
}

TEST_F(CapabilitySuiteTest, ResolverFilteringAaaaIsAaaaFiltered) {
  dns_->SetReply("ds.test", dns::testing::kDnsTypeAAAA,
                 ScriptedReply::NoData());
  dns_->SetReply("v6.test", dns::testing::kDnsTypeAAAA,
                 ScriptedReply::NoData());
  RunProto run = Measure();
  EXPECT_EQ(Find(run, v6scope::v1::HTTP_V6_ONLY).outcome(),
            v6scope::v1::DNS_NODATA);
  EXPECT_EQ(Find(run, v6scope::v1::HTTP_V6_LITERAL).outcome(), v6scope::v1::OK);
  EXPECT_EQ(Find(run, v6scope::v1::HTTP_DUAL_STACK).used_family(),
            v6scope::v1::IPV4);
  EXPECT_THAT(Causes(run), Contains(v6scope::v1::AAAA_FILTERED));
}

TEST_F(CapabilitySuiteTest, LargeObjectStallingOverIpv6IsStalled) {
  v6_->Handle("/large", Behaviour::StallMidBody(200'000));
  settings_.set_stall_timeout_ms(200);  // Against a 2 s fetch deadline.
  RunProto run = Measure();
  const TestResult& large = Find(run, v6scope::v1::HTTP_V6_LARGE);
  EXPECT_EQ(large.outcome(), v6scope::v1::STALLED) << large.error_detail();
  EXPECT_EQ(large.bytes_received(), 100'000u);
  EXPECT_THAT(large.error_detail(), HasSubstr("after connecting"));
  EXPECT_EQ(large.used_address(), "::1");
  EXPECT_EQ(Find(run, v6scope::v1::HTTP_V6_ONLY).outcome(), v6scope::v1::OK);
  // Methodology 2 reads STALLED as the PMTU black hole (1 knew no STALLED).
  EXPECT_THAT(Causes(run), Contains(v6scope::v1::PMTU_BLACKHOLE));
}

TEST_F(CapabilitySuiteTest, Ipv6PathThatNeverAnswersIsV6Broken) {
  for (const char* p : {"/small", "/large", "/whoami"}) {
    v6_->Handle(p, Behaviour::NeverRespond());
  }
  settings_.set_http_timeout_ms(300);
  settings_.add_opt_out("HTTP_DUAL_STACK");  // Would stall on v6 as well.
  RunProto run = Measure();
  EXPECT_EQ(Find(run, v6scope::v1::HTTP_V6_ONLY).outcome(),
            v6scope::v1::TIMEOUT);
  EXPECT_EQ(Find(run, v6scope::v1::HTTP_V4_ONLY).outcome(), v6scope::v1::OK);
  EXPECT_EQ(Find(run, v6scope::v1::HTTP_DUAL_STACK).outcome(),
            v6scope::v1::SKIPPED);
  EXPECT_EQ(run.verdict().capability(), v6scope::v1::V6_BROKEN);
  // Methodology 1 said BROKEN_V6_PATH; 2 says which: a silent path.
  EXPECT_THAT(Causes(run), Contains(v6scope::v1::V6_BLACKHOLE));
  EXPECT_THAT(Causes(run),
              ::testing::Not(Contains(v6scope::v1::BROKEN_V6_PATH)));
}

TEST_F(CapabilitySuiteTest, SynthesizedIpv4onlyArpaRevealsNat64Prefix) {
  dns_->SetAddresses("ipv4only.arpa",
                     {Ip("64:ff9b::c000:aa"), Ip("64:ff9b::c000:ab")});
  RunProto run = Measure();
  EXPECT_EQ(run.nat64_prefix(), "64:ff9b::/96");
  EXPECT_THAT(Causes(run), Contains(v6scope::v1::NAT64));
}

TEST_F(CapabilitySuiteTest, ResolverWithoutIpv6TransportIsResolverNoV6) {
  dns_->SetReply("ns6.test", dns::testing::kDnsTypeA,
                 ScriptedReply::ServFail());
  RunProto run = Measure();
  EXPECT_EQ(Find(run, v6scope::v1::DNS_V6NS).outcome(),
            v6scope::v1::DNS_SERVFAIL);
  EXPECT_EQ(Find(run, v6scope::v1::DNS_V6NS).dns_rcode(), 2u);
  EXPECT_THAT(Causes(run), Contains(v6scope::v1::RESOLVER_NO_V6));
}

TEST_F(CapabilitySuiteTest, SilentResolverTimesOutWithoutHangingTheRun) {
  dns_->SetDefaultReply(ScriptedReply::NeverAnswer());
  for (const char* name :
       {"ds.test", "v4.test", "v6.test", "ns6.test", "ipv4only.arpa"}) {
    for (uint16_t type :
         {dns::testing::kDnsTypeA, dns::testing::kDnsTypeAAAA}) {
      dns_->SetReply(name, type, ScriptedReply::NeverAnswer());
    }
  }
  RunProto run = Measure();
  EXPECT_EQ(Find(run, v6scope::v1::DNS_A).outcome(), v6scope::v1::TIMEOUT);
  EXPECT_EQ(Find(run, v6scope::v1::HTTP_V6_ONLY).outcome(),
            v6scope::v1::TIMEOUT);
  // Only the literal needs no DNS.
  EXPECT_EQ(Find(run, v6scope::v1::HTTP_V6_LITERAL).outcome(), v6scope::v1::OK);
}

TEST_F(CapabilitySuiteTest, OptedOutTestsAreSkippedAndNeverSent) {
  settings_.add_opt_out("HTTP_V6_LARGE");
  RunProto run = Measure();
  EXPECT_EQ(Find(run, v6scope::v1::HTTP_V6_LARGE).outcome(),
            v6scope::v1::SKIPPED);
  EXPECT_EQ(v6_->RequestCount("/large"), 0);
}

TEST_F(CapabilitySuiteTest, NamesAreResolvedOncePerRun) {
  Measure();
  // v6.test AAAA serves four tests (v6-only, large, who-am-I) but is asked
  // once: every test of a run sees the same answer.
  EXPECT_EQ(dns_->QueryCount("v6.test", dns::testing::kDnsTypeAAAA,
                             dns::testing::DnsTransport::kUdp),
            1);
}

TEST(ValidateProbeSettingsTest, FillsDefaultsAndNamesBadFields) {
  v6scope::v1::ProbeSettings s;
  *s.mutable_targets() = LoopbackTargets(8080);
  ASSERT_TRUE(ValidateProbeSettings(&s).ok());
  EXPECT_EQ(s.dns_timeout_ms(), 2000u);
  EXPECT_EQ(s.http_timeout_ms(), 4000u);
  EXPECT_EQ(s.connect_timeout_ms(), 3000u);
  EXPECT_EQ(s.stall_timeout_ms(), 2000u);
  EXPECT_EQ(s.large_read_limit_bytes(), 262144u);
  EXPECT_EQ(s.targets().whoami_path(), "/whoami");

  v6scope::v1::ProbeSettings bad = s;
  bad.mutable_targets()->set_scheme("gopher");
  EXPECT_THAT(ValidateProbeSettings(&bad).message(),
              HasSubstr("targets.scheme"));
  bad = s;
  bad.mutable_targets()->set_v6_literal("192.0.2.1");
  EXPECT_THAT(ValidateProbeSettings(&bad).message(),
              HasSubstr("targets.v6_literal"));
  bad = s;
  bad.add_opt_out("NOT_A_TEST");
  EXPECT_THAT(ValidateProbeSettings(&bad).message(), HasSubstr("NOT_A_TEST"));
  bad = s;
  bad.mutable_targets()->clear_v6_only_host();
  EXPECT_FALSE(ValidateProbeSettings(&bad).ok());
}

TEST(ValidateProbeSettingsTest, BoundsTheTimingSettings) {
  v6scope::v1::ProbeSettings s;
  *s.mutable_targets() = LoopbackTargets(8080);
  v6scope::v1::ProbeSettings t = s;
  t.set_http_timeout_ms(1000);  // The default connect deadline follows.
  ASSERT_TRUE(ValidateProbeSettings(&t).ok());
  EXPECT_EQ(t.connect_timeout_ms(), 1000u);

  v6scope::v1::ProbeSettings bad = s;
  bad.set_connect_timeout_ms(5000);
  EXPECT_THAT(ValidateProbeSettings(&bad).message(),
              HasSubstr("connect_timeout_ms: 5000 above http_timeout_ms 4000"));
  bad = s;
  bad.set_stall_timeout_ms(199);
  EXPECT_THAT(ValidateProbeSettings(&bad).message(),
              HasSubstr("stall_timeout_ms: 199 below 200"));
  bad = s;
  bad.set_large_read_limit_bytes(16383);
  EXPECT_THAT(ValidateProbeSettings(&bad).message(),
              HasSubstr("large_read_limit_bytes: 16383 outside"));
  bad = s;
  bad.set_large_read_limit_bytes(64 * 1024 * 1024 + 1);
  EXPECT_THAT(ValidateProbeSettings(&bad).message(),
              HasSubstr("large_read_limit_bytes"));
  v6scope::v1::ProbeSettings edge = s;
  edge.set_stall_timeout_ms(200);
  edge.set_large_read_limit_bytes(16 * 1024);
  edge.set_connect_timeout_ms(4000);
  EXPECT_TRUE(ValidateProbeSettings(&edge).ok());
}

// A target the collector would refuse is refused at probe start, naming
// it, instead of making every run undeliverable.
TEST(ValidateProbeSettingsTest, RefusesTargetsTheCollectorWouldRefuse) {
  v6scope::v1::ProbeSettings s;
  *s.mutable_targets() = LoopbackTargets(8080);
  v6scope::v1::ProbeSettings bad = s;
  bad.mutable_targets()->set_dual_stack_host("ds host.example");
  absl::Status st = ValidateProbeSettings(&bad);
  EXPECT_TRUE(absl::IsInvalidArgument(st));
  EXPECT_THAT(st.message(), HasSubstr("\"ds host.example\""));
  bad = s;
  bad.mutable_targets()->set_large_path("/large\n");
  EXPECT_THAT(ValidateProbeSettings(&bad).message(), HasSubstr("\\x0a"));
  bad = s;
  bad.mutable_targets()->set_small_path("/" + std::string(300, 'a'));
  EXPECT_THAT(ValidateProbeSettings(&bad).message(),
              HasSubstr("longer than 255 bytes"));
  bad = s;
  bad.mutable_targets()->set_name("caf\xc3\xa9");
  EXPECT_THAT(ValidateProbeSettings(&bad).message(), HasSubstr("targets.name"));
}

}  // namespace
}  // namespace v6scope::probe::suite
