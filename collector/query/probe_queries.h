// The enrolled probes as researchers see them: public fields only, with
// the runs each probe reported dropping.
#ifndef V6SCOPE_COLLECTOR_QUERY_PROBE_QUERIES_H_
#define V6SCOPE_COLLECTOR_QUERY_PROBE_QUERIES_H_

#include "absl/status/statusor.h"
#include "collector/store/store.h"
#include "proto/query_service.pb.h"

namespace v6scope::collector::query {

class ProbeQueries {
 public:
  // `store` must outlive this object. Thread-safe.
  explicit ProbeQueries(store::Store* store) : store_(store) {}

  absl::StatusOr<v6scope::v1::ListProbesResponse> ListProbes(
      const v6scope::v1::ListProbesRequest& request) const;

 private:
  store::Store* const store_;
};

}  // namespace v6scope::collector::query

#endif  // V6SCOPE_COLLECTOR_QUERY_PROBE_QUERIES_H_
