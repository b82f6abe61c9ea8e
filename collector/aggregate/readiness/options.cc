#include "collector/aggregate/readiness/options.h"

#include <algorithm>
#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "methodology/readiness/readiness.h"

namespace v6scope::collector::aggregate::readiness {

absl::StatusOr<Provenance> ProvenanceFor(
    const ReadinessAggregateOptions& options) {
  constexpr const char* kCurrent =
      methodology::readiness::kReadinessMethodologyVersion;
  Provenance p;
  p.methodology_version = options.methodology_version.empty()
                              ? std::string(kCurrent)
                              : options.methodology_version;
  // Only one readiness methodology exists; frozen ones join this check.
  if (p.methodology_version != kCurrent) {
    return absl::InvalidArgumentError(absl::StrCat(
        "methodology: unknown readiness version '", p.methodology_version,
        "' (one of: ", kCurrent, "; empty for the current one)"));
  }
  p.dataset_version = options.dataset_version;
  p.min_networks = std::max<uint32_t>(options.min_networks, 1);
  return p;
}

bool Counted(const DomainRollup& row, const Provenance& provenance) {
  return !row.key.country.empty() &&
         row.key.methodology_version == provenance.methodology_version;
}

bool Publishable(size_t networks, const Provenance& provenance) {
  return networks >= provenance.min_networks;
}

std::string WithheldReason(const Provenance& provenance) {
  return absl::StrCat(
      "withheld: measured from fewer than k = ", provenance.min_networks,
      " distinct probe networks (ASNs)");
}

}  // namespace v6scope::collector::aggregate::readiness
