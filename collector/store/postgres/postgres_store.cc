#include "collector/store/postgres/postgres_store.h"

#include <google/protobuf/timestamp.pb.h>
#include <google/protobuf/util/time_util.h>

#include <algorithm>
#include <cstdint>
#include <map>
#include <memory>
#include <numeric>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "collector/aggregate/rollup.h"
#include "collector/store/postgres/pg_conn.h"
#include "collector/store/postgres/pg_pool.h"
#include "collector/store/postgres/postgres_migrations.h"
#include "collector/store/postgres/postgres_readiness_rollups.h"
#include "collector/store/postgres/postgres_rollups.h"
#include "collector/store/postgres/postgres_stored_run.h"
#include "collector/store/store.h"
#include "collector/store/store_encoding.h"
#include "proto/query_service.pb.h"
#include "proto/results.pb.h"

namespace v6scope::collector::store::postgres {
namespace {

using ::google::protobuf::util::TimeUtil;

// --- SQL --------------------------------------------------------------------
// The same statements as the SQLite store, in PostgreSQL's dialect.

constexpr char kInsertToken[] =
    "INSERT INTO enrolment_tokens (token_hash, org, created_at, expires_at, "
    "collector_vantage) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING";
// FOR UPDATE: a second collector consuming the same token waits here for
// the first to commit, then reads the token as used.
constexpr char kSelectTokenForUpdate[] =
    "SELECT org, expires_at, used_at IS NOT NULL, collector_vantage "
    "FROM enrolment_tokens WHERE token_hash = $1 FOR UPDATE";
constexpr char kMarkTokenUsed[] =
    "UPDATE enrolment_tokens SET used_at = $2, used_by_probe = $3 "
    "WHERE token_hash = $1";
constexpr char kInsertProbe[] =
    "INSERT INTO probes (probe_id, credential_hash, org, probe_version, "
    "enrolled_at, revoked, synthetic, collector_vantage) "
    "VALUES ($1, $2, $3, $4, $5, false, $6, $7) "
    "ON CONFLICT DO NOTHING";
constexpr char kSelectProbe[] =
    "SELECT credential_hash, org, probe_version, enrolled_at, revoked, "
    "synthetic, collector_vantage FROM probes WHERE probe_id = $1";
constexpr char kRevokeProbe[] =
    "UPDATE probes SET revoked = true WHERE probe_id = $1";
// Sees every revocation committed before the call's transaction reads it,
// by this collector or any other. A revocation committed while the call
// is in flight takes effect from the next call, as if it came just after.
constexpr char kSelectRevoked[] =
    "SELECT probe_id FROM probes WHERE revoked AND probe_id = ANY($1::text[])";
// Ids for the runs of one call, taken in arrival order before the runs are
// inserted (in key order, see StoreBatches). A duplicate's id is unused.
constexpr char kNextRunIds[] =
    "SELECT nextval('runs_id_seq') FROM generate_series(1, $1::bigint)";
constexpr char kInsertRun[] =
    "INSERT INTO runs (id, probe_id, seq, received_at, started_at, "
    "capability, score, run, asn, country) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) "
    "ON CONFLICT (probe_id, seq) DO NOTHING";
constexpr char kExportRuns[] =
    "SELECT id, probe_id, seq, received_at, run FROM runs WHERE id > $1 "
    "AND coalesce(started_at, received_at) >= $3 "
    "AND coalesce(started_at, received_at) < $4 "
    "AND ($5 = '' OR probe_id = $5) AND ($6 = '' OR country = $6) "
    "AND ($7 = 0 OR asn = $7) ORDER BY id LIMIT $2";
// Adds to a probe's counters; clamps dropped_runs instead of overflowing.
// GREATEST ignores NULLs.
constexpr char kUpdateStats[] =
    "INSERT INTO probe_stats AS s (probe_id, runs, last_run_at, "
    "dropped_runs) VALUES ($1, $2, $3, $4) ON CONFLICT (probe_id) DO UPDATE "
    "SET runs = s.runs + excluded.runs, "
    "last_run_at = GREATEST(s.last_run_at, excluded.last_run_at), "
    "dropped_runs = CASE "
    "  WHEN excluded.dropped_runs > 9223372036854775807 - s.dropped_runs "
    "  THEN 9223372036854775807 "
    "  ELSE s.dropped_runs + excluded.dropped_runs END";
constexpr char kLastSeq[] = "SELECT MAX(seq) FROM runs WHERE probe_id = $1";
constexpr char kDroppedRuns[] =
    "SELECT dropped_runs FROM probe_stats WHERE probe_id = $1";
constexpr char kListRuns[] =
    "SELECT id, probe_id, seq, received_at, run FROM runs "
    "WHERE id < $1 ORDER BY id DESC LIMIT $2";
constexpr char kListProbeRuns[] =
    "SELECT id, probe_id, seq, received_at, run FROM runs "
    "WHERE probe_id = $3 AND id < $1 ORDER BY id DESC LIMIT $2";
constexpr char kListProbes[] =
    "SELECT p.probe_id, p.org, p.enrolled_at, p.revoked, "
    "coalesce(s.runs, 0), s.last_run_at, p.synthetic "
    "FROM probes p LEFT JOIN probe_stats s ON s.probe_id = p.probe_id "
    "ORDER BY p.probe_id";

// --- helpers ----------------------------------------------------------------

// One run of a StoreBatches call, in arrival order.
struct RunRow {
  size_t batch;  // Index into the call's batches.
  int64_t seq;   // Validated: fits.
  const PreparedRun* run;
};

// Every run of the call's batches not in `skip`, in arrival order.
std::vector<RunRow> FlattenRuns(const std::vector<RunBatch>& batches,
                                const std::vector<bool>& skip) {
  std::vector<RunRow> rows;
  for (size_t b = 0; b < batches.size(); ++b) {
    if (skip[b]) continue;
    const RunBatch& batch = batches[b];
    for (size_t i = 0; i < batch.runs.size(); ++i) {
      rows.push_back(
          RunRow{b, static_cast<int64_t>(batch.first_seq + i), &batch.runs[i]});
    }
  }
  return rows;
}

// A PostgreSQL text[] literal: every element double-quoted, with '"' and
// '\' escaped, so any probe id round-trips.
std::string TextArrayLiteral(const std::vector<std::string>& elements) {
  std::string literal = "{";
  for (size_t i = 0; i < elements.size(); ++i) {
    if (i > 0) literal += ',';
    literal += '"';
    for (char c : elements[i]) {
      if (c == '"' || c == '\\') literal += '\\';
      literal += c;
    }
    literal += '"';
  }
  literal += '}';
  return literal;
}

// Which batches belong to a probe marked revoked: one query for the call.
absl::StatusOr<std::vector<bool>> RevokedBatches(
    PgConn& conn, const std::vector<RunBatch>& batches) {
  std::vector<std::string> ids;
  ids.reserve(batches.size());
  for (const RunBatch& batch : batches) ids.push_back(batch.probe_id);
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  absl::StatusOr<PgResult> revoked =
      conn.Query(kSelectRevoked, PgParams().Literal(TextArrayLiteral(ids)));
  if (!revoked.ok()) return revoked.status();
  std::vector<std::string> revoked_ids;
  for (int row = 0; row < revoked->Rows(); ++row) {
    revoked_ids.push_back(revoked->Bytes(row, 0));
  }
  std::vector<bool> skip(batches.size(), false);
  if (revoked_ids.empty()) return skip;
  std::sort(revoked_ids.begin(), revoked_ids.end());
  for (size_t b = 0; b < batches.size(); ++b) {
    skip[b] = std::binary_search(revoked_ids.begin(), revoked_ids.end(),
                                 batches[b].probe_id);
  }
  return skip;
}

// Counter changes of one probe over a whole call (one upsert per probe).
struct StatsDelta {
  int64_t runs = 0;
  int64_t last_run_at = 0;
  bool has_last_run_at = false;
  int64_t dropped_runs = 0;  // Saturates at kMaxInt64.
};

// Per probe, in probe_id order (the order rows are locked in).
std::map<std::string, StatsDelta> StatsDeltas(
    const std::vector<RunBatch>& batches,
    const std::vector<BatchOutcome>& outcomes) {
  std::map<std::string, StatsDelta> deltas;
  for (size_t b = 0; b < batches.size(); ++b) {
    const RunBatch& batch = batches[b];
    const BatchOutcome& outcome = outcomes[b];
    if (outcome.revoked) continue;  // Nothing of it was taken.
    // A batch whose runs were all duplicates is a resend (its ack was
    // lost): its dropped_runs were counted the first time.
    const bool resend = !batch.runs.empty() && outcome.stored == 0;
    const int64_t dropped =
        resend ? 0 : static_cast<int64_t>(batch.dropped_runs);
    if (outcome.stored == 0 && dropped == 0) continue;
    StatsDelta& delta = deltas[batch.probe_id];
    delta.runs += outcome.stored;
    if (outcome.stored > 0) {
      const int64_t received_at = Micros(batch.received_at);
      if (!delta.has_last_run_at || received_at > delta.last_run_at) {
        delta.last_run_at = received_at;
      }
      delta.has_last_run_at = true;
    }
    delta.dropped_runs = dropped > kMaxInt64 - delta.dropped_runs
                             ? kMaxInt64
                             : delta.dropped_runs + dropped;
  }
  return deltas;
}

v6scope::v1::ProbeSummary ReadProbeSummary(const PgResult& rows, int row) {
  v6scope::v1::ProbeSummary summary;
  summary.set_probe_id(rows.Bytes(row, 0));
  summary.set_org(rows.Bytes(row, 1));
  *summary.mutable_enrolled_at() =
      TimeUtil::MicrosecondsToTimestamp(rows.Int(row, 2));
  summary.set_revoked(rows.Bool(row, 3));
  summary.set_runs(static_cast<uint64_t>(rows.Int(row, 4)));
  if (!rows.IsNull(row, 5)) {
    *summary.mutable_last_run_at() =
        TimeUtil::MicrosecondsToTimestamp(rows.Int(row, 5));
  }
  summary.set_synthetic(rows.Bool(row, 6));
  return summary;
}

absl::StatusOr<ProbeRecord> ConsumeInTransaction(PgConn& conn,
                                                 const std::string& token_hash,
                                                 absl::Time now,
                                                 ProbeRecord probe) {
  {
    absl::StatusOr<PgResult> token =
        conn.Query(kSelectTokenForUpdate, PgParams().Text(token_hash));
    if (!token.ok()) return token.status();
    if (token->Rows() == 0) {
      return absl::NotFoundError("unknown enrolment token");
    }
    // "already used" wins over "expired": it is the more useful answer.
    if (token->Bool(0, 2)) {
      return absl::FailedPreconditionError("enrolment token already used");
    }
    if (Micros(now) >= token->Int(0, 1)) {
      return absl::FailedPreconditionError("enrolment token expired");
    }
    probe.org = token->Bytes(0, 0);
    probe.collector_vantage = token->Bool(0, 3);
  }
  absl::StatusOr<PgResult> inserted = conn.Query(
      kInsertProbe, PgParams()
                        .Text(probe.probe_id)
                        .Text(probe.credential_hash)
                        .Text(probe.org)
                        .Text(probe.probe_version)
                        .Int(Micros(probe.enrolled_at))
                        .Literal(probe.synthetic ? "true" : "false")
                        .Literal(probe.collector_vantage ? "true" : "false"));
  if (!inserted.ok()) return inserted.status();
  if (inserted->Affected() == 0) {
    return absl::AlreadyExistsError(
        absl::StrCat("probe ", probe.probe_id, " already exists"));
  }
  absl::StatusOr<PgResult> marked = conn.Query(
      kMarkTokenUsed,
      PgParams().Text(token_hash).Int(Micros(now)).Text(probe.probe_id));
  if (!marked.ok()) return marked.status();
  probe.revoked = false;
  return probe;
}

// Inserts the call's runs; returns each row's outcome (true: stored).
absl::StatusOr<std::vector<bool>> InsertRuns(
    PgConn& conn, const std::vector<RunBatch>& batches,
    const std::vector<RunRow>& rows) {
  std::vector<bool> stored(rows.size(), false);
  if (rows.empty()) return stored;
  absl::StatusOr<PgResult> ids = conn.Query(
      kNextRunIds, PgParams().Int(static_cast<int64_t>(rows.size())));
  if (!ids.ok()) return ids.status();
  if (ids->Rows() != static_cast<int>(rows.size())) {
    return absl::InternalError("nextval returned too few ids");
  }
  std::vector<int64_t> id(rows.size());
  for (size_t i = 0; i < rows.size(); ++i) id[i] = ids->Int(i, 0);
  std::sort(id.begin(), id.end());  // Arrival order = id order.
  // Insertion (hence locking) order: (probe_id, seq), then arrival. Every
  // collector locks keys in this one order, so no two calls deadlock; and
  // of two equal keys in one call the earlier one is stored, as if the
  // batches were stored one after the other.
  std::vector<size_t> order(rows.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    const std::string& pa = batches[rows[a].batch].probe_id;
    const std::string& pb = batches[rows[b].batch].probe_id;
    if (pa != pb) return pa < pb;
    return rows[a].seq < rows[b].seq;
  });
  std::vector<PgParams> executions;
  executions.reserve(rows.size());
  for (size_t i : order) {
    const RunRow& row = rows[i];
    const RunBatch& batch = batches[row.batch];
    PgParams params;
    params.Int(id[i])
        .Text(batch.probe_id)
        .Int(row.seq)
        .Int(Micros(batch.received_at));
    if (row.run->started_at_us.has_value()) {
      params.Int(*row.run->started_at_us);
    } else {
      params.Null();
    }
    params.Int(row.run->capability)
        .Int(row.run->score)
        .Bytes(row.run->blob)
        .Int(row.run->observation.asn)
        .Text(row.run->observation.country);
    executions.push_back(std::move(params));
  }
  absl::StatusOr<std::vector<int64_t>> affected =
      conn.ExecPipelined(kInsertRun, executions);
  if (!affected.ok()) return affected.status();
  for (size_t k = 0; k < order.size(); ++k) {
    stored[order[k]] = (*affected)[k] == 1;  // 0: (probe_id, seq) was there.
  }
  return stored;
}

absl::Status UpdateStats(PgConn& conn,
                         const std::map<std::string, StatsDelta>& deltas) {
  std::vector<PgParams> executions;
  for (const auto& [probe_id, delta] : deltas) {
    PgParams params;
    params.Text(probe_id).Int(delta.runs);
    if (delta.has_last_run_at) {
      params.Int(delta.last_run_at);
    } else {
      params.Null();
    }
    params.Int(delta.dropped_runs);
    executions.push_back(std::move(params));
  }
  return conn.ExecPipelined(kUpdateStats, executions).status();
}

}  // namespace

// --- opening ----------------------------------------------------------------

absl::StatusOr<std::unique_ptr<PostgresStore>> PostgresStore::Open(
    const std::string& conninfo, const PostgresStoreOptions& options) {
  if (options.max_connections < 1) {
    return absl::InvalidArgumentError(absl::StrCat(
        "max_connections must be at least 1, not ", options.max_connections));
  }
  absl::StatusOr<std::unique_ptr<PgConn>> conn = PgConn::Connect(conninfo);
  if (!conn.ok()) return conn.status();
  std::string target = (*conn)->target();
  absl::Status migrated = MigratePostgresSchema(**conn);
  if (!migrated.ok()) {
    return absl::Status(migrated.code(),
                        absl::StrCat(target, ": ", migrated.message()));
  }
  // Results stored before schema step 9 are folded into the readiness
  // rollups once, here (the step could not in SQL).
  absl::Status folded = RebuildPendingReadinessRollups(**conn);
  if (!folded.ok()) {
    return absl::Status(
        folded.code(),
        absl::StrCat(target, ": readiness rollups: ", folded.message()));
  }
  auto pool = std::make_unique<PgPool>(conninfo, options.max_connections,
                                       *std::move(conn));
  return std::unique_ptr<PostgresStore>(
      new PostgresStore(std::move(target), std::move(pool)));
}

PostgresStore::PostgresStore(std::string target, std::unique_ptr<PgPool> pool)
    : target_(std::move(target)), pool_(std::move(pool)) {}

PostgresStore::~PostgresStore() = default;

// --- enrolment --------------------------------------------------------------

absl::Status PostgresStore::AddEnrolmentToken(
    const EnrolmentTokenRecord& token) {
  absl::StatusOr<PgPool::Lease> conn = pool_->Acquire();
  if (!conn.ok()) return conn.status();
  absl::StatusOr<PgResult> inserted = (*conn)->Query(
      kInsertToken, PgParams()
                        .Text(token.token_hash)
                        .Text(token.org)
                        .Int(Micros(token.created_at))
                        .Int(Micros(token.expires_at))
                        .Literal(token.collector_vantage ? "true" : "false"));
  if (!inserted.ok()) return inserted.status();
  if (inserted->Affected() == 0) {
    return absl::AlreadyExistsError("enrolment token already exists");
  }
  return absl::OkStatus();
}

absl::StatusOr<ProbeRecord> PostgresStore::ConsumeEnrolmentToken(
    const std::string& token_hash, absl::Time now, ProbeRecord probe) {
  absl::StatusOr<PgPool::Lease> conn = pool_->Acquire();
  if (!conn.ok()) return conn.status();
  absl::StatusOr<PgTransaction> txn = PgTransaction::Begin(**conn);
  if (!txn.ok()) return txn.status();
  absl::StatusOr<ProbeRecord> consumed =
      ConsumeInTransaction(**conn, token_hash, now, std::move(probe));
  if (!consumed.ok()) return consumed.status();  // txn rolls back.
  absl::Status committed = txn->Commit();
  if (!committed.ok()) return committed;
  return consumed;
}

absl::StatusOr<ProbeRecord> PostgresStore::GetProbe(
    const std::string& probe_id) {
  absl::StatusOr<PgPool::Lease> conn = pool_->Acquire();
  if (!conn.ok()) return conn.status();
  absl::StatusOr<PgResult> row =
      (*conn)->Query(kSelectProbe, PgParams().Text(probe_id));
  if (!row.ok()) return row.status();
  if (row->Rows() == 0) {
    return absl::NotFoundError(absl::StrCat("no probe ", probe_id));
  }
  ProbeRecord probe;
  probe.probe_id = probe_id;
  probe.credential_hash = row->Bytes(0, 0);
  probe.org = row->Bytes(0, 1);
  probe.probe_version = row->Bytes(0, 2);
  probe.enrolled_at = absl::FromUnixMicros(row->Int(0, 3));
  probe.revoked = row->Bool(0, 4);
  probe.synthetic = row->Bool(0, 5);
  probe.collector_vantage = row->Bool(0, 6);
  return probe;
}

// A pooled connection answers, and the server takes writes (not a
// standby, not default_transaction_read_only).
absl::Status PostgresStore::CheckWritable() {
  absl::StatusOr<PgPool::Lease> conn = pool_->Acquire();
  if (!conn.ok()) return conn.status();
  absl::StatusOr<PgResult> result = (*conn)->ExecParams(
      "SELECT pg_is_in_recovery() OR "
      "current_setting('transaction_read_only') = 'on'",
      PgParams());
  if (!result.ok()) return result.status();
  if (result->Rows() != 1 || result->Bool(0, 0)) {
    return absl::UnavailableError("PostgreSQL is read-only");
  }
  return absl::OkStatus();
}

absl::Status PostgresStore::RevokeProbe(const std::string& probe_id) {
  absl::StatusOr<PgPool::Lease> conn = pool_->Acquire();
  if (!conn.ok()) return conn.status();
  absl::StatusOr<PgResult> updated =
      (*conn)->Query(kRevokeProbe, PgParams().Text(probe_id));
  if (!updated.ok()) return updated.status();
  // PostgreSQL counts matched rows, so revoking twice still updates one.
  if (updated->Affected() == 0) {
    return absl::NotFoundError(absl::StrCat("no probe ", probe_id));
  }
  return absl::OkStatus();
}

// --- results ----------------------------------------------------------------

absl::StatusOr<std::vector<BatchOutcome>> PostgresStore::StoreBatches(
    const std::vector<RunBatch>& batches) {
  for (const RunBatch& batch : batches) {
    absl::Status valid = ValidateBatch(batch);
    if (!valid.ok()) return valid;
  }
  if (batches.empty()) return std::vector<BatchOutcome>();
  absl::StatusOr<PgPool::Lease> conn = pool_->Acquire();
  if (!conn.ok()) return conn.status();
  // One transaction, hence one WAL flush, for every batch of the call.
  absl::StatusOr<PgTransaction> txn = PgTransaction::Begin(**conn);
  if (!txn.ok()) return txn.status();
  absl::StatusOr<std::vector<bool>> revoked = RevokedBatches(**conn, batches);
  if (!revoked.ok()) return revoked.status();
  const std::vector<RunRow> rows = FlattenRuns(batches, *revoked);
  absl::StatusOr<std::vector<bool>> stored = InsertRuns(**conn, batches, rows);
  if (!stored.ok()) return stored.status();  // txn rolls back.
  std::vector<BatchOutcome> outcomes(batches.size());
  for (size_t b = 0; b < batches.size(); ++b)
    outcomes[b].revoked = (*revoked)[b];
  aggregate::RollupDeltas rollups;
  for (size_t i = 0; i < rows.size(); ++i) {
    const RunRow& row = rows[i];
    BatchOutcome& outcome = outcomes[row.batch];
    if ((*stored)[i]) {
      ++outcome.stored;
      const RunBatch& batch = batches[row.batch];
      rollups.Add(batch.probe_id, static_cast<uint64_t>(row.seq),
                  row.run->observation, row.run->RunTime(batch.received_at));
    } else {
      ++outcome.duplicates;
    }
  }
  absl::Status updated = UpdateStats(**conn, StatsDeltas(batches, outcomes));
  if (!updated.ok()) return updated;
  absl::Status rolled_up = WriteProbeWindows(**conn, rollups.Take());
  if (!rolled_up.ok()) return rolled_up;
  absl::Status committed = txn->Commit();
  if (!committed.ok()) return committed;
  return outcomes;
}

absl::StatusOr<uint64_t> PostgresStore::LastStoredSeq(
    const std::string& probe_id) {
  absl::StatusOr<PgPool::Lease> conn = pool_->Acquire();
  if (!conn.ok()) return conn.status();
  absl::StatusOr<PgResult> row =
      (*conn)->Query(kLastSeq, PgParams().Text(probe_id));
  if (!row.ok()) return row.status();
  // MAX() of no rows is NULL.
  if (row->Rows() == 0 || row->IsNull(0, 0)) return 0;
  return static_cast<uint64_t>(row->Int(0, 0));
}

absl::StatusOr<uint64_t> PostgresStore::DroppedRuns(
    const std::string& probe_id) {
  absl::StatusOr<PgPool::Lease> conn = pool_->Acquire();
  if (!conn.ok()) return conn.status();
  absl::StatusOr<PgResult> row =
      (*conn)->Query(kDroppedRuns, PgParams().Text(probe_id));
  if (!row.ok()) return row.status();
  if (row->Rows() == 0) return 0;
  return static_cast<uint64_t>(row->Int(0, 0));
}

absl::StatusOr<RunPage> PostgresStore::ListRuns(const RunFilter& filter,
                                                uint32_t page_size,
                                                const std::string& page_token) {
  if (page_size == 0 || page_size > kMaxPageSize) {
    return absl::InvalidArgumentError(
        absl::StrCat("page size ", page_size, " outside 1..", kMaxPageSize));
  }
  absl::StatusOr<int64_t> before_id = DecodePageToken(page_token);
  if (!before_id.ok()) return before_id.status();
  // One row more than asked: tells whether another page follows, so the
  // last page carries no token.
  PgParams params;
  params.Int(*before_id).Int(static_cast<int64_t>(page_size) + 1);
  if (!filter.probe_id.empty()) params.Text(filter.probe_id);
  absl::StatusOr<PgPool::Lease> conn = pool_->Acquire();
  if (!conn.ok()) return conn.status();
  absl::StatusOr<PgResult> rows = (*conn)->Query(
      filter.probe_id.empty() ? kListRuns : kListProbeRuns, params);
  if (!rows.ok()) return rows.status();
  RunPage page;
  for (int row = 0; row < rows->Rows(); ++row) {
    if (page.runs.size() == page_size) {
      page.next_page_token = EncodePageToken(rows->Int(row - 1, 0));
      break;
    }
    absl::StatusOr<v6scope::v1::StoredRun> run =
        ReadStoredRun(*rows, row, target_);
    if (!run.ok()) return run.status();
    page.runs.push_back(*std::move(run));
  }
  return page;
}

absl::StatusOr<std::vector<v6scope::v1::ProbeSummary>>
PostgresStore::ListProbes() {
  absl::StatusOr<PgPool::Lease> conn = pool_->Acquire();
  if (!conn.ok()) return conn.status();
  absl::StatusOr<PgResult> rows = (*conn)->Query(kListProbes, PgParams());
  if (!rows.ok()) return rows.status();
  std::vector<v6scope::v1::ProbeSummary> probes;
  probes.reserve(rows->Rows());
  for (int row = 0; row < rows->Rows(); ++row) {
    probes.push_back(ReadProbeSummary(*rows, row));
  }
  return probes;
}

// --- aggregation ------------------------------------------------------------

absl::StatusOr<std::vector<aggregate::ProbeWindow>>
PostgresStore::ListProbeWindows(const ProbeWindowQuery& query) {
  absl::StatusOr<PgPool::Lease> conn = pool_->Acquire();
  if (!conn.ok()) return conn.status();
  return SelectProbeWindows(**conn, query);
}

absl::StatusOr<RebuildReport> PostgresStore::RebuildRollups() {
  absl::StatusOr<PgPool::Lease> conn = pool_->Acquire();
  if (!conn.ok()) return conn.status();
  return RebuildPostgresRollups(**conn, target_);
}

absl::StatusOr<ExportPage> PostgresStore::ExportRuns(const ExportFilter& filter,
                                                     int64_t after,
                                                     uint32_t limit) {
  if (limit == 0 || limit > kMaxExportSlice) {
    return absl::InvalidArgumentError(
        absl::StrCat("export slice ", limit, " outside 1..", kMaxExportSlice));
  }
  absl::StatusOr<PgPool::Lease> conn = pool_->Acquire();
  if (!conn.ok()) return conn.status();
  absl::StatusOr<PgResult> rows =
      (*conn)->Query(kExportRuns, PgParams()
                                      .Int(after)
                                      .Int(limit)
                                      .Int(Micros(filter.since))
                                      .Int(Micros(filter.until))
                                      .Text(filter.probe_id)
                                      .Text(filter.country)
                                      .Int(filter.asn));
  if (!rows.ok()) return rows.status();
  ExportPage page;
  page.cursor = after;
  page.runs.reserve(rows->Rows());
  for (int row = 0; row < rows->Rows(); ++row) {
    absl::StatusOr<v6scope::v1::StoredRun> run =
        ReadStoredRun(*rows, row, target_);
    if (!run.ok()) return run.status();
    page.runs.push_back(*std::move(run));
    page.cursor = rows->Int(row, 0);
  }
  page.done = page.runs.size() < limit;
  return page;
}

}  // namespace v6scope::collector::store::postgres
