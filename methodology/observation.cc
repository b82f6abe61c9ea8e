#include "methodology/observation.h"

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "methodology/kinds/registry.h"
#include "methodology/verdict.h"
#include "proto/results.pb.h"

namespace v6scope::methodology {
namespace {

using ::v6scope::v1::Capability;

ResolverV6 ReadResolverV6(const v6scope::v1::Run& run) {
  // The first test of the resolver-v6-transport kind (DNS_V6NS) counts, as
  // in the verdict (E1).
  const v6scope::v1::TestKind v6ns =
      kinds::SoleKindWith(kinds::Role::kResolverV6Transport);
  for (const v6scope::v1::TestResult& test : run.tests()) {
    if (test.kind() != v6ns) continue;
    if (test.outcome() == v6scope::v1::OUTCOME_UNSPECIFIED) {
      return ResolverV6::kNotTested;
    }
    return test.outcome() == v6scope::v1::OK ? ResolverV6::kYes
                                             : ResolverV6::kNo;
  }
  return ResolverV6::kNotTested;
}

}  // namespace

const std::vector<std::string>& KnownMethodologyVersions() {
  static const auto* const kVersions = new std::vector<std::string>{"1", "2"};
  return *kVersions;
}

bool IsKnownMethodologyVersion(const std::string& version) {
  const std::vector<std::string>& known = KnownMethodologyVersions();
  return std::find(known.begin(), known.end(), version) != known.end();
}

Observation Observe(const v6scope::v1::Run& run) {
  Observation o;
  o.capability = run.verdict().capability();
  for (int cause : run.verdict().root_causes()) {
    if (cause > 0 && cause < 32) o.root_causes |= 1u << cause;
  }
  o.resolver_v6 = ReadResolverV6(run);
  const std::optional<absl::Duration> gap = HandshakeGap(run);
  if (gap.has_value()) o.gap_us = absl::ToInt64Microseconds(*gap);
  o.asn = run.attribution().asn();
  o.country = run.attribution().country();
  o.methodology_version = run.verdict().methodology_version();
  return o;
}

bool IsMeasured(const Observation& o) {
  return o.capability != v6scope::v1::CAPABILITY_UNSPECIFIED &&
         o.capability != v6scope::v1::OFFLINE;
}

bool IsV6Capable(const Observation& o) {
  return IsV6Preferred(o) || o.capability == v6scope::v1::V6_CAPABLE ||
         o.capability == v6scope::v1::V4_BROKEN;
}

bool IsV6Preferred(const Observation& o) {
  const Capability c = o.capability;
  return c == v6scope::v1::V6_PREFERRED || c == v6scope::v1::V6_ONLY ||
         c == v6scope::v1::V6_ONLY_NAT64;
}

bool IsV6Broken(const Observation& o) {
  return o.capability == v6scope::v1::V6_BROKEN;
}

bool IsV4Broken(const Observation& o) {
  return o.capability == v6scope::v1::V4_BROKEN;
}

bool IsPmtuBroken(const Observation& o) {
  return o.HasCause(v6scope::v1::PMTU_BLACKHOLE);
}

bool IsBehindNat64(const Observation& o) {
  return o.capability == v6scope::v1::V6_ONLY_NAT64 ||
         o.HasCause(v6scope::v1::NAT64) ||
         o.HasCause(v6scope::v1::NAT64_BROKEN);
}

}  // namespace v6scope::methodology
