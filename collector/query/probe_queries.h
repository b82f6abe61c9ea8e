// The enrolled probes as researchers see them: public fields only, with
// the runs each probe reported dropping; optionally only the silent ones.
#ifndef V6SCOPE_COLLECTOR_QUERY_PROBE_QUERIES_H_
#define V6SCOPE_COLLECTOR_QUERY_PROBE_QUERIES_H_

#include "absl/status/statusor.h"
#include "collector/store/probe_registry.h"
#include "collector/store/run_sink.h"
#include "common/time/clock.h"
#include "proto/query_service.pb.h"

namespace v6scope::collector::query {

class ProbeQueries {
 public:
  // All must outlive this object. Thread-safe.
  ProbeQueries(store::ProbeRegistry* registry, store::RunSink* runs,
               const time::Clock* clock)
      : registry_(registry), runs_(runs), clock_(clock) {}

  // Every probe, or with `silent_for` ("2h", silent_for.h) only the probes
  // not revoked whose newest stored run is not newer than now minus that
  // (or that never stored one). A malformed silent_for is INVALID_ARGUMENT.
  absl::StatusOr<v6scope::v1::ListProbesResponse> ListProbes(
      const v6scope::v1::ListProbesRequest& request) const;

 private:
  store::ProbeRegistry* const registry_;
  // Only its counters are read (DroppedRuns): nothing is written here.
  store::RunSink* const runs_;
  const time::Clock* const clock_;
};

}  // namespace v6scope::collector::query

#endif  // V6SCOPE_COLLECTOR_QUERY_PROBE_QUERIES_H_
