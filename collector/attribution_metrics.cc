#include "collector/attribution_metrics.h"

#include <map>
#include <string>
#include <utility>

namespace v6scope::collector {

AttributionMetrics::AttributionMetrics(metrics::Registry* r)
    : loads_(r->Counter(
          "v6scope_collector_attribution_loads_total",
          "Loads of the attribution datasets (start and SIGHUP), by result.",
          {"result"})),
      records_(r->Gauge(
          "v6scope_collector_attribution_records",
          "Records accepted from the attribution files in use, by kind.",
          {"kind"})),
      malformed_(r->Gauge(
          "v6scope_collector_attribution_malformed_lines",
          "Lines skipped as malformed in the attribution files in use, by "
          "kind (the log names file:line of the first few).",
          {"kind"})),
      loaded_at_(r->Gauge(
          "v6scope_collector_attribution_loaded_timestamp_seconds",
          "When the attribution datasets in use were loaded (Unix time); 0 "
          "when none is loaded (no --pfx2as, --rir or --as_names).")),
      partial_(r->Gauge("v6scope_collector_attribution_partial_files",
                        "Attribution files in use that did not load whole "
                        "(--allow_partial_data); 0 when all did.")),
      reload_ok_(r->Gauge(
          "v6scope_collector_attribution_last_reload_success",
          "1 if the last load of the attribution data (start or SIGHUP) "
          "succeeded or none is configured, 0 if it failed and the "
          "previous data stayed in use.")) {}

void AttributionMetrics::RecordNoneConfigured() { reload_ok_->Get()->Set(1); }

void AttributionMetrics::RecordLoad(const enrich::AttributionIndex& index,
                                    absl::Time now) {
  loads_->With({"ok"})->Add(1);
  std::map<std::string, std::pair<uint64_t, uint64_t>> by_kind;
  for (const enrich::DatasetVersion& d : index.datasets()) {
    by_kind[d.kind].first += d.records;
    by_kind[d.kind].second += d.malformed;
  }
  for (const auto& [kind, counts] : by_kind) {
    records_->With({kind})->Set(static_cast<double>(counts.first));
    malformed_->With({kind})->Set(static_cast<double>(counts.second));
  }
  loaded_at_->Get()->SetTime(now);
  partial_->Get()->Set(static_cast<double>(index.PartialFiles().size()));
  reload_ok_->Get()->Set(1);
}

void AttributionMetrics::RecordFailedReload() {
  loads_->With({"failed"})->Add(1);
  reload_ok_->Get()->Set(0);
}

}  // namespace v6scope::collector
