#include "collector/query/probe_queries.h"

#include <utility>
#include <vector>

namespace v6scope::collector::query {

absl::StatusOr<v6scope::v1::ListProbesResponse> ProbeQueries::ListProbes(
    const v6scope::v1::ListProbesRequest& /*request*/) const {
  absl::StatusOr<std::vector<v6scope::v1::ProbeSummary>> probes =
      registry_->ListProbes();
  if (!probes.ok()) return probes.status();
  v6scope::v1::ListProbesResponse response;
  for (v6scope::v1::ProbeSummary& p : *probes) {
    // Runs the probe had to drop (spool quota), as it reported them. A
    // probe whose count cannot be read is still listed, without it.
    absl::StatusOr<uint64_t> dropped = runs_->DroppedRuns(p.probe_id());
    if (dropped.ok()) p.set_dropped_runs(*dropped);
    *response.add_probes() = std::move(p);
  }
  return response;
}

}  // namespace v6scope::collector::query
