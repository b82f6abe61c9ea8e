// The last step of ingest before the write: a run serialized and reduced
// to the columns and rollup observation the stores write (PreparedRun).
#ifndef V6SCOPE_COLLECTOR_INGEST_PREPARE_RUN_H_
#define V6SCOPE_COLLECTOR_INGEST_PREPARE_RUN_H_

#include "absl/status/statusor.h"
#include "collector/store/prepared_run.h"
#include "proto/results.pb.h"

namespace v6scope::collector::ingest {

// INVALID_ARGUMENT if the run cannot be serialized (a proto2-style missing
// required field cannot happen with proto3; an oversize message can).
absl::StatusOr<store::PreparedRun> PrepareRun(const v6scope::v1::Run& run);

}  // namespace v6scope::collector::ingest

#endif  // V6SCOPE_COLLECTOR_INGEST_PREPARE_RUN_H_
