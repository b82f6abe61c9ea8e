// RunSink: the store's role on the ingest path, where uploaded runs are
// written (collector/ingest/ingest_writer.h is its user).
#ifndef V6SCOPE_COLLECTOR_STORE_RUN_SINK_H_
#define V6SCOPE_COLLECTOR_STORE_RUN_SINK_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "collector/store/prepared_run.h"

namespace v6scope::collector::store {

// One batch from one probe: runs[i] has sequence number first_seq + i.
struct RunBatch {
  std::string probe_id;
  uint64_t first_seq = 0;
  std::vector<PreparedRun> runs;  // PrepareRun of each parsed run.
  uint64_t dropped_runs = 0;      // Reported spool drops carried by the batch.
  absl::Time received_at;
};

// What storing one batch did.
struct BatchOutcome {
  uint32_t stored = 0;      // New runs written.
  uint32_t duplicates = 0;  // (probe_id, seq) already present: ignored.
  // The probe was revoked when the transaction ran: nothing of the batch
  // was stored (stored and duplicates are 0) and it must not be acked.
  bool revoked = false;
};

// Thread-safe; writes return once durable (as every role of store.h).
class RunSink {
 public:
  virtual ~RunSink() = default;

  // Stores all batches in one durable transaction (group commit); either
  // all are stored or none. Runs whose (probe_id, seq) already exist are
  // ignored and counted as duplicates. A batch of a probe marked revoked
  // is not stored (its outcome says so): checking here, once per
  // transaction, makes a revocation by any collector sharing the database
  // hold from the next commit on, without a query per batch. Probes the
  // store does not know are stored (authentication is the service's job).
  // The rollups (RollupStore) are kept in step in the same transaction.
  // Returns one outcome per batch.
  virtual absl::StatusOr<std::vector<BatchOutcome>> StoreBatches(
      const std::vector<RunBatch>& batches) = 0;

  // Highest stored sequence number of the probe (0 if none).
  virtual absl::StatusOr<uint64_t> LastStoredSeq(
      const std::string& probe_id) = 0;

  // Sum of dropped_runs reported by the probe over all its batches. A
  // resent batch (it has runs and all are duplicates) does not count again.
  virtual absl::StatusOr<uint64_t> DroppedRuns(const std::string& probe_id) = 0;
};

}  // namespace v6scope::collector::store

#endif  // V6SCOPE_COLLECTOR_STORE_RUN_SINK_H_
