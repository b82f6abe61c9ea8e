// The enrolled probes as researchers see them: public fields only, with
// the runs each probe reported dropping.
#ifndef V6SCOPE_COLLECTOR_QUERY_PROBE_QUERIES_H_
#define V6SCOPE_COLLECTOR_QUERY_PROBE_QUERIES_H_

#include "absl/status/statusor.h"
#include "collector/store/probe_registry.h"
#include "collector/store/run_sink.h"
#include "proto/query_service.pb.h"

namespace v6scope::collector::query {

class ProbeQueries {
 public:
  // Both must outlive this object. Thread-safe.
  ProbeQueries(store::ProbeRegistry* registry, store::RunSink* runs)
      : registry_(registry), runs_(runs) {}

  absl::StatusOr<v6scope::v1::ListProbesResponse> ListProbes(
      const v6scope::v1::ListProbesRequest& request) const;

 private:
  store::ProbeRegistry* const registry_;
  // Only its counters are read (DroppedRuns): nothing is written here.
  store::RunSink* const runs_;
};

}  // namespace v6scope::collector::query

#endif  // V6SCOPE_COLLECTOR_QUERY_PROBE_QUERIES_H_
