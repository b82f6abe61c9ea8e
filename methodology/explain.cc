#include "methodology/explain.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "methodology/evidence.h"
#include "methodology/explain_text.h"
#include "methodology/kinds/registry.h"
#include "methodology/run_view.h"
#include "proto/results.pb.h"

namespace v6scope::methodology {
namespace {

using kinds::Role;
using v6scope::v1::TestKind;
using v6scope::v1::TestResult;

// The IPv6-pinned fetch that shows why IPv6 failed: HTTP_V6_ONLY if it
// ran, else the first pinned test that ran.
std::string PinnedFailure(const RunTests& tests) {
  const TestKind by_name = kinds::SoleKindWith(Role::kV6ByName);
  if (Ran(tests.Get(by_name))) return DescribeTest(tests.Get(by_name), by_name);
  for (TestKind kind : kinds::KindsWith(Role::kV6Pinned)) {
    if (Ran(tests.Get(kind))) return DescribeTest(tests.Get(kind), kind);
  }
  return DescribeTest(nullptr, by_name);
}

std::string Unspecified(const ExplainInput& in) {
  if (!in.evidence.http_ran) {
    return "no HTTP fetch ran (each was skipped or absent), so reachability "
           "was not measured";
  }
  return absl::StrCat("the host has IPv6 (", DescribeV6Host(in.inventory),
                      ") but every IPv6-pinned test was skipped, so its IPv6 "
                      "was not measured");
}

std::string Offline(const ExplainInput& in) {
  std::string s = absl::StrCat("neither family reached the targets: ",
                               DescribeRole(in.tests, Role::kV4Content), "; ",
                               DescribeRole(in.tests, Role::kV6ByName));
  if (in.evidence.host.ula_only && in.evidence.v6_raw) {
    absl::StrAppend(&s,
                    "; IPv6 fetches from unique-local addresses do not "
                    "count");
  }
  return s;
}

std::string V6Only(const ExplainInput& in) {
  const Evidence& e = in.evidence;
  std::string s = absl::StrCat(
      "IPv6 works (", FirstOkOver(in.tests, v6scope::v1::IPV6),
      ") but IPv4 does not: ", DescribeRole(in.tests, Role::kV4Content));
  if (e.nat64_prefix.has_value()) {
    absl::StrAppend(&s, ", and the NAT64 path does not work");
  } else if (e.v4_via_v6 || e.nat64_fetch_ok) {
    absl::StrAppend(&s,
                    "; IPv4-only content is reached over IPv6, but "
                    "DNS_NAT64 found no NAT64 prefix");
  } else {
    absl::StrAppend(&s, ", and no NAT64 reaches IPv4-only content");
  }
  return s;
}

std::string V6OnlyNat64(const ExplainInput& in) {
  const Role via =
      in.evidence.nat64_fetch_ok ? Role::kNat64Path : Role::kV4Content;
  return absl::StrCat(
      "no native IPv4, but IPv4-only content is reached over IPv6 through "
      "the NAT64 prefix ",
      in.evidence.nat64_prefix.value_or("?"), ": ",
      DescribeRole(in.tests, via));
}

std::string V4Broken(const ExplainInput& in) {
  const Role failed = IsOutcome(in.tests.Get(Role::kV4Content), v6scope::v1::OK)
                          ? Role::kPublicAddressV4
                          : Role::kV4Content;
  return absl::StrCat(
      "the host has IPv4 (", DescribeV4Host(in.inventory),
      ") but IPv4 fails: ", DescribeRole(in.tests, failed),
      ", while IPv6 works: ", FirstOkOver(in.tests, v6scope::v1::IPV6));
}

std::string V6Broken(const ExplainInput& in) {
  const Evidence& e = in.evidence;
  const std::string host =
      absl::StrCat("the host has IPv6 (", DescribeV6Host(in.inventory), ")");
  if (!e.v6_raw) {
    return absl::StrCat(
        host, " but every IPv6-pinned fetch failed: ", PinnedFailure(in.tests));
  }
  if (e.host.ula_only) {
    return absl::StrCat(host,
                        " but its IPv6 fetches can only have used "
                        "unique-local sources, which do not reach the "
                        "internet, so they do not count");
  }
  return absl::StrCat(host,
                      " but the IPv6-only name was not fetched over "
                      "IPv6: ",
                      DescribeRole(in.tests, Role::kV6ByName));
}

}  // namespace

std::string FirstOkOver(const RunTests& tests,
                        v6scope::v1::AddressFamily family) {
  const TestKind v4_content = kinds::SoleKindWith(Role::kV4Content);
  for (TestKind kind : kinds::KindsWith(Role::kReachability)) {
    if (family == v6scope::v1::IPV6 && kind == v4_content) continue;
    const TestResult* test = tests.Get(kind);
    if (OkOver(test, family)) return DescribeTest(test, kind);
  }
  return family == v6scope::v1::IPV4 ? "no fetch worked over IPv4"
                                     : "no fetch worked over IPv6";
}

std::string ExplainCapability(const ExplainInput& in,
                              v6scope::v1::Capability capability) {
  switch (capability) {
    case v6scope::v1::OFFLINE:
      return Offline(in);
    case v6scope::v1::V4_BROKEN:
      return V4Broken(in);
    case v6scope::v1::V6_ONLY_NAT64:
      return V6OnlyNat64(in);
    case v6scope::v1::V6_ONLY:
      return V6Only(in);
    case v6scope::v1::V6_PREFERRED:
      return absl::StrCat("applications prefer IPv6: ",
                          DescribeRole(in.tests, Role::kDualStackPreference));
    case v6scope::v1::V6_CAPABLE:
      return absl::StrCat("IPv6 works by name (",
                          DescribeRole(in.tests, Role::kV6ByName),
                          ") but the dual-stack name did not go over IPv6: ",
                          DescribeRole(in.tests, Role::kDualStackPreference));
    case v6scope::v1::V6_BROKEN:
      return V6Broken(in);
    case v6scope::v1::V4_ONLY:
      return absl::StrCat(
          "the host has no IPv6 address beyond link-local and no IPv6 "
          "default route; IPv4 works: ",
          FirstOkOver(in.tests, v6scope::v1::IPV4));
    default:
      return Unspecified(in);
  }
}

void AddExplanations(const v6scope::v1::Run& run, const RunTests& tests,
                     const Evidence& evidence, const VerdictThresholds& t,
                     v6scope::v1::Verdict& verdict) {
  const ExplainInput in{run.inventory(), tests, evidence, t};
  v6scope::v1::Explanation* first = verdict.add_explanations();
  first->set_label(v6scope::v1::Capability_Name(verdict.capability()));
  first->set_text(Bounded(ExplainCapability(in, verdict.capability())));
  for (int cause : verdict.root_causes()) {
    const auto c = static_cast<v6scope::v1::RootCause>(cause);
    v6scope::v1::Explanation* x = verdict.add_explanations();
    x->set_label(v6scope::v1::RootCause_Name(c));
    x->set_text(Bounded(ExplainCause(in, c)));
  }
}

}  // namespace v6scope::methodology
