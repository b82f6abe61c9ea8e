#include "collector/store/sqlite/sqlite_store.h"

#include <google/protobuf/timestamp.pb.h>
#include <google/protobuf/util/time_util.h>

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "collector/aggregate/rollup.h"
#include "collector/store/sqlite/sqlite_db.h"
#include "collector/store/sqlite/sqlite_file_modes.h"
#include "collector/store/sqlite/sqlite_ingest_sql.h"
#include "collector/store/sqlite/sqlite_migrations.h"
#include "collector/store/sqlite/sqlite_readiness_rollups.h"
#include "collector/store/sqlite/sqlite_rollups.h"
#include "collector/store/sqlite/sqlite_stored_run.h"
#include "collector/store/store.h"
#include "collector/store/store_encoding.h"
#include "proto/query_service.pb.h"
#include "proto/results.pb.h"

namespace v6scope::collector::store::sqlite {
namespace {

using ::google::protobuf::util::TimeUtil;

// --- SQL --------------------------------------------------------------------

constexpr char kInsertToken[] =
    "INSERT INTO enrolment_tokens (token_hash, org, created_at, expires_at, "
    "collector_vantage) VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT DO NOTHING";
constexpr char kSelectToken[] =
    "SELECT org, expires_at, used_at IS NOT NULL, collector_vantage "
    "FROM enrolment_tokens WHERE token_hash = ?1";
constexpr char kMarkTokenUsed[] =
    "UPDATE enrolment_tokens SET used_at = ?2, used_by_probe = ?3 "
    "WHERE token_hash = ?1";
constexpr char kInsertProbe[] =
    "INSERT INTO probes (probe_id, credential_hash, org, probe_version, "
    "enrolled_at, revoked, synthetic, collector_vantage) "
    "VALUES (?1, ?2, ?3, ?4, ?5, 0, ?6, ?7) ON CONFLICT DO NOTHING";
constexpr char kSelectProbe[] =
    "SELECT credential_hash, org, probe_version, enrolled_at, revoked, "
    "synthetic, collector_vantage FROM probes WHERE probe_id = ?1";
constexpr char kSelectRevoked[] =
    "SELECT revoked FROM probes WHERE probe_id = ?1";
constexpr char kRevokeProbe[] =
    "UPDATE probes SET revoked = 1 WHERE probe_id = ?1";
constexpr char kExportRuns[] =
    "SELECT id, probe_id, seq, received_at, run FROM runs WHERE id > ?1 "
    "AND coalesce(started_at, received_at) >= ?3 "
    "AND coalesce(started_at, received_at) < ?4 "
    "AND (?5 = '' OR probe_id = ?5) AND (?6 = '' OR country = ?6) "
    "AND (?7 = 0 OR asn = ?7) ORDER BY id LIMIT ?2";
constexpr char kLastSeq[] = "SELECT MAX(seq) FROM runs WHERE probe_id = ?1";
constexpr char kDroppedRuns[] =
    "SELECT dropped_runs FROM probe_stats WHERE probe_id = ?1";
constexpr char kListRuns[] =
    "SELECT id, probe_id, seq, received_at, run FROM runs "
    "WHERE id < ?1 ORDER BY id DESC LIMIT ?2";
constexpr char kListProbeRuns[] =
    "SELECT id, probe_id, seq, received_at, run FROM runs "
    "WHERE probe_id = ?3 AND id < ?1 ORDER BY id DESC LIMIT ?2";
constexpr char kListProbes[] =
    "SELECT p.probe_id, p.org, p.enrolled_at, p.revoked, "
    "coalesce(s.runs, 0), s.last_run_at, p.synthetic "
    "FROM probes p LEFT JOIN probe_stats s ON s.probe_id = p.probe_id "
    "ORDER BY p.probe_id";

// --- helpers ----------------------------------------------------------------

v6scope::v1::ProbeSummary ReadProbeSummary(const SqliteStmt& row) {
  v6scope::v1::ProbeSummary summary;
  summary.set_probe_id(row.Text(0));
  summary.set_org(row.Text(1));
  *summary.mutable_enrolled_at() =
      TimeUtil::MicrosecondsToTimestamp(row.Int(2));
  summary.set_revoked(row.Int(3) != 0);
  summary.set_runs(static_cast<uint64_t>(row.Int(4)));
  if (!row.IsNull(5)) {
    *summary.mutable_last_run_at() =
        TimeUtil::MicrosecondsToTimestamp(row.Int(5));
  }
  summary.set_synthetic(row.Int(6) != 0);
  return summary;
}

}  // namespace

// --- opening
// ------------------------------------------------------------------

absl::StatusOr<std::unique_ptr<SqliteStore>> SqliteStore::Open(
    const std::string& path) {
  absl::Status secured = SecureDatabaseFiles(path);
  if (!secured.ok()) return secured;
  absl::StatusOr<std::unique_ptr<SqliteDb>> db = SqliteDb::Open(path);
  if (!db.ok()) return db.status();
  absl::Status migrated = MigrateSqliteSchema(**db);
  if (!migrated.ok()) {
    return absl::Status(
        migrated.code(),
        absl::StrCat("SQLite database ", path, ": ", migrated.message()));
  }
  // Results stored before schema step 9 are folded into the readiness
  // rollups once, here (the step could not in SQL).
  absl::Status folded = RegisterReadinessRollupFunctions(**db);
  if (folded.ok()) folded = RebuildPendingReadinessRollups(**db);
  if (!folded.ok()) {
    return absl::Status(
        folded.code(), absl::StrCat("SQLite database ", path,
                                    ": readiness rollups: ", folded.message()));
  }
  // Reads get their own connection: in WAL mode they proceed while the
  // writer commits (fsync included), so the request threads that look up
  // a probe or its last sequence number never wait for a group commit.
  absl::StatusOr<std::unique_ptr<SqliteDb>> reader = SqliteDb::Open(path);
  if (!reader.ok()) return reader.status();
  return std::unique_ptr<SqliteStore>(
      new SqliteStore(*std::move(db), *std::move(reader)));
}

SqliteStore::SqliteStore(std::unique_ptr<SqliteDb> db,
                         std::unique_ptr<SqliteDb> reader)
    : db_(std::move(db)), read_db_(std::move(reader)) {}

SqliteStore::~SqliteStore() = default;

// --- enrolment
// ----------------------------------------------------------------

absl::Status SqliteStore::AddEnrolmentToken(const EnrolmentTokenRecord& token) {
  absl::MutexLock lock(&mu_);
  absl::StatusOr<SqliteStmt> insert = db_->Prepare(kInsertToken);
  if (!insert.ok()) return insert.status();
  insert->BindText(1, token.token_hash);
  insert->BindText(2, token.org);
  insert->BindInt(3, Micros(token.created_at));
  insert->BindInt(4, Micros(token.expires_at));
  insert->BindInt(5, token.collector_vantage ? 1 : 0);
  absl::Status inserted = insert->Run();
  if (!inserted.ok()) return inserted;
  if (db_->Changes() == 0) {
    return absl::AlreadyExistsError("enrolment token already exists");
  }
  return absl::OkStatus();
}

absl::StatusOr<ProbeRecord> SqliteStore::ConsumeEnrolmentToken(
    const std::string& token_hash, absl::Time now, ProbeRecord probe) {
  absl::MutexLock lock(&mu_);
  absl::StatusOr<SqliteTransaction> txn = SqliteTransaction::Begin(*db_);
  if (!txn.ok()) return txn.status();
  absl::StatusOr<ProbeRecord> consumed =
      ConsumeLocked(token_hash, now, std::move(probe));
  if (!consumed.ok()) return consumed.status();  // txn rolls back.
  absl::Status committed = txn->Commit();
  if (!committed.ok()) return committed;
  return consumed;
}

absl::StatusOr<ProbeRecord> SqliteStore::ConsumeLocked(
    const std::string& token_hash, absl::Time now, ProbeRecord probe) {
  {
    absl::StatusOr<SqliteStmt> select = db_->Prepare(kSelectToken);
    if (!select.ok()) return select.status();
    select->BindText(1, token_hash);
    absl::StatusOr<bool> row = select->Step();
    if (!row.ok()) return row.status();
    if (!*row) return absl::NotFoundError("unknown enrolment token");
    // "already used" wins over "expired": it is the more useful answer.
    if (select->Int(2) != 0) {
      return absl::FailedPreconditionError("enrolment token already used");
    }
    if (Micros(now) >= select->Int(1)) {
      return absl::FailedPreconditionError("enrolment token expired");
    }
    probe.org = select->Text(0);
    probe.collector_vantage = select->Int(3) != 0;
  }
  absl::StatusOr<SqliteStmt> insert = db_->Prepare(kInsertProbe);
  if (!insert.ok()) return insert.status();
  insert->BindText(1, probe.probe_id);
  insert->BindText(2, probe.credential_hash);
  insert->BindText(3, probe.org);
  insert->BindText(4, probe.probe_version);
  insert->BindInt(5, Micros(probe.enrolled_at));
  insert->BindInt(6, probe.synthetic ? 1 : 0);
  insert->BindInt(7, probe.collector_vantage ? 1 : 0);
  absl::Status inserted = insert->Run();
  if (!inserted.ok()) return inserted;
  if (db_->Changes() == 0) {
    return absl::AlreadyExistsError(
        absl::StrCat("probe ", probe.probe_id, " already exists"));
  }
  absl::StatusOr<SqliteStmt> mark = db_->Prepare(kMarkTokenUsed);
  if (!mark.ok()) return mark.status();
  mark->BindText(1, token_hash);
  mark->BindInt(2, Micros(now));
  mark->BindText(3, probe.probe_id);
  absl::Status marked = mark->Run();
  if (!marked.ok()) return marked;
  probe.revoked = false;
  return probe;
}

absl::StatusOr<ProbeRecord> SqliteStore::GetProbe(const std::string& probe_id) {
  absl::MutexLock lock(&read_mu_);
  absl::StatusOr<SqliteStmt> select = read_db_->Prepare(kSelectProbe);
  if (!select.ok()) return select.status();
  select->BindText(1, probe_id);
  absl::StatusOr<bool> row = select->Step();
  if (!row.ok()) return row.status();
  if (!*row) return absl::NotFoundError(absl::StrCat("no probe ", probe_id));
  ProbeRecord probe;
  probe.probe_id = probe_id;
  probe.credential_hash = select->Text(0);
  probe.org = select->Text(1);
  probe.probe_version = select->Text(2);
  probe.enrolled_at = absl::FromUnixMicros(select->Int(3));
  probe.revoked = select->Int(4) != 0;
  probe.synthetic = select->Int(5) != 0;
  probe.collector_vantage = select->Int(6) != 0;
  return probe;
}

absl::Status SqliteStore::RevokeProbe(const std::string& probe_id) {
  absl::MutexLock lock(&mu_);
  absl::StatusOr<SqliteStmt> update = db_->Prepare(kRevokeProbe);
  if (!update.ok()) return update.status();
  update->BindText(1, probe_id);
  absl::Status updated = update->Run();
  if (!updated.ok()) return updated;
  // SQLite counts matched rows, so revoking twice still changes one row.
  if (db_->Changes() == 0) {
    return absl::NotFoundError(absl::StrCat("no probe ", probe_id));
  }
  return absl::OkStatus();
}

// A real write, committed, so a read-only file or a full disk shows
// (BEGIN IMMEDIATE alone succeeds on a database opened read-only). The
// table is made on first use: one row, never read by anything else.
absl::Status SqliteStore::CheckWritable() {
  absl::MutexLock lock(&mu_);
  absl::StatusOr<SqliteTransaction> tx = SqliteTransaction::Begin(*db_);
  if (!tx.ok()) return tx.status();
  absl::Status s = db_->Exec(
      "CREATE TABLE IF NOT EXISTS health_check "
      "(id INTEGER PRIMARY KEY CHECK (id = 1), writes INTEGER NOT NULL)");
  if (s.ok()) {
    s = db_->Exec(
        "INSERT INTO health_check VALUES (1, 1) "
        "ON CONFLICT (id) DO UPDATE SET writes = writes + 1");
  }
  if (!s.ok()) return s;
  return tx->Commit();
}

// --- results
// ------------------------------------------------------------------

absl::StatusOr<std::vector<BatchOutcome>> SqliteStore::StoreBatches(
    const std::vector<RunBatch>& batches) {
  for (const RunBatch& batch : batches) {
    absl::Status valid = ValidateBatch(batch);
    if (!valid.ok()) return valid;
  }
  absl::MutexLock lock(&mu_);
  // One transaction, hence one fsync, for every batch of the call.
  absl::StatusOr<SqliteTransaction> txn = SqliteTransaction::Begin(*db_);
  if (!txn.ok()) return txn.status();
  std::vector<BatchOutcome> outcomes;
  outcomes.reserve(batches.size());
  aggregate::RollupDeltas rollups;
  for (const RunBatch& batch : batches) {
    absl::StatusOr<BatchOutcome> outcome = StoreBatchLocked(batch, rollups);
    if (!outcome.ok()) return outcome.status();  // txn rolls back.
    outcomes.push_back(*outcome);
  }
  absl::Status rolled_up = WriteProbeWindows(*db_, rollups.Take());
  if (!rolled_up.ok()) return rolled_up;
  absl::Status committed = txn->Commit();
  if (!committed.ok()) return committed;
  return outcomes;
}

absl::StatusOr<BatchOutcome> SqliteStore::StoreBatchLocked(
    const RunBatch& batch, aggregate::RollupDeltas& rollups) {
  BatchOutcome outcome;
  absl::StatusOr<bool> revoked = IsRevokedLocked(batch.probe_id);
  if (!revoked.ok()) return revoked.status();
  if (*revoked) {
    outcome.revoked = true;
    return outcome;
  }
  const int64_t received_at = Micros(batch.received_at);
  absl::StatusOr<SqliteStmt> insert = db_->Prepare(kInsertRun);
  if (!insert.ok()) return insert.status();
  for (size_t i = 0; i < batch.runs.size(); ++i) {
    const PreparedRun& run = batch.runs[i];
    insert->Reset();
    insert->BindText(1, batch.probe_id);
    insert->BindInt(2, static_cast<int64_t>(batch.first_seq + i));
    insert->BindInt(3, received_at);
    if (run.started_at_us.has_value()) {
      insert->BindInt(4, *run.started_at_us);
    } else {
      insert->BindNull(4);
    }
    insert->BindInt(5, run.capability);
    insert->BindInt(6, run.score);
    insert->BindBlob(7, run.blob);
    insert->BindInt(8, run.observation.asn);
    insert->BindText(9, run.observation.country);
    absl::Status inserted = insert->Run();
    if (!inserted.ok()) return inserted;
    // ON CONFLICT DO NOTHING: 0 changes means (probe_id, seq) was there.
    if (db_->Changes() == 1) {
      ++outcome.stored;
      rollups.Add(batch.probe_id, batch.first_seq + i, run.observation,
                  run.RunTime(batch.received_at));
    } else {
      ++outcome.duplicates;
    }
  }
  // A batch whose runs were all duplicates is a resend (its ack was lost):
  // its dropped_runs were counted the first time.
  const bool resend = !batch.runs.empty() && outcome.stored == 0;
  const int64_t dropped = resend ? 0 : static_cast<int64_t>(batch.dropped_runs);
  if (outcome.stored == 0 && dropped == 0) return outcome;
  absl::StatusOr<SqliteStmt> stats = db_->Prepare(kUpdateStats);
  if (!stats.ok()) return stats.status();
  stats->BindText(1, batch.probe_id);
  stats->BindInt(2, outcome.stored);
  if (outcome.stored > 0) {
    stats->BindInt(3, received_at);
  } else {
    stats->BindNull(3);
  }
  stats->BindInt(4, dropped);
  absl::Status updated = stats->Run();
  if (!updated.ok()) return updated;
  return outcome;
}

// On the write connection, inside the write transaction: sees every
// revocation committed before it began, by this collector or any other.
absl::StatusOr<bool> SqliteStore::IsRevokedLocked(const std::string& probe_id) {
  absl::StatusOr<SqliteStmt> select = db_->Prepare(kSelectRevoked);
  if (!select.ok()) return select.status();
  select->BindText(1, probe_id);
  absl::StatusOr<bool> row = select->Step();
  if (!row.ok()) return row.status();
  return *row && select->Int(0) != 0;
}

absl::StatusOr<std::vector<aggregate::ProbeWindow>>
SqliteStore::ListProbeWindows(const ProbeWindowQuery& query) {
  absl::MutexLock lock(&read_mu_);
  return SelectProbeWindows(*read_db_, query);
}

absl::StatusOr<RebuildReport> SqliteStore::RebuildRollups() {
  absl::MutexLock lock(&mu_);
  return RebuildSqliteRollups(*db_);
}

absl::StatusOr<ExportPage> SqliteStore::ExportRuns(const ExportFilter& filter,
                                                   int64_t after,
                                                   uint32_t limit) {
  if (limit == 0 || limit > kMaxExportSlice) {
    return absl::InvalidArgumentError(
        absl::StrCat("export slice ", limit, " outside 1..", kMaxExportSlice));
  }
  absl::MutexLock lock(&read_mu_);
  absl::StatusOr<SqliteStmt> select = read_db_->Prepare(kExportRuns);
  if (!select.ok()) return select.status();
  select->BindInt(1, after);
  select->BindInt(2, limit);
  select->BindInt(3, Micros(filter.since));
  select->BindInt(4, Micros(filter.until));
  select->BindText(5, filter.probe_id);
  select->BindText(6, filter.country);
  select->BindInt(7, filter.asn);
  ExportPage page;
  page.cursor = after;
  while (true) {
    absl::StatusOr<bool> row = select->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    absl::StatusOr<v6scope::v1::StoredRun> run =
        ReadStoredRun(*select, read_db_->path());
    if (!run.ok()) return run.status();
    page.runs.push_back(*std::move(run));
    page.cursor = select->Int(0);
  }
  page.done = page.runs.size() < limit;
  return page;
}

absl::StatusOr<uint64_t> SqliteStore::LastStoredSeq(
    const std::string& probe_id) {
  absl::MutexLock lock(&read_mu_);
  absl::StatusOr<SqliteStmt> select = read_db_->Prepare(kLastSeq);
  if (!select.ok()) return select.status();
  select->BindText(1, probe_id);
  absl::StatusOr<bool> row = select->Step();
  if (!row.ok()) return row.status();
  if (!*row || select->IsNull(0)) return 0;  // MAX() of no rows is NULL.
  return static_cast<uint64_t>(select->Int(0));
}

absl::StatusOr<uint64_t> SqliteStore::DroppedRuns(const std::string& probe_id) {
  absl::MutexLock lock(&read_mu_);
  absl::StatusOr<SqliteStmt> select = read_db_->Prepare(kDroppedRuns);
  if (!select.ok()) return select.status();
  select->BindText(1, probe_id);
  absl::StatusOr<bool> row = select->Step();
  if (!row.ok()) return row.status();
  if (!*row) return 0;
  return static_cast<uint64_t>(select->Int(0));
}

absl::StatusOr<RunPage> SqliteStore::ListRuns(const RunFilter& filter,
                                              uint32_t page_size,
                                              const std::string& page_token) {
  if (page_size == 0 || page_size > kMaxPageSize) {
    return absl::InvalidArgumentError(
        absl::StrCat("page size ", page_size, " outside 1..", kMaxPageSize));
  }
  absl::StatusOr<int64_t> before_id = DecodePageToken(page_token);
  if (!before_id.ok()) return before_id.status();
  absl::MutexLock lock(&read_mu_);
  absl::StatusOr<SqliteStmt> select =
      read_db_->Prepare(filter.probe_id.empty() ? kListRuns : kListProbeRuns);
  if (!select.ok()) return select.status();
  select->BindInt(1, *before_id);
  // One row more than asked: tells whether another page follows, so the
  // last page carries no token.
  select->BindInt(2, static_cast<int64_t>(page_size) + 1);
  if (!filter.probe_id.empty()) select->BindText(3, filter.probe_id);
  RunPage page;
  int64_t last_id = 0;
  while (true) {
    absl::StatusOr<bool> row = select->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    if (page.runs.size() == page_size) {
      page.next_page_token = EncodePageToken(last_id);
      break;
    }
    absl::StatusOr<v6scope::v1::StoredRun> run =
        ReadStoredRun(*select, read_db_->path());
    if (!run.ok()) return run.status();
    page.runs.push_back(*std::move(run));
    last_id = select->Int(0);
  }
  return page;
}

absl::StatusOr<std::vector<v6scope::v1::ProbeSummary>>
SqliteStore::ListProbes() {
  absl::MutexLock lock(&read_mu_);
  absl::StatusOr<SqliteStmt> select = read_db_->Prepare(kListProbes);
  if (!select.ok()) return select.status();
  std::vector<v6scope::v1::ProbeSummary> probes;
  while (true) {
    absl::StatusOr<bool> row = select->Step();
    if (!row.ok()) return row.status();
    if (!*row) return probes;
    probes.push_back(ReadProbeSummary(*select));
  }
}

}  // namespace v6scope::collector::store::sqlite
