// Changes since the previous sweep: per (campaign, round, vantage country,
// service), the domains that gained IPv6 (the previous round's consensus
// was not SERVING_V6, this round's is) and those that lost it (the
// reverse). Only published views with a consensus state in both rounds
// are compared, and BROKEN_V4 on either side is not comparable (a site
// down over IPv4 says nothing of its IPv6). Pure: no store, no clock.
// docs/methodology.md §14.5.
#ifndef V6SCOPE_COLLECTOR_AGGREGATE_READINESS_CHANGES_H_
#define V6SCOPE_COLLECTOR_AGGREGATE_READINESS_CHANGES_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "collector/aggregate/readiness/options.h"
#include "collector/aggregate/readiness/rollup.h"
#include "proto/readiness.pb.h"

namespace v6scope::collector::aggregate::readiness {

struct DomainChange {
  std::string sector;
  std::string domain;
  v6scope::v1::ServiceState before = v6scope::v1::SERVICE_STATE_UNSPECIFIED;
  v6scope::v1::ServiceState after = v6scope::v1::SERVICE_STATE_UNSPECIFIED;

  friend bool operator==(const DomainChange& a, const DomainChange& b) {
    return a.sector == b.sector && a.domain == b.domain &&
           a.before == b.before && a.after == b.after;
  }
};

struct ServiceChanges {
  Provenance provenance;
  std::string campaign_id;
  uint32_t round = 0;
  // The country's previous round with counted results; 0: none (the first
  // sweep: nothing compared).
  uint32_t previous_round = 0;
  std::string country;
  Service service = Service::kWeb;
  // Domains of this round compared with the previous one, and those not
  // (absent before, withheld, split or untested in either round,
  // BROKEN_V4 on either side).
  uint64_t compared = 0;
  uint64_t not_compared = 0;
  // By (sector, domain).
  std::vector<DomainChange> gained;
  std::vector<DomainChange> lost;
};

// One record per (campaign, round, country, service) with counted rows in
// that round, in that order. A domain is matched across rounds by
// (sector, domain).
absl::StatusOr<std::vector<ServiceChanges>> ComputeChanges(
    absl::Span<const DomainRollup> rows,
    const ReadinessAggregateOptions& options);

}  // namespace v6scope::collector::aggregate::readiness

#endif  // V6SCOPE_COLLECTOR_AGGREGATE_READINESS_CHANGES_H_
