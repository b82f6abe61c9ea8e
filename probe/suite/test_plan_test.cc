#include "probe/suite/test_plan.h"

#include <algorithm>
#include <vector>

#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "methodology/kinds/registry.h"
#include "proto/config.pb.h"

namespace v6scope::probe::suite {
namespace {

using methodology::kinds::AllKinds;
using methodology::kinds::KindSpec;
using methodology::kinds::Runner;
using methodology::kinds::Target;

v6scope::v1::ProbeSettings FullSettings() {
  v6scope::v1::ProbeSettings s;
  s.set_dns_timeout_ms(5000);
  s.set_http_timeout_ms(10000);
  v6scope::v1::TargetSet* t = s.mutable_targets();
  t->set_dual_stack_host("ds.example");
  t->set_v4_only_host("v4.example");
  t->set_v6_only_host("v6.example");
  t->set_v6ns_host("ns6.example");
  t->set_v6_literal("3ffe::80");
  t->set_nat64_discovery_name("ipv4only.arpa");
  t->set_small_path("/small");
  t->set_large_path("/large");
  t->set_whoami_path("/whoami");
  return s;
}

const PlannedTest* Find(const std::vector<PlannedTest>& plan,
                        v6scope::v1::TestKind kind) {
  for (const PlannedTest& p : plan) {
    if (p.spec->kind == kind) return &p;
  }
  return nullptr;
}

// Each runner family the probe has; a kind whose runner is not one of
// them would never be measured.
bool ProbeHasRunner(Runner runner) {
  switch (runner) {
    case Runner::kDnsLookup:
    case Runner::kHttpFetch:
    case Runner::kNat64Discovery:
      return true;
  }
  return false;
}

TEST(TestPlanTest, EveryRegisteredKindIsPlannedWithARunner) {
  const std::vector<PlannedTest> plan = PlanRun(FullSettings());
  ASSERT_EQ(plan.size(), AllKinds().size());
  for (size_t i = 0; i < plan.size(); ++i) {
    const KindSpec* spec = AllKinds()[i];
    EXPECT_EQ(plan[i].spec, spec) << "registry order";
    EXPECT_TRUE(ProbeHasRunner(spec->runner)) << spec->name;
    EXPECT_FALSE(plan[i].host.empty()) << spec->name;
    EXPECT_GT(plan[i].timeout, absl::ZeroDuration()) << spec->name;
    EXPECT_EQ(plan[i].path.empty(), spec->runner != Runner::kHttpFetch)
        << spec->name;
  }
}

TEST(TestPlanTest, SpecsResolveAgainstTheTargetSet) {
  const std::vector<PlannedTest> plan = PlanRun(FullSettings());
  const PlannedTest* large = Find(plan, v6scope::v1::HTTP_V6_LARGE);
  ASSERT_NE(large, nullptr);
  EXPECT_EQ(large->host, "v6.example");
  EXPECT_EQ(large->path, "/large");
  // The spec's factor times the setting, nothing else.
  EXPECT_EQ(large->timeout, large->spec->timeout_factor * absl::Seconds(10));
  const PlannedTest* whoami = Find(plan, v6scope::v1::HTTP_WHOAMI_V4);
  ASSERT_NE(whoami, nullptr);
  EXPECT_EQ(whoami->host, "v4.example");
  EXPECT_EQ(whoami->path, "/whoami");
  EXPECT_EQ(whoami->spec->keep_body_bytes, 64u);
  const PlannedTest* literal = Find(plan, v6scope::v1::HTTP_V6_LITERAL);
  ASSERT_NE(literal, nullptr);
  EXPECT_EQ(literal->host, "3ffe::80");
  const PlannedTest* v6ns = Find(plan, v6scope::v1::DNS_V6NS);
  ASSERT_NE(v6ns, nullptr);
  EXPECT_EQ(v6ns->host, "ns6.example");
  EXPECT_EQ(v6ns->timeout, absl::Seconds(5));
}

TEST(TestPlanTest, KindsWithUnconfiguredOptionalTargetsAreLeftOut) {
  v6scope::v1::ProbeSettings s = FullSettings();
  s.mutable_targets()->clear_v6ns_host();
  s.mutable_targets()->clear_v6_literal();
  s.mutable_targets()->set_nat64_discovery_name("-");
  const std::vector<PlannedTest> plan = PlanRun(s);
  for (const KindSpec* spec : AllKinds()) {
    const bool optional = spec->target == Target::kV6nsName ||
                          spec->target == Target::kV6Literal ||
                          spec->target == Target::kNat64DiscoveryName;
    EXPECT_EQ(Find(plan, spec->kind) == nullptr, optional) << spec->name;
  }
}

TEST(TestPlanTest, RunBoundCoversTheSlowestFetchAfterItsLookups) {
  const v6scope::v1::ProbeSettings s = FullSettings();
  const std::vector<PlannedTest> plan = PlanRun(s);
  absl::Duration slowest_fetch;
  for (const PlannedTest& p : plan) {
    if (p.spec->runner == Runner::kHttpFetch) {
      slowest_fetch = std::max(slowest_fetch, p.timeout);
    }
  }
  // The A and AAAA lookups (side by side, 5 s), the slowest fetch (10 s
  // once every kind has factor 1), and 5 s of slack.
  EXPECT_EQ(RunBound(plan, s),
            absl::Seconds(5) + slowest_fetch + absl::Seconds(5));
}

}  // namespace
}  // namespace v6scope::probe::suite
