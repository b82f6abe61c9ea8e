// The last step of ingest before the write: a run serialized and reduced
// to the columns and rollup observation the stores write (PreparedRun).
#ifndef V6SCOPE_COLLECTOR_INGEST_PREPARE_RUN_H_
#define V6SCOPE_COLLECTOR_INGEST_PREPARE_RUN_H_

#include <cstddef>

#include "absl/status/statusor.h"
#include "collector/store/prepared_run.h"
#include "proto/results.pb.h"

namespace v6scope::collector::ingest {

// The one message-size rule: a stored run (the probe's run with unknown
// fields dropped and the collector's attribution added) is at most this
// many bytes serialized. Every read path is sized from it: a ListRuns page
// stops at collector/query/run_queries.h kMaxPageBytes (3 MiB), which
// holds at least 47 such runs and always fits the 4 MiB gRPC message limit
// (common/rpc/channel.h kMaxMessageBytes); see the arithmetic there. A run
// within every per-field limit of validate.cc is usually 2..10 KiB; the
// rule refuses only the extreme (64 tests with every string at its limit
// is about 90 KiB).
inline constexpr size_t kMaxStoredRunBytes = 64 << 10;

// Drops unknown fields (recursively: nothing the schema does not know is
// stored) and rewrites address literals to their canonical text, so
// equal addresses are stored equal. `run` must have passed ValidateRun.
void SanitizeRun(v6scope::v1::Run* run);

// INVALID_ARGUMENT if the run cannot be serialized or is larger than
// kMaxStoredRunBytes serialized.
absl::StatusOr<store::PreparedRun> PrepareRun(const v6scope::v1::Run& run);

}  // namespace v6scope::collector::ingest

#endif  // V6SCOPE_COLLECTOR_INGEST_PREPARE_RUN_H_
