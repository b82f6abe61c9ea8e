// What every readiness aggregate is computed with and carries: the
// readiness methodology version counted, the aggregation rules' version,
// the dataset version the caller names, and k (docs/methodology.md §14).
#ifndef V6SCOPE_COLLECTOR_AGGREGATE_READINESS_OPTIONS_H_
#define V6SCOPE_COLLECTOR_AGGREGATE_READINESS_OPTIONS_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "collector/aggregate/readiness/rollup.h"

namespace v6scope::collector::aggregate::readiness {

// Version of the rules of docs/methodology.md §14 (consensus, shares'
// denominator, k, gained/lost). Bump it with any rule change.
inline constexpr char kReadinessAggregationVersion[] = "readiness aggregates 1";

// Default k: nothing is published from fewer distinct probe networks
// (ASNs), so a figure never describes one network's view (its firewall,
// its resolver) or one identifiable host. The capability aggregates count
// probes (kDefaultMinProbes, 3); readiness counts networks because every
// probe of a network sees the same paths.
inline constexpr uint32_t kDefaultMinNetworks = 3;

struct ReadinessAggregateOptions {
  // The readiness methodology whose verdicts are counted (rows of any
  // other version are left out); empty: the current one ("readiness 1").
  std::string methodology_version;
  uint32_t min_networks = kDefaultMinNetworks;  // k; 0 counts as 1.
  // Names the data the rows come from (e.g. the store's dataset version);
  // copied into every output as given.
  std::string dataset_version;
};

// Carried by every output record.
struct Provenance {
  std::string methodology_version;
  std::string aggregation_version = kReadinessAggregationVersion;
  std::string dataset_version;
  uint32_t min_networks = kDefaultMinNetworks;

  friend bool operator==(const Provenance& a, const Provenance& b) {
    return a.methodology_version == b.methodology_version &&
           a.aggregation_version == b.aggregation_version &&
           a.dataset_version == b.dataset_version &&
           a.min_networks == b.min_networks;
  }
};

// INVALID_ARGUMENT for a methodology version that is not a readiness one.
absl::StatusOr<Provenance> ProvenanceFor(
    const ReadinessAggregateOptions& options);

// Whether `row` counts: its methodology is the provenance's and its
// country is known (a result from a probe without a country counts in no
// country's figures).
bool Counted(const DomainRollup& row, const Provenance& provenance);

// Whether `networks` distinct ASNs reach k.
bool Publishable(size_t networks, const Provenance& provenance);

// The sentence a withheld record carries instead of numbers.
std::string WithheldReason(const Provenance& provenance);

}  // namespace v6scope::collector::aggregate::readiness

#endif  // V6SCOPE_COLLECTOR_AGGREGATE_READINESS_OPTIONS_H_
