// What the attribution datasets in use hold, for /metrics: per kind of
// file, so a dashboard shows a reload that dropped records or found
// malformed lines, and an alert sees data that was never reloaded.
//
// Registered whether or not attribution data is configured: an alert on
// v6scope_collector_attribution_loaded_timestamp_seconds must see 0 (never
// loaded), not an absent series that makes it silent.
#ifndef V6SCOPE_COLLECTOR_ATTRIBUTION_METRICS_H_
#define V6SCOPE_COLLECTOR_ATTRIBUTION_METRICS_H_

#include "absl/time/time.h"
#include "collector/enrich/attribution.h"
#include "common/metrics/metrics.h"

namespace v6scope::collector {

class AttributionMetrics {
 public:
  // `registry` must outlive this object.
  explicit AttributionMetrics(metrics::Registry* registry);

  // No attribution data configured: nothing failed, nothing loaded (the
  // loaded timestamp stays 0).
  void RecordNoneConfigured();
  // `index` was loaded (start or reload) at `now`.
  void RecordLoad(const enrich::AttributionIndex& index, absl::Time now);
  // A reload failed; the previous data stays in use.
  void RecordFailedReload();

 private:
  metrics::Family* loads_;
  metrics::Family* records_;
  metrics::Family* malformed_;
  metrics::Family* loaded_at_;
  metrics::Family* partial_;
  metrics::Family* reload_ok_;
};

}  // namespace v6scope::collector

#endif  // V6SCOPE_COLLECTOR_ATTRIBUTION_METRICS_H_
