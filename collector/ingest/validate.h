// Validation of everything a probe uploads, before anything is stored.
//
// A violation is INVALID_ARGUMENT whose message starts with the field path,
// e.g. "runs[3].tests[2].target: longer than 255 bytes". Limits are the
// ones documented in proto/results.proto and proto/probe_service.proto.
#ifndef V6SCOPE_COLLECTOR_INGEST_VALIDATE_H_
#define V6SCOPE_COLLECTOR_INGEST_VALIDATE_H_

#include <cstddef>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "proto/probe_service.pb.h"
#include "proto/results.pb.h"

namespace v6scope::collector::ingest {

struct IngestLimits {
  int max_runs_per_batch = 500;
  int max_tests_per_run = 64;
  // A run may start at most this far in the future of the collector's
  // clock (probe clocks drift)...
  absl::Duration max_future_skew = absl::Minutes(10);
  // ...and at most this far in the past (a probe's spool may hold runs
  // through a long outage, but not forever).
  absl::Duration max_age = absl::Hours(24 * 90);
  // Batches waiting for the writer (all streams) at which new batches are
  // answered with a BackOff instead of being queued.
  size_t max_queued_batches = 2000;
  // The back-off asked of a probe then.
  int back_off_seconds = 30;
  // Per-probe token bucket, in runs: a probe back from an outage may send
  // its backlog in a burst, then no faster than the rate.
  double max_runs_per_second_per_probe = 50;
  double max_burst_runs_per_probe = 5000;
};

absl::Status ValidateRun(const v6scope::v1::Run& run, absl::Time now,
                         const IngestLimits& limits);

absl::Status ValidateBatch(const v6scope::v1::Batch& batch, absl::Time now,
                           const IngestLimits& limits);

}  // namespace v6scope::collector::ingest

#endif  // V6SCOPE_COLLECTOR_INGEST_VALIDATE_H_
