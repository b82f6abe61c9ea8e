// The fleet as /metrics shows it, so that an office's Prometheus can say
// which probe went silent (deploy/prometheus/alerts.yml, docs/monitoring.md):
//
//   v6scope_collector_probe_last_run_timestamp_seconds{probe, org}
//       newest stored run of each probe not revoked (Unix time, 0: none)
//   v6scope_collector_probes{state="active"|"revoked"}
//       enrolled probes by state
//   v6scope_collector_probe_series_omitted
//       active probes left out of the per-probe gauge by the cap below
//
// All read from the store (through the read path) at scrape time.
// Cardinality: one series per active probe, at most `max_probe_series`
// (default 2000); beyond it the probes with the newest runs are left out
// first, so a silent probe always has its series. Revoked probes have none.
#ifndef V6SCOPE_COLLECTOR_FLEET_METRICS_H_
#define V6SCOPE_COLLECTOR_FLEET_METRICS_H_

#include <cstddef>
#include <vector>

#include "collector/query/probe_queries.h"
#include "common/metrics/metrics.h"
#include "proto/query_service.pb.h"

namespace v6scope::collector {

inline constexpr size_t kDefaultMaxProbeSeries = 2000;

// `probes` must outlive `registry`'s scrapes.
void RegisterFleetMetrics(metrics::Registry* registry,
                          const query::ProbeQueries* probes,
                          size_t max_probe_series = kDefaultMaxProbeSeries);

// The per-probe samples of `probes` (the first `max` by oldest last run,
// then probe id) and how many active probes did not fit. Exposed for tests.
struct ProbeSeries {
  std::vector<metrics::Sample> samples;
  size_t omitted = 0;
};
ProbeSeries LastRunSeries(const v6scope::v1::ListProbesResponse& probes,
                          size_t max);

}  // namespace v6scope::collector

#endif  // V6SCOPE_COLLECTOR_FLEET_METRICS_H_
