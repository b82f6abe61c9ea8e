#include "collector/fleet_metrics.h"

#include <algorithm>
#include <string>
#include <utility>

#include "common/log/log.h"
#include "google/protobuf/util/time_util.h"

namespace v6scope::collector {
namespace {

using ::google::protobuf::util::TimeUtil;

// Unix seconds with milliseconds; 0 for a probe that never stored a run.
double LastRun(const v6scope::v1::ProbeSummary& p) {
  if (!p.has_last_run_at()) return 0;
  return static_cast<double>(
             TimeUtil::TimestampToMilliseconds(p.last_run_at())) /
         1000.0;
}

// The listing for one scrape; an error is logged and gives no samples
// (the scrape itself still answers, with the other metrics).
v6scope::v1::ListProbesResponse List(const query::ProbeQueries* probes) {
  absl::StatusOr<v6scope::v1::ListProbesResponse> r = probes->ListProbes({});
  if (!r.ok()) {
    log::Warn("metrics.probes_unavailable", {{"status", r.status()}});
    return {};
  }
  return *std::move(r);
}

}  // namespace

ProbeSeries LastRunSeries(const v6scope::v1::ListProbesResponse& probes,
                          size_t max) {
  ProbeSeries out;
  for (const v6scope::v1::ProbeSummary& p : probes.probes()) {
    if (p.revoked()) continue;
    out.samples.push_back({{p.probe_id(), p.org()}, LastRun(p)});
  }
  // Oldest first: the cap leaves out the probes that report, never the
  // silent ones an alert is about.
  std::sort(out.samples.begin(), out.samples.end(),
            [](const metrics::Sample& a, const metrics::Sample& b) {
              if (a.value != b.value) return a.value < b.value;
              return a.label_values < b.label_values;
            });
  if (out.samples.size() > max) {
    out.omitted = out.samples.size() - max;
    out.samples.resize(max);
  }
  return out;
}

void RegisterFleetMetrics(metrics::Registry* registry,
                          const query::ProbeQueries* probes,
                          size_t max_probe_series) {
  registry->GaugeFamilyFunction(
      "v6scope_collector_probe_last_run_timestamp_seconds",
      "Newest stored run of each enrolled probe not revoked (Unix time; 0: "
      "none yet). At most one series per probe, capped (see "
      "v6scope_collector_probe_series_omitted).",
      {"probe", "org"}, [probes, max_probe_series] {
        return LastRunSeries(List(probes), max_probe_series).samples;
      });
  registry->GaugeFamilyFunction(
      "v6scope_collector_probes", "Enrolled probes, by state.", {"state"},
      [probes] {
        double active = 0, revoked = 0;
        // Named: a range-for over List(probes).probes() would outlive the
        // temporary listing.
        const v6scope::v1::ListProbesResponse listing = List(probes);
        for (const auto& p : listing.probes()) {
          (p.revoked() ? revoked : active) += 1;
        }
        return std::vector<metrics::Sample>{{{"active"}, active},
                                            {{"revoked"}, revoked}};
      });
  registry->GaugeFunction(
      "v6scope_collector_probe_series_omitted",
      "Active probes left out of v6scope_collector_probe_last_run_timestamp_"
      "seconds by its cap (those with the newest runs); 0 normally.",
      [probes, max_probe_series] {
        return static_cast<double>(
            LastRunSeries(List(probes), max_probe_series).omitted);
      });
}

}  // namespace v6scope::collector
