// ResultSink: where the campaign runner puts each finished readiness check
// (a DomainResult): the probe wires it to the readiness spool with a fresh
// sequence number, so a result is "taken" (crash-safe) once Append returns
// OK, exactly as a capability run is.
#ifndef V6SCOPE_PROBE_CAMPAIGN_RESULT_SINK_H_
#define V6SCOPE_PROBE_CAMPAIGN_RESULT_SINK_H_

#include "absl/status/status.h"
#include "proto/probe_service.pb.h"

namespace v6scope::probe::campaign {

class ResultSink {
 public:
  virtual ~ResultSink() = default;
  // Takes `result` durably (or fails: RESOURCE_EXHAUSTED on a full disk,
  // and the result is not taken). Called on the measuring thread.
  virtual absl::Status Append(const v6scope::v1::DomainResult& result) = 0;
};

}  // namespace v6scope::probe::campaign

#endif  // V6SCOPE_PROBE_CAMPAIGN_RESULT_SINK_H_
