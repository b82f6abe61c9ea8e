// The collector's read path as its adapters see it: everything the gRPC
// QueryService and the HTTP JSON API answer comes from here, so both give
// the same answers under the same rules (paging, parameters, errors), and
// neither reads the store itself.
#ifndef V6SCOPE_COLLECTOR_QUERY_QUERIES_H_
#define V6SCOPE_COLLECTOR_QUERY_QUERIES_H_

#include <cstdint>

#include "collector/aggregate/readiness/options.h"
#include "collector/enrich/attribution.h"
#include "collector/query/aggregate_queries.h"
#include "collector/query/probe_queries.h"
#include "collector/query/readiness_queries.h"
#include "collector/query/run_queries.h"
#include "collector/store/readiness_rollup_store.h"
#include "collector/store/store.h"
#include "common/time/clock.h"

namespace v6scope::collector::query {

class Queries {
 public:
  // `attribution` may be null. `readiness` may be null too (a store that
  // keeps no readiness rollups: the readiness queries are UNAVAILABLE);
  // their answers name the attribution datasets as the aggregates do.
  // Everything must outlive this object. Thread-safe.
  // `readiness_min_networks` is the readiness aggregates' k.
  Queries(store::Store* store, const enrich::AttributionHolder* attribution,
          const time::Clock* clock, uint32_t min_probes,
          store::ReadinessRollupStore* readiness = nullptr,
          uint32_t readiness_min_networks =
              aggregate::readiness::kDefaultMinNetworks)
      : aggregates_(store, store, attribution, clock, min_probes),
        probes_(store, store, clock),
        runs_(store),
        readiness_(
            readiness, [this] { return aggregates_.datasets(); },
            readiness_min_networks, store) {}

  Queries(const Queries&) = delete;
  Queries& operator=(const Queries&) = delete;

  const AggregateQueries& aggregates() const { return aggregates_; }
  const ProbeQueries& probes() const { return probes_; }
  const RunQueries& runs() const { return runs_; }
  const ReadinessQueries& readiness() const { return readiness_; }

 private:
  const AggregateQueries aggregates_;
  const ProbeQueries probes_;
  const RunQueries runs_;
  const ReadinessQueries readiness_;
};

}  // namespace v6scope::collector::query

#endif  // V6SCOPE_COLLECTOR_QUERY_QUERIES_H_
