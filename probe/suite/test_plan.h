// The plan of one capability run: every registered measurement kind
// (methodology/kinds) resolved against the probe's target set and timeout
// settings. SuiteRun executes the plan with the runner each spec names;
// nothing in the probe lists kinds by hand.
#ifndef V6SCOPE_PROBE_SUITE_TEST_PLAN_H_
#define V6SCOPE_PROBE_SUITE_TEST_PLAN_H_

#include <string>
#include <vector>

#include "absl/time/time.h"
#include "methodology/kinds/kind_spec.h"
#include "proto/config.pb.h"

namespace v6scope::probe::suite {

struct PlannedTest {
  const methodology::kinds::KindSpec* spec = nullptr;
  // The name (or address literal) the test queries or fetches from.
  std::string host;
  // HTTP: the object's path on `host`; empty for DNS kinds.
  std::string path;
  // The test's deadline: the spec's factor times its timeout setting. DNS
  // deadlines are applied by the resolver itself (its timeout x tries is
  // dns_timeout_ms: probe/measurement.cc).
  absl::Duration timeout;
};

// The host a target of the target set names; empty when that target is
// optional and not configured (such a kind is left out of the run).
std::string TargetHost(methodology::kinds::Target target,
                       const v6scope::v1::TargetSet& targets);

// The tests of one run in registry (TestKind) order. `settings` must have
// passed ValidateProbeSettings.
std::vector<PlannedTest> PlanRun(const v6scope::v1::ProbeSettings& settings);

// What a run records as the test's target (TestResult.target): the host
// for a DNS kind, the URL fetched (an IPv6 literal in brackets) for an
// HTTP kind.
std::string TestTarget(const PlannedTest& test,
                       const v6scope::v1::TargetSet& targets);

// How long a whole run may take: the slowest planned test, counting the
// (concurrent) A and AAAA lookups that precede a fetch, plus 5 s of slack.
// Only a guard for the loop: every test has its own deadline, and a run
// ends when its slowest test does (with the defaults, 2 s + 4 s).
absl::Duration RunBound(const std::vector<PlannedTest>& plan,
                        const v6scope::v1::ProbeSettings& settings);

}  // namespace v6scope::probe::suite

#endif  // V6SCOPE_PROBE_SUITE_TEST_PLAN_H_
