// A whole capability run on a fake network and a fake clock
// (testing/fake_network.h): for each way a path can fail (black hole,
// stall, ICMP rejection, silent resolver), the run ends within methodology
// 2's bound of 6 s with the default settings, and it ends when its slowest
// test does. Also the NAT64 fetch (HTTP_NAT64) through the generic HTTP
// runner, with and without DNS64.
#include <algorithm>
#include <memory>
#include <string>

#include "absl/time/time.h"
#include "google/protobuf/util/time_util.h"
#include "gtest/gtest.h"
#include "methodology/kinds/registry.h"
#include "probe/suite/capability_suite.h"
#include "probe/suite/testing/fake_network.h"

namespace v6scope::probe::suite {
namespace {

using google::protobuf::util::TimeUtil;
using testing::FakeNetwork;
using testing::PathBehaviour;
using RunProto = v6scope::v1::Run;
using v6scope::v1::TestKind;
using v6scope::v1::TestResult;

constexpr absl::Duration kV2Bound = absl::Seconds(6);

const TestResult& Find(const RunProto& run, TestKind kind) {
  static const TestResult kMissing;
  for (const TestResult& t : run.tests()) {
    if (t.kind() == kind) return t;
  }
  ADD_FAILURE() << "no test " << v6scope::v1::TestKind_Name(kind);
  return kMissing;
}

absl::Duration RunTime(const RunProto& run) {
  return absl::Microseconds(
      TimeUtil::DurationToMicroseconds(run.finished_at() - run.started_at()));
}

absl::Duration SlowestTest(const RunProto& run) {
  uint32_t us = 0;
  for (const TestResult& t : run.tests()) {
    us = std::max(us, t.timings().total_us());
  }
  return absl::Microseconds(us);
}

class RunTimeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto loop = loop::EventLoop::Create();
    ASSERT_TRUE(loop.ok()) << loop.status();
    loop_ = std::move(*loop);
    v6scope::v1::TargetSet* t = settings_.mutable_targets();
    t->set_name("fake");
    t->set_dual_stack_host("ds.test");
    t->set_v4_only_host("v4.test");
    t->set_v6_only_host("v6.test");
    t->set_v6ns_host("ns6.test");
    t->set_v6_literal("3ffe::80");
    ASSERT_TRUE(ValidateProbeSettings(&settings_).ok());
    net_ = std::make_unique<FakeNetwork>(
        loop_.get(), absl::Milliseconds(settings_.dns_timeout_ms()));
    DualStack();
  }

  // A healthy dual-stack network, in the public test spaces.
  void DualStack() {
    net_->SetAddresses("ds.test", {"11.0.0.80", "3ffe::80"});
    net_->SetAddresses("v4.test", {"11.0.0.81"});
    net_->SetAddresses("v6.test", {"3ffe::81"});
    net_->SetAddresses("ns6.test", {"11.0.0.82"});
    net_->SetNoData("ipv4only.arpa", dns::DnsType::kAAAA);
    net_->SetRoute("11.0.0.0/8", PathBehaviour::Working());
    net_->SetRoute("3ffe::/16", PathBehaviour::Working());
    inventory_.set_v4_private(1);
    inventory_.set_v6_global_native(1);
    inventory_.set_v4_default_route(true);
    inventory_.set_v6_default_route(true);
  }

  // An IPv6-only host whose resolver does DNS64 with 64:ff9b::/96.
  void V6OnlyWithDns64() {
    net_->SetAddresses("v4.test", {"11.0.0.81", "64:ff9b::b00:51"});
    net_->SetAddresses("ds.test", {"3ffe::80"});
    net_->SetAddresses("ipv4only.arpa",
                       {"64:ff9b::c000:aa", "64:ff9b::c000:ab"});
    net_->SetRoute("11.0.0.0/8",
                   PathBehaviour::Rejected(v6scope::v1::NETWORK_UNREACHABLE));
    inventory_.set_v4_private(0);
    inventory_.set_v4_default_route(false);
  }

  // Every lookup answers just before the DNS deadline.
  void SlowResolver() {
    slow_dns_ = absl::Milliseconds(settings_.dns_timeout_ms() - 100);
  }

  RunProto Measure() {
    if (slow_dns_ > absl::ZeroDuration()) ApplySlowDns();
    CapabilitySuite::Deps deps;
    deps.loop = loop_.get();
    deps.resolver = net_->resolver();
    deps.fetcher = net_->fetcher();
    deps.clock = net_->clock();
    deps.read_inventory = [this] {
      return absl::StatusOr<v6scope::v1::AddressInventory>(inventory_);
    };
    CapabilitySuite suite(deps, settings_);
    absl::StatusOr<RunProto> run = suite.RunOnce();
    EXPECT_TRUE(run.ok()) << run.status();
    return run.ok() ? *run : RunProto();
  }

  // The run ends within the bound, and exactly when its slowest test does:
  // no test waits for another, nothing waits after the last.
  static void ExpectWithinBound(const RunProto& run) {
    EXPECT_LE(RunTime(run), kV2Bound);
    EXPECT_EQ(RunTime(run), SlowestTest(run));
  }

  std::unique_ptr<loop::EventLoop> loop_;
  std::unique_ptr<FakeNetwork> net_;
  v6scope::v1::ProbeSettings settings_;
  v6scope::v1::AddressInventory inventory_;
  absl::Duration slow_dns_;

 private:
  void ApplySlowDns();
};

void RunTimeTest::ApplySlowDns() {
  // Re-scripts every answer of the dual-stack network with the delay.
  auto slow = [&](const std::string& name, const std::vector<std::string>& v4,
                  const std::vector<std::string>& v6) {
    for (dns::DnsType type : {dns::DnsType::kA, dns::DnsType::kAAAA}) {
      testing::DnsBehaviour b;
      for (const std::string& a : type == dns::DnsType::kA ? v4 : v6) {
        b.addresses.push_back(*net::IpAddress::Parse(a));
      }
      if (b.addresses.empty()) b.outcome = v6scope::v1::DNS_NODATA;
      b.delay = slow_dns_;
      net_->SetDns(name, type, b);
    }
  };
  slow("ds.test", {"11.0.0.80"}, {"3ffe::80"});
  slow("v4.test", {"11.0.0.81"}, {});
  slow("v6.test", {}, {"3ffe::81"});
  slow("ns6.test", {"11.0.0.82"}, {});
  slow("ipv4only.arpa", {}, {});
}

TEST_F(RunTimeTest, DefaultsAreMethodologyTwos) {
  EXPECT_EQ(settings_.dns_timeout_ms(), 2000u);
  EXPECT_EQ(settings_.http_timeout_ms(), 4000u);
  EXPECT_EQ(settings_.connect_timeout_ms(), 3000u);
  EXPECT_EQ(settings_.stall_timeout_ms(), 2000u);
  EXPECT_EQ(settings_.large_read_limit_bytes(), 262144u);
}

TEST_F(RunTimeTest,
       HealthyDualStackRunIsQuickAndReadsTheLargeObjectToItsLimit) {
  RunProto run = Measure();
  for (const TestResult& t : run.tests()) {
    if (t.kind() == v6scope::v1::DNS_NAT64) continue;
    if (t.kind() == v6scope::v1::HTTP_NAT64) continue;
    EXPECT_EQ(t.outcome(), v6scope::v1::OK)
        << v6scope::v1::TestKind_Name(t.kind()) << ": " << t.error_detail();
  }
  const TestResult& large = Find(run, v6scope::v1::HTTP_V6_LARGE);
  EXPECT_EQ(large.bytes_received(), 262144u);
  EXPECT_EQ(large.http_status(), 206u);
  EXPECT_LT(RunTime(run), absl::Milliseconds(500));
  ExpectWithinBound(run);
}

TEST_F(RunTimeTest, Ipv6BlackholeEndsAtTheConnectDeadline) {
  net_->SetRoute("3ffe::/16", PathBehaviour::Blackhole());
  RunProto run = Measure();
  const TestResult& v6 = Find(run, v6scope::v1::HTTP_V6_ONLY);
  EXPECT_EQ(v6.outcome(), v6scope::v1::TIMEOUT);
  EXPECT_EQ(v6.used_address(), "3ffe::81");
  EXPECT_EQ(v6.used_family(), v6scope::v1::IPV6);
  EXPECT_EQ(v6.timings().connect_us(), 0u);
  // Happy eyeballs: the dual-stack fetch falls back to IPv4.
  EXPECT_EQ(Find(run, v6scope::v1::HTTP_DUAL_STACK).used_family(),
            v6scope::v1::IPV4);
  EXPECT_EQ(Find(run, v6scope::v1::HTTP_V4_ONLY).outcome(), v6scope::v1::OK);
  ExpectWithinBound(run);
  EXPECT_LE(RunTime(run), absl::Milliseconds(3100));
}

TEST_F(RunTimeTest, Ipv6StallEndsAfterTheStallWindow) {
  net_->SetRoute("3ffe::/16", PathBehaviour::Stall(0));
  RunProto run = Measure();
  const TestResult& v6 = Find(run, v6scope::v1::HTTP_V6_ONLY);
  EXPECT_EQ(v6.outcome(), v6scope::v1::STALLED);
  EXPECT_GT(v6.timings().connect_us(), 0u);
  EXPECT_EQ(v6.timings().first_byte_us(), 0u);
  ExpectWithinBound(run);
}

TEST_F(RunTimeTest, PmtuBlackholeStallsOnlyTheLargeObject) {
  net_->SetRoute("3ffe::/16", PathBehaviour::LargeStalls(14'000));
  RunProto run = Measure();
  const TestResult& large = Find(run, v6scope::v1::HTTP_V6_LARGE);
  EXPECT_EQ(large.outcome(), v6scope::v1::STALLED);
  EXPECT_EQ(large.bytes_received(), 14'000u);
  EXPECT_EQ(Find(run, v6scope::v1::HTTP_V6_ONLY).outcome(), v6scope::v1::OK);
  ExpectWithinBound(run);
}

TEST_F(RunTimeTest, SlowButSteadyLargeObjectIsOk) {
  net_->SetRoute("3ffe::/16", PathBehaviour::Slow(200'000));  // 200 kB/s.
  RunProto run = Measure();
  const TestResult& large = Find(run, v6scope::v1::HTTP_V6_LARGE);
  EXPECT_EQ(large.outcome(), v6scope::v1::OK) << large.error_detail();
  EXPECT_EQ(large.bytes_received(), 262144u);
  ExpectWithinBound(run);
}

TEST_F(RunTimeTest, RejectedIpv6EndsAtOnceWithTheAddressThatFailed) {
  for (v6scope::v1::Outcome o :
       {v6scope::v1::NETWORK_UNREACHABLE, v6scope::v1::HOST_UNREACHABLE,
        v6scope::v1::ADMIN_PROHIBITED}) {
    net_->SetRoute("3ffe::/16", PathBehaviour::Rejected(o));
    RunProto run = Measure();
    const TestResult& v6 = Find(run, v6scope::v1::HTTP_V6_ONLY);
    EXPECT_EQ(v6.outcome(), o);
    EXPECT_EQ(v6.used_address(), "3ffe::81");
    EXPECT_EQ(v6.used_family(), v6scope::v1::IPV6);
    ExpectWithinBound(run);
    EXPECT_LT(RunTime(run), absl::Milliseconds(500));
  }
}

TEST_F(RunTimeTest, Ipv4BlackholeEndsAtTheConnectDeadline) {
  net_->SetRoute("11.0.0.0/8", PathBehaviour::Blackhole());
  RunProto run = Measure();
  const TestResult& v4 = Find(run, v6scope::v1::HTTP_V4_ONLY);
  EXPECT_EQ(v4.outcome(), v6scope::v1::TIMEOUT);
  EXPECT_EQ(v4.used_address(), "11.0.0.81");
  EXPECT_EQ(v4.used_family(), v6scope::v1::IPV4);
  EXPECT_EQ(Find(run, v6scope::v1::HTTP_WHOAMI_V4).outcome(),
            v6scope::v1::TIMEOUT);
  ExpectWithinBound(run);
}

TEST_F(RunTimeTest, SilentResolverEndsAtTheDnsDeadline) {
  for (const char* name :
       {"ds.test", "v4.test", "v6.test", "ns6.test", "ipv4only.arpa"}) {
    net_->SetSilent(name, dns::DnsType::kA);
    net_->SetSilent(name, dns::DnsType::kAAAA);
  }
  RunProto run = Measure();
  EXPECT_EQ(Find(run, v6scope::v1::DNS_A).outcome(), v6scope::v1::TIMEOUT);
  EXPECT_EQ(Find(run, v6scope::v1::HTTP_V6_ONLY).outcome(),
            v6scope::v1::TIMEOUT);
  EXPECT_EQ(RunTime(run), absl::Seconds(2));
  ExpectWithinBound(run);
}

// The worst case: every answer just before the DNS deadline, then each
// failure mode at its own deadline.
TEST_F(RunTimeTest, SlowResolverThenEachFailureStillEndsWithinSixSeconds) {
  SlowResolver();
  for (PathBehaviour path :
       {PathBehaviour::Blackhole(), PathBehaviour::Stall(0),
        PathBehaviour::Stall(1'000), PathBehaviour::LargeStalls(14'000),
        PathBehaviour::Slow(200'000),
        PathBehaviour::Rejected(v6scope::v1::NETWORK_UNREACHABLE)}) {
    net_->SetRoute("3ffe::/16", path);
    RunProto run = Measure();
    ExpectWithinBound(run);
    EXPECT_GE(RunTime(run), slow_dns_);
  }
}

// A large object too slow for its deadline (20 kB/s) is cut by the fetch
// deadline, which methodology 2 makes the same for every kind.
TEST_F(RunTimeTest, SlowResolverThenLargeObjectCutAtTheFetchDeadline) {
  const auto* large = methodology::kinds::FindKind(v6scope::v1::HTTP_V6_LARGE);
  ASSERT_NE(large, nullptr);
  if (large->timeout_factor != 1) {
    GTEST_SKIP() << "HTTP_V6_LARGE still has methodology 1's timeout factor "
                 << large->timeout_factor << " (methodology/kinds)";
  }
  SlowResolver();
  net_->SetRoute("3ffe::/16", PathBehaviour::Slow(20'000));
  RunProto run = Measure();
  EXPECT_EQ(Find(run, v6scope::v1::HTTP_V6_LARGE).outcome(),
            v6scope::v1::TIMEOUT);
  ExpectWithinBound(run);
}

const methodology::kinds::KindSpec* Nat64Spec() {
  return methodology::kinds::FindKind(v6scope::v1::HTTP_NAT64);
}

// HTTP_NAT64 goes through the generic kHttpFetch runner: no NAT64 code in
// the suite. (The spec is methodology/kinds/http_nat64.cc.)
TEST_F(RunTimeTest, Nat64FetchUsesTheSynthesizedAddress) {
  if (Nat64Spec() == nullptr) GTEST_SKIP() << "HTTP_NAT64 not registered";
  V6OnlyWithDns64();
  net_->SetRoute("64:ff9b::/96", PathBehaviour::Working());
  RunProto run = Measure();
  EXPECT_EQ(run.nat64_prefix(), "64:ff9b::/96");
  const TestResult& nat64 = Find(run, v6scope::v1::HTTP_NAT64);
  EXPECT_EQ(nat64.outcome(), v6scope::v1::OK) << nat64.error_detail();
  EXPECT_EQ(nat64.family(), v6scope::v1::IPV6);
  EXPECT_EQ(nat64.used_address(), "64:ff9b::b00:51");
  EXPECT_EQ(nat64.used_family(), v6scope::v1::IPV6);
  ExpectWithinBound(run);
}

TEST_F(RunTimeTest, BrokenNat64RecordsTheSynthesizedAddressThatFailed) {
  if (Nat64Spec() == nullptr) GTEST_SKIP() << "HTTP_NAT64 not registered";
  V6OnlyWithDns64();
  net_->SetRoute("64:ff9b::/96",
                 PathBehaviour::Rejected(v6scope::v1::NETWORK_UNREACHABLE));
  RunProto run = Measure();
  const TestResult& nat64 = Find(run, v6scope::v1::HTTP_NAT64);
  EXPECT_EQ(nat64.outcome(), v6scope::v1::NETWORK_UNREACHABLE);
  EXPECT_EQ(nat64.used_address(), "64:ff9b::b00:51");
  EXPECT_EQ(nat64.used_family(), v6scope::v1::IPV6);
  ExpectWithinBound(run);
}

TEST_F(RunTimeTest, WithoutDns64TheNat64FetchEndsAtTheDnsAnswer) {
  if (Nat64Spec() == nullptr) GTEST_SKIP() << "HTTP_NAT64 not registered";
  RunProto run = Measure();  // Dual stack: v4.test has no AAAA.
  const TestResult& nat64 = Find(run, v6scope::v1::HTTP_NAT64);
  EXPECT_EQ(nat64.outcome(), v6scope::v1::DNS_NODATA);
  EXPECT_EQ(nat64.used_address(), "");
  EXPECT_LE(nat64.timings().total_us(), nat64.timings().dns_us());
  EXPECT_LT(absl::Microseconds(nat64.timings().total_us()),
            absl::Milliseconds(100));
}

}  // namespace
}  // namespace v6scope::probe::suite
