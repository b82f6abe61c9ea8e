// The researchers' queries, shared by the gRPC QueryService and the HTTP
// JSON API so that both answer with the same numbers: aggregates from the
// rollups (never the raw runs) and the per-country allocation context.
#ifndef V6SCOPE_COLLECTOR_QUERY_AGGREGATE_QUERIES_H_
#define V6SCOPE_COLLECTOR_QUERY_AGGREGATE_QUERIES_H_

#include <cstdint>

#include "absl/status/statusor.h"
#include "collector/enrich/attribution.h"
#include "collector/store/probe_registry.h"
#include "collector/store/rollup_store.h"
#include "common/time/clock.h"
#include "proto/query_service.pb.h"

namespace v6scope::collector::query {

class AggregateQueries {
 public:
  // `attribution` may be null (no AS names, no allocation context).
  // `registry` marks sample-data probes and gives the newest run time
  // (AggregatesResponse.latest_run_at). Everything must outlive this
  // object. Thread-safe.
  AggregateQueries(store::RollupStore* store, store::ProbeRegistry* registry,
                   const enrich::AttributionHolder* attribution,
                   const time::Clock* clock, uint32_t min_probes);

  // INVALID_ARGUMENT names the offending field (windows, page_size,
  // page_token, region, country, group_by, window, methodology).
  absl::StatusOr<v6scope::v1::AggregatesResponse> Aggregates(
      const v6scope::v1::AggregatesRequest& request) const;

  absl::StatusOr<v6scope::v1::ListAllocationsResponse> Allocations(
      const v6scope::v1::ListAllocationsRequest& request) const;

  uint32_t min_probes() const { return min_probes_; }
  // The datasets in use now ("none" without attribution data).
  std::string datasets() const;

 private:
  store::RollupStore* const store_;
  store::ProbeRegistry* const registry_;
  const enrich::AttributionHolder* const attribution_;
  const time::Clock* const clock_;
  const uint32_t min_probes_;
};

// The methodology version published with every answer and export:
// "verdict 2 (counted probes may carry older verdicts: 1; see
// methodology_versions), aggregation 2". The verdict version is the newest
// the collector aggregates (methodology::KnownMethodologyVersions()).
std::string MethodologyVersion();

}  // namespace v6scope::collector::query

#endif  // V6SCOPE_COLLECTOR_QUERY_AGGREGATE_QUERIES_H_
