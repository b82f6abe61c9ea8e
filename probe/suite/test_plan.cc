#include "probe/suite/test_plan.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "common/net/ip_address.h"
#include "methodology/kinds/registry.h"

namespace v6scope::probe::suite {
namespace {

using methodology::kinds::KindSpec;
using methodology::kinds::Object;
using methodology::kinds::Target;
using methodology::kinds::TimeoutBase;

std::string ObjectPath(Object object, const v6scope::v1::TargetSet& t) {
  switch (object) {
    case Object::kNone:
      return "";
    case Object::kSmall:
      return t.small_path();
    case Object::kLarge:
      return t.large_path();
    case Object::kWhoami:
      return t.whoami_path();
  }
  return "";
}

absl::Duration Timeout(const KindSpec& spec,
                       const v6scope::v1::ProbeSettings& s) {
  const uint32_t base_ms = spec.timeout_base == TimeoutBase::kDns
                               ? s.dns_timeout_ms()
                               : s.http_timeout_ms();
  return spec.timeout_factor * absl::Milliseconds(base_ms);
}

}  // namespace

std::string TargetHost(Target target, const v6scope::v1::TargetSet& t) {
  switch (target) {
    case Target::kDualStackName:
      return t.dual_stack_host();
    case Target::kV4OnlyName:
      return t.v4_only_host();
    case Target::kV6OnlyName:
      return t.v6_only_host();
    case Target::kV6nsName:
      return t.v6ns_host();
    case Target::kNat64DiscoveryName:
      // "-" turns the discovery off (proto/config.proto).
      return t.nat64_discovery_name() == "-" ? "" : t.nat64_discovery_name();
    case Target::kV6Literal:
      return t.v6_literal();
  }
  return "";
}

std::vector<PlannedTest> PlanRun(const v6scope::v1::ProbeSettings& settings) {
  std::vector<PlannedTest> plan;
  for (const KindSpec* spec : methodology::kinds::AllKinds()) {
    PlannedTest test;
    test.spec = spec;
    test.host = TargetHost(spec->target, settings.targets());
    if (test.host.empty()) continue;
    test.path = ObjectPath(spec->object, settings.targets());
    test.timeout = Timeout(*spec, settings);
    plan.push_back(std::move(test));
  }
  return plan;
}

std::string TestTarget(const PlannedTest& test,
                       const v6scope::v1::TargetSet& targets) {
  if (test.path.empty()) return test.host;
  auto addr = net::IpAddress::Parse(test.host);
  const std::string h = addr.ok() && addr->is_v6()
                            ? absl::StrCat("[", test.host, "]")
                            : test.host;
  return absl::StrCat(targets.scheme(), "://", h, ":", targets.port(),
                      test.path);
}

absl::Duration RunBound(const std::vector<PlannedTest>& plan,
                        const v6scope::v1::ProbeSettings& settings) {
  const absl::Duration dns = absl::Milliseconds(settings.dns_timeout_ms());
  // A DNS test is one lookup, all its tries within dns_timeout_ms; a fetch
  // first waits for its A and AAAA lookups, which run side by side.
  absl::Duration slowest = dns;
  for (const PlannedTest& test : plan) {
    const bool fetch = test.spec->timeout_base == TimeoutBase::kHttp;
    slowest = std::max(slowest, fetch ? dns + test.timeout : test.timeout);
  }
  return slowest + absl::Seconds(5);
}

}  // namespace v6scope::probe::suite
