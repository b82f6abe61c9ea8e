// Per domain, what each vantage country saw: the consensus of the
// country's probes per service (consensus.h), published only when the
// country's results come from at least k distinct probe networks; and the
// disagreements: domains whose consensus differs between countries (a
// site ready from one country and broken from another is a finding).
// Pure: no store, no clock. docs/methodology.md §14.2, §14.3.
#ifndef V6SCOPE_COLLECTOR_AGGREGATE_READINESS_DOMAIN_VIEWS_H_
#define V6SCOPE_COLLECTOR_AGGREGATE_READINESS_DOMAIN_VIEWS_H_

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "collector/aggregate/readiness/consensus.h"
#include "collector/aggregate/readiness/options.h"
#include "collector/aggregate/readiness/rollup.h"

namespace v6scope::collector::aggregate::readiness {

// One country's view of one domain in one round.
struct DomainView {
  Provenance provenance;
  DomainRollupKey key;
  bool withheld = false;        // Fewer than k networks: no numbers below.
  std::string withheld_reason;  // Set when withheld.
  uint64_t results = 0;
  uint32_t networks = 0;  // Distinct ASNs.
  std::array<StateCounts, kServiceCount> counts = {};
  std::array<Consensus, kServiceCount> consensus = {};

  const Consensus& of(Service service) const {
    return consensus[static_cast<int>(service)];
  }
};

// The views of the counted rows (options: methodology, k), in key order.
absl::StatusOr<std::vector<DomainView>> ComputeDomainViews(
    absl::Span<const DomainRollup> rows,
    const ReadinessAggregateOptions& options);
// The same with options already checked.
std::vector<DomainView> DomainViews(absl::Span<const DomainRollup> rows,
                                    const Provenance& provenance);

struct CountryState {
  std::string country;
  Consensus consensus;  // kState or kSplit.
  uint32_t networks = 0;
};

// A domain whose published country views disagree on a service.
struct Disagreement {
  Provenance provenance;
  std::string campaign_id;
  uint32_t round = 0;
  std::string sector;
  std::string domain;
  Service service = Service::kWeb;
  // Every published view that tested the service, by country: those with
  // a state (at least two distinct ones) and the split ones.
  std::vector<CountryState> countries;
  // Countries whose view was withheld (fewer than k networks).
  uint32_t withheld_countries = 0;
};

// Disagreements per (campaign, round, sector, domain, service), in that
// order. Two published consensus states that differ make one; split and
// untested views make none (they are listed when there is one).
absl::StatusOr<std::vector<Disagreement>> FindDisagreements(
    absl::Span<const DomainRollup> rows,
    const ReadinessAggregateOptions& options);

}  // namespace v6scope::collector::aggregate::readiness

#endif  // V6SCOPE_COLLECTOR_AGGREGATE_READINESS_DOMAIN_VIEWS_H_
