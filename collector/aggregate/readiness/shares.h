// Per (campaign, round, vantage country, sector, service): the share of
// domains in each readiness state, over the domains with a consensus, with
// Wilson 95% intervals; withheld when the cell's results come from fewer
// than k distinct probe networks. And the same as a time series per round.
// Pure: no store, no clock. docs/methodology.md §14.3, §14.4, §14.6.
#ifndef V6SCOPE_COLLECTOR_AGGREGATE_READINESS_SHARES_H_
#define V6SCOPE_COLLECTOR_AGGREGATE_READINESS_SHARES_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "collector/aggregate/readiness/options.h"
#include "collector/aggregate/readiness/rollup.h"
#include "collector/aggregate/wilson.h"
#include "proto/readiness.pb.h"

namespace v6scope::collector::aggregate::readiness {

struct StateShare {
  v6scope::v1::ServiceState state = v6scope::v1::SERVICE_STATE_UNSPECIFIED;
  uint64_t domains = 0;  // Domains whose consensus is `state`.
  double value = 0;      // domains / n; 0 when n is 0.
  Interval ci;           // Wilson 95%; {0, 1} when n is 0.
};

struct ShareCell {
  Provenance provenance;
  std::string campaign_id;
  uint32_t round = 0;
  std::string country;
  std::string sector;
  Service service = Service::kWeb;
  bool withheld = false;        // Fewer than k networks: no numbers below.
  std::string withheld_reason;  // Set when withheld.
  uint32_t networks = 0;        // Distinct ASNs over the cell's results.
  uint64_t domains = 0;         // Domains measured (n + split + untested).
  uint64_t n = 0;               // Domains with a consensus: the denominator.
  uint64_t split = 0;           // Domains whose probes tied.
  uint64_t untested = 0;        // Domains no probe tested the service of.
  // One per state NO_SERVICE .. BROKEN_V4, in enum order, zeros included.
  std::vector<StateShare> shares;

  const StateShare& of(v6scope::v1::ServiceState state) const {
    return shares[static_cast<int>(state) - 1];
  }
};

// One cell per (campaign, round, country, sector, service) with counted
// rows, in that order (services web, dns, mail).
absl::StatusOr<std::vector<ShareCell>> ComputeShares(
    absl::Span<const DomainRollup> rows,
    const ReadinessAggregateOptions& options);

// The cells of one (campaign, country, sector, service) by round.
struct ShareSeries {
  Provenance provenance;
  std::string campaign_id;
  std::string country;
  std::string sector;
  Service service = Service::kWeb;
  std::vector<ShareCell> points;  // Ascending round; withheld ones kept.
};

// The series of every (campaign, country, sector, service), in that
// order.
absl::StatusOr<std::vector<ShareSeries>> ComputeShareSeries(
    absl::Span<const DomainRollup> rows,
    const ReadinessAggregateOptions& options);

}  // namespace v6scope::collector::aggregate::readiness

#endif  // V6SCOPE_COLLECTOR_AGGREGATE_READINESS_SHARES_H_
