// PreparedRun: one run as the stores write it.
//
// Serializing a run and reading out its columns and rollup observation is
// most of the per-run work of storing it. The collector does it on the
// upload streams' threads, in parallel, before a batch reaches the single
// ingest writer (collector/ingest/prepare_run.h); the writer's transaction
// then only writes bytes. It also lets a stream reuse its parsed request
// for the next batch instead of handing protobuf objects to another thread.
#ifndef V6SCOPE_COLLECTOR_STORE_PREPARED_RUN_H_
#define V6SCOPE_COLLECTOR_STORE_PREPARED_RUN_H_

#include <cstdint>
#include <optional>
#include <string>

#include "absl/time/time.h"
#include "methodology/observation.h"

namespace v6scope::collector::store {

struct PreparedRun {
  std::string blob;  // The v6scope.v1.Run in wire format, stored as is.
  std::optional<int64_t> started_at_us;  // Run.started_at, unix micros.
  int32_t capability = 0;                // Run.verdict.capability.
  int32_t score = 0;                     // Run.verdict.score.
  // What the rollups count; also carries the asn and country columns.
  methodology::Observation observation;

  // When the run counts for the windows: started_at if set, else when the
  // collector received it (rollup.h RunTime, without the parsed run).
  absl::Time RunTime(absl::Time received_at) const {
    return started_at_us.has_value() ? absl::FromUnixMicros(*started_at_us)
                                     : received_at;
  }
};

}  // namespace v6scope::collector::store

#endif  // V6SCOPE_COLLECTOR_STORE_PREPARED_RUN_H_
