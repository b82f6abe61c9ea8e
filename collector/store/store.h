// Store: where the collector keeps probes, enrolment tokens and runs.
//
// One interface, several implementations (SQLite embedded default,
// PostgreSQL for several collectors) that all pass store_conformance.h.
// Implementations are thread-safe: every method may be called from any
// thread. Methods that write return only once the write is durable.
#ifndef V6SCOPE_COLLECTOR_STORE_STORE_H_
#define V6SCOPE_COLLECTOR_STORE_STORE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "collector/aggregate/rollup.h"
#include "collector/aggregate/window.h"
#include "collector/store/prepared_run.h"
#include "proto/query_service.pb.h"
#include "proto/results.pb.h"

namespace v6scope::collector::store {

// An enrolment token as stored: only the SHA-256 hash of the secret.
struct EnrolmentTokenRecord {
  std::string token_hash;  // Lower-case hex SHA-256 of the token.
  std::string org;
  absl::Time created_at;
  absl::Time expires_at;
};

// A probe as stored: only the hash of its credential.
struct ProbeRecord {
  std::string probe_id;
  std::string credential_hash;  // Lower-case hex SHA-256 of the credential.
  std::string org;
  std::string probe_version;
  absl::Time enrolled_at;
  bool revoked = false;
};

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

struct RunFilter {
  std::string probe_id;  // Empty: all probes.
};

// A page of runs, newest first (by received order).
struct RunPage {
  std::vector<v6scope::v1::StoredRun> runs;
  std::string next_page_token;  // Empty on the last page.
};

// Which rollup rows to read: one window kind, window starts in [from, to).
struct ProbeWindowQuery {
  aggregate::WindowKind kind = aggregate::WindowKind::kDay;
  absl::Time from = absl::InfinitePast();
  absl::Time to = absl::InfiniteFuture();
  std::string country;  // Latest observation's country; empty: all.
  uint32_t asn = 0;     // Latest observation's ASN; 0: all.
};

// Which raw runs to export. A run's time is RunTime() (started, else
// received).
struct ExportFilter {
  absl::Time since = absl::InfinitePast();    // Inclusive.
  absl::Time until = absl::InfiniteFuture();  // Exclusive.
  std::string probe_id;                       // Empty: all.
  std::string country;                        // Attributed country; empty: all.
  uint32_t asn = 0;                           // Attributed ASN; 0: all.
};

// One slice of an export, in arrival order.
struct ExportPage {
  std::vector<v6scope::v1::StoredRun> runs;
  // Pass as `after` for the next slice; meaningless when `done`.
  int64_t cursor = 0;
  bool done = false;
};

struct RebuildReport {
  uint64_t runs_scanned = 0;
  uint64_t rows_written = 0;  // probe_windows rows after the rebuild.
  // Runs whose asn/country columns disagreed with the attribution in their
  // stored run and were set from it: runs stored before schema v2 added
  // the columns (their defaults are 0 and '').
  uint64_t columns_backfilled = 0;
};

class Store {
 public:
  virtual ~Store() = default;

  // --- enrolment ---------------------------------------------------------
  virtual absl::Status AddEnrolmentToken(const EnrolmentTokenRecord& token) = 0;

  // Atomically marks the token as used by `probe` and inserts the probe.
  // Errors: NOT_FOUND (unknown token hash), FAILED_PRECONDITION with a
  // message saying "expired" or "already used", ALREADY_EXISTS (probe id).
  // `probe.org` is taken from the token.
  virtual absl::StatusOr<ProbeRecord> ConsumeEnrolmentToken(
      const std::string& token_hash, absl::Time now, ProbeRecord probe) = 0;

  // NOT_FOUND if there is no such probe.
  virtual absl::StatusOr<ProbeRecord> GetProbe(const std::string& probe_id) = 0;

  // NOT_FOUND if there is no such probe. Revoking twice is fine.
  virtual absl::Status RevokeProbe(const std::string& probe_id) = 0;

  // --- results -----------------------------------------------------------
  // Stores all batches in one durable transaction (group commit); either
  // all are stored or none. Runs whose (probe_id, seq) already exist are
  // ignored and counted as duplicates. A batch of a probe marked revoked
  // is not stored (its outcome says so): checking here, once per
  // transaction, makes a revocation by any collector sharing the database
  // hold from the next commit on, without a query per batch. Probes the
  // store does not know are stored (authentication is the service's job).
  // Returns one outcome per batch.
  virtual absl::StatusOr<std::vector<BatchOutcome>> StoreBatches(
      const std::vector<RunBatch>& batches) = 0;

  // Highest stored sequence number of the probe (0 if none).
  virtual absl::StatusOr<uint64_t> LastStoredSeq(
      const std::string& probe_id) = 0;

  // Sum of dropped_runs reported by the probe over all its batches. A
  // resent batch (it has runs and all are duplicates) does not count again.
  virtual absl::StatusOr<uint64_t> DroppedRuns(const std::string& probe_id) = 0;

  // page_size 1..1000; page_token from a previous page or empty.
  // INVALID_ARGUMENT for a malformed page token.
  virtual absl::StatusOr<RunPage> ListRuns(const RunFilter& filter,
                                           uint32_t page_size,
                                           const std::string& page_token) = 0;

  virtual absl::StatusOr<std::vector<v6scope::v1::ProbeSummary>>
  ListProbes() = 0;

  // --- aggregation -------------------------------------------------------
  // StoreBatches keeps the rollups (collector/aggregate/rollup.h) in step
  // with the runs it stores, in the same transaction.

  // Rollup rows matching `query`, in (window start, probe id) order.
  virtual absl::StatusOr<std::vector<aggregate::ProbeWindow>> ListProbeWindows(
      const ProbeWindowQuery& query) = 0;

  // Recomputes every rollup row from the raw runs, in one transaction
  // (readers see the old rows until it commits). The result is identical
  // to what ingest maintained. DATA_LOSS names a run that does not parse.
  virtual absl::StatusOr<RebuildReport> RebuildRollups() = 0;

  // Up to `limit` (1..10000) runs matching `filter` with arrival position
  // after `after` (0: from the start), oldest first. Memory is bounded by
  // `limit` whatever the size of the store.
  virtual absl::StatusOr<ExportPage> ExportRuns(const ExportFilter& filter,
                                                int64_t after,
                                                uint32_t limit) = 0;
};

}  // namespace v6scope::collector::store

#endif  // V6SCOPE_COLLECTOR_STORE_STORE_H_
