#include "collector/query/probe_queries.h"

#include <optional>
#include <utility>
#include <vector>

#include "collector/query/silent_for.h"
#include "google/protobuf/util/time_util.h"

namespace v6scope::collector::query {
namespace {

using ::google::protobuf::util::TimeUtil;

// Silent: not revoked (a revoked probe is meant to be quiet) and no run
// stored after `cutoff`.
bool IsSilent(const v6scope::v1::ProbeSummary& p, absl::Time cutoff) {
  if (p.revoked()) return false;
  if (!p.has_last_run_at()) return true;
  return absl::FromUnixMillis(
             TimeUtil::TimestampToMilliseconds(p.last_run_at())) <= cutoff;
}

}  // namespace

absl::StatusOr<v6scope::v1::ListProbesResponse> ProbeQueries::ListProbes(
    const v6scope::v1::ListProbesRequest& request) const {
  std::optional<absl::Time> cutoff;
  if (!request.silent_for().empty()) {
    absl::StatusOr<absl::Duration> d = ParseSilentFor(request.silent_for());
    if (!d.ok()) return d.status();
    cutoff = clock_->Now() - *d;
  }
  absl::StatusOr<std::vector<v6scope::v1::ProbeSummary>> probes =
      registry_->ListProbes();
  if (!probes.ok()) return probes.status();
  v6scope::v1::ListProbesResponse response;
  for (v6scope::v1::ProbeSummary& p : *probes) {
    if (cutoff.has_value() && !IsSilent(p, *cutoff)) continue;
    // Runs the probe had to drop (spool quota), as it reported them. A
    // probe whose count cannot be read is still listed, without it.
    absl::StatusOr<uint64_t> dropped = runs_->DroppedRuns(p.probe_id());
    if (dropped.ok()) p.set_dropped_runs(*dropped);
    *response.add_probes() = std::move(p);
  }
  return response;
}

}  // namespace v6scope::collector::query
