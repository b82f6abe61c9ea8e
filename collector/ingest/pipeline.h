// IngestPipeline: what happens to one uploaded batch between the wire and
// the store, behind one entry point:
//
//   writer backlog -> validate -> rate-limit -> refuse non-public prefixes
//     -> enrich -> prepare -> write
//
// The cheap refusals come first (a busy writer, a malformed batch, a probe
// over its rate), so a refused batch costs no enrichment; enrichment and
// preparation run on the caller's thread (many upload streams in parallel)
// so the single writer only writes. The gRPC ProbeService is an adapter
// over Accept: it keeps the stream and its acks, nothing of ingest.
#ifndef V6SCOPE_COLLECTOR_INGEST_PIPELINE_H_
#define V6SCOPE_COLLECTOR_INGEST_PIPELINE_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "collector/enrich/attribution.h"
#include "collector/ingest/ingest_metrics.h"
#include "collector/ingest/ingest_writer.h"
#include "collector/ingest/rate_limiter.h"
#include "collector/ingest/validate.h"
#include "common/time/clock.h"
#include "proto/probe_service.pb.h"

namespace v6scope::collector::ingest {

// What became of an accepted batch: sequence numbers [first_seq, last_seq]
// are durably stored (stored new, duplicates already there before).
struct StoredBatch {
  uint64_t first_seq = 0;
  uint64_t last_seq = 0;
  uint32_t stored = 0;
  uint32_t duplicates = 0;
};

// Accept's decision on a well-formed batch.
struct Admission {
  // The batch went to the writer; the completion will be called.
  bool submitted = false;
  // Otherwise: the probe should come back after this many seconds. The
  // batch is neither stored nor acknowledged, so the probe keeps it.
  int back_off_seconds = 0;
  std::string back_off_reason;
};

class IngestPipeline {
 public:
  // Called exactly once per submitted batch, on the writer's completion
  // thread; must not block. An error is UNAUTHENTICATED (the probe was
  // revoked: nothing stored) or UNAVAILABLE (the store failed: nothing
  // stored); either way the batch must not be acknowledged.
  using Done = std::function<void(absl::StatusOr<StoredBatch>)>;

  // `attribution` and `metrics` may be null; every pointer must outlive
  // the pipeline, and the writer must be destroyed first (its last
  // completions call into the pipeline). Thread-safe.
  IngestPipeline(IngestWriter* writer, const time::Clock* clock,
                 IngestLimits limits = {}, IngestMetrics* metrics = nullptr,
                 const enrich::AttributionHolder* attribution = nullptr);

  // Runs `batch` of `probe_id` (authenticated by the caller) through the
  // pipeline. `peer` is the gRPC peer string, for attribution of runs
  // without who-am-I prefixes. The runs of `batch` are enriched in place.
  // An error is INVALID_ARGUMENT naming the offending field ("batch.runs[3]
  // ..." or the validator's path); then nothing is stored and `done` is
  // not called. `done` is called only when the result says submitted.
  absl::StatusOr<Admission> Accept(const std::string& probe_id,
                                   const std::string& peer,
                                   v6scope::v1::Batch* batch, Done done);

  const IngestLimits& limits() const { return limits_; }

 private:
  // The refusal of a batch the writer or the probe's rate cannot take
  // now; nullopt when it may go ahead.
  std::optional<Admission> BackOffFor(const std::string& probe_id,
                                      const v6scope::v1::Batch& batch);
  // Enriches and prepares every run; INVALID_ARGUMENT names the run.
  absl::StatusOr<store::RunBatch> Prepare(const std::string& probe_id,
                                          const std::string& peer,
                                          v6scope::v1::Batch* batch) const;
  // Clears the run's non-public who-am-I prefixes before attribution,
  // counting and logging each (public_prefixes.h); the run is kept.
  void RefusePrefixes(const std::string& probe_id, uint64_t seq,
                      v6scope::v1::Run* run) const;
  // Counts and logs what the writer did with a batch, and tells `done`.
  void Complete(const std::string& probe_id, uint64_t first, uint64_t last,
                uint64_t dropped, absl::StatusOr<store::BatchOutcome> outcome,
                const Done& done) const;

  IngestWriter* const writer_;
  const time::Clock* const clock_;
  const IngestLimits limits_;
  RateLimiter rate_limiter_;
  IngestMetrics* const metrics_;                        // May be null.
  const enrich::AttributionHolder* const attribution_;  // May be null.
};

}  // namespace v6scope::collector::ingest

#endif  // V6SCOPE_COLLECTOR_INGEST_PIPELINE_H_
