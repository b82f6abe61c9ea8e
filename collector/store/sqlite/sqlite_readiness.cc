// SqliteStore's ReadinessStore role: the domain_results, assignments and
// probe_work tables (schema version 7). Results are written on the write
// connection in one transaction per batch; everything else reads on the
// read connection, so the planner and the admin service never wait for a
// commit.
#include <google/protobuf/util/time_util.h>

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "collector/aggregate/readiness/rollup.h"
#include "collector/store/check_blob.h"
#include "collector/store/readiness_rows.h"
#include "collector/store/sqlite/sqlite_db.h"
#include "collector/store/sqlite/sqlite_readiness_rollups.h"
#include "collector/store/sqlite/sqlite_readiness_sql.h"
#include "collector/store/sqlite/sqlite_store.h"
#include "collector/store/store_encoding.h"

namespace v6scope::collector::store::sqlite {
namespace {

using ::google::protobuf::util::TimeUtil;

constexpr char kLastDomainSeq[] =
    "SELECT MAX(seq) FROM domain_results WHERE probe_id = ?1";
// ?2 round (0: all), ?3 probe (empty: all), ?4..?6 the cursor, ?7 limit.
constexpr char kReadResults[] =
    "SELECT probe_id, round, list_index, sector, probe_asn, probe_country, "
    "received_at, check_blob FROM domain_results WHERE campaign_id = ?1 "
    "AND (?2 = 0 OR round = ?2) AND (?3 = '' OR probe_id = ?3) "
    "AND (round, probe_id, list_index) > (?4, ?5, ?6) "
    "ORDER BY round, probe_id, list_index LIMIT ?7";
constexpr char kCountResults[] =
    "SELECT probe_id, round, COUNT(*) FROM domain_results "
    "WHERE campaign_id = ?1 GROUP BY probe_id, round ORDER BY probe_id, round";
constexpr char kPutAssignment[] =
    "INSERT OR REPLACE INTO assignments (assignment_id, campaign_id, "
    "probe_id, round, first_index, count, state, done, refusal, offered_at, "
    "expires_at, offers) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, "
    "?11, ?12)";
constexpr char kAssignmentColumns[] =
    "SELECT assignment_id, campaign_id, probe_id, round, first_index, count, "
    "state, done, refusal, offered_at, expires_at, offers FROM assignments ";
constexpr char kNextListIndex[] =
    "SELECT MAX(first_index + count) FROM assignments WHERE campaign_id = ?1 "
    "AND probe_id = ?2 AND round = ?3";
constexpr char kPutWork[] =
    "INSERT OR REPLACE INTO probe_work (probe_id, last_poll, opted_out, "
    "opted_out_sectors) VALUES (?1, ?2, ?3, ?4)";
constexpr char kGetWork[] =
    "SELECT last_poll, opted_out, opted_out_sectors FROM probe_work "
    "WHERE probe_id = ?1";
constexpr char kVantage[] =
    "SELECT p.revoked, r.asn, r.country, p.collector_vantage FROM probes p "
    "LEFT JOIN runs r ON r.id = (SELECT id FROM runs WHERE probe_id = "
    "p.probe_id ORDER BY id "
    "DESC LIMIT 1) WHERE p.probe_id = ?1";

absl::Time FromMicros(int64_t us) { return absl::FromUnixMicros(us); }

// Bound by reference, not copied: `probe_id`, `r` and `check` must
// outlive the statement's step (InsertBatch resets it after each row).
void BindRow(SqliteStmt& s, const std::string& probe_id,
             const DomainResultRow& r, const SerializedCheck& check) {
  s.BindTextRef(1, probe_id);
  s.BindInt(2, static_cast<int64_t>(r.seq));
  s.BindTextRef(3, r.assignment_id);
  s.BindInt(4, r.item);
  s.BindTextRef(5, r.campaign_id);
  s.BindInt(6, r.round);
  s.BindInt(7, static_cast<int64_t>(r.list_index));
  s.BindTextRef(8, r.domain);
  s.BindTextRef(9, r.sector);
  s.BindInt(10, r.probe_asn);
  s.BindTextRef(11, r.probe_country);
  s.BindInt(12, Micros(r.received_at));
  s.BindInt(13, check.web_state);
  s.BindInt(14, check.dns_state);
  s.BindInt(15, check.mail_state);
  s.BindInt(16, check.web_v4_asn);
  s.BindInt(17, check.web_v6_asn);
  s.BindBlobRef(18, check.blob);
  s.BindTextRef(19, check.methodology_version);
}

// One batch's rows into the open transaction; the rows stored (not
// duplicates) into `rollups`.
absl::StatusOr<StoredDomainBatch> InsertBatch(
    SqliteDb& db, SqliteStmt& insert, const DomainBatchRows& batch,
    aggregate::readiness::ReadinessRollupDeltas& rollups) {
  StoredDomainBatch out{batch.first_seq,
                        batch.first_seq + batch.rows.size() - 1, 0};
  SerializedCheck scratch;
  aggregate::readiness::ReadinessResult result;  // Reused: see ResultOfRow.
  for (const DomainResultRow& row : batch.rows) {
    insert.Reset();
    const SerializedCheck& check = StoredCheck(row, &scratch);
    BindRow(insert, batch.probe_id, row, check);
    absl::Status s = insert.Run();
    if (!s.ok()) return s;
    if (db.Changes() == 0) continue;  // A duplicate: counted once already.
    ++out.stored;
    ResultOfRow(batch.probe_id, row, check, &result);
    rollups.Add(result);
  }
  insert.Reset();  // Lets go of the bound blob.
  return out;
}

absl::StatusOr<v6scope::v1::StoredDomainResult> ResultRow(
    const SqliteStmt& row) {
  v6scope::v1::StoredDomainResult r;
  r.set_probe_id(row.Text(0));
  r.set_round(static_cast<uint32_t>(row.Int(1)));
  r.set_list_index(static_cast<uint64_t>(row.Int(2)));
  r.set_sector(row.Text(3));
  r.set_probe_asn(static_cast<uint32_t>(row.Int(4)));
  r.set_probe_country(row.Text(5));
  *r.mutable_received_at() = TimeUtil::MicrosecondsToTimestamp(row.Int(6));
  absl::Status parsed = ParseStoredCheck(row.Blob(7), r.mutable_check());
  if (!parsed.ok()) return parsed;
  return r;
}

AssignmentRecord AssignmentRow(const SqliteStmt& row) {
  AssignmentRecord a;
  a.assignment_id = row.Text(0);
  a.campaign_id = row.Text(1);
  a.probe_id = row.Text(2);
  a.round = static_cast<uint32_t>(row.Int(3));
  a.first_index = static_cast<uint64_t>(row.Int(4));
  a.count = static_cast<uint32_t>(row.Int(5));
  a.state = static_cast<AssignmentState>(row.Int(6));
  a.done = static_cast<uint32_t>(row.Int(7));
  a.refusal = row.Text(8);
  a.offered_at = FromMicros(row.Int(9));
  a.expires_at = FromMicros(row.Int(10));
  a.offers = static_cast<int>(row.Int(11));
  return a;
}

absl::StatusOr<std::vector<AssignmentRecord>> AssignmentRows(
    SqliteStmt& select) {
  std::vector<AssignmentRecord> list;
  for (;;) {
    absl::StatusOr<bool> row = select.Step();
    if (!row.ok()) return row.status();
    if (!*row) return list;
    list.push_back(AssignmentRow(select));
  }
}

}  // namespace

absl::StatusOr<uint64_t> SqliteStore::LastStoredDomainSeq(
    const std::string& probe_id) {
  absl::MutexLock lock(&read_mu_);
  absl::StatusOr<SqliteStmt> select = read_db_->Prepare(kLastDomainSeq);
  if (!select.ok()) return select.status();
  select->BindText(1, probe_id);
  absl::StatusOr<bool> row = select->Step();
  if (!row.ok()) return row.status();
  return *row ? static_cast<uint64_t>(select->Int(0)) : 0;  // NULL is 0.
}

absl::StatusOr<std::vector<StoredDomainBatch>> SqliteStore::StoreDomainBatches(
    absl::Span<const DomainBatchRows> batches) {
  absl::Status valid = ValidateDomainBatches(batches);
  if (!valid.ok()) return valid;
  std::vector<StoredDomainBatch> out;
  if (batches.empty()) return out;
  out.reserve(batches.size());
  absl::MutexLock lock(&mu_);
  // One transaction, hence one fsync, for every batch of the call; an
  // error returns before the commit and the transaction rolls back.
  absl::StatusOr<SqliteTransaction> txn = SqliteTransaction::Begin(*db_);
  if (!txn.ok()) return txn.status();
  absl::StatusOr<SqliteStmt> insert = db_->Prepare(kInsertDomainResult);
  if (!insert.ok()) return insert.status();
  // The readiness rollups of the new rows, one write per key, in step with
  // the rows in the same transaction.
  aggregate::readiness::ReadinessRollupDeltas rollups;
  for (const DomainBatchRows& batch : batches) {
    absl::StatusOr<StoredDomainBatch> stored =
        InsertBatch(*db_, *insert, batch, rollups);
    if (!stored.ok()) return stored.status();
    out.push_back(*stored);
  }
  absl::Status merged = WriteReadinessRollups(*db_, rollups.Take());
  if (!merged.ok()) return merged;
  absl::Status committed = txn->Commit();
  if (!committed.ok()) return committed;
  return out;
}

absl::StatusOr<std::vector<aggregate::readiness::DomainRollup>>
SqliteStore::ListReadinessRollups(const ReadinessRollupQuery& query) {
  absl::MutexLock lock(&read_mu_);
  return SelectReadinessRollups(*read_db_, query);
}

absl::StatusOr<std::vector<uint32_t>> SqliteStore::ListReadinessRounds(
    const std::string& campaign_id) {
  absl::MutexLock lock(&read_mu_);
  return SelectReadinessRounds(*read_db_, campaign_id);
}

absl::StatusOr<ReadinessRebuildReport> SqliteStore::RebuildReadinessRollups() {
  absl::MutexLock lock(&mu_);
  return RebuildSqliteReadinessRollups(*db_);
}

absl::StatusOr<std::vector<v6scope::v1::StoredDomainResult>>
SqliteStore::ReadDomainResults(const DomainResultQuery& query) {
  const DomainResultCursor after = StartAfter(query);
  absl::MutexLock lock(&read_mu_);
  absl::StatusOr<SqliteStmt> select = read_db_->Prepare(kReadResults);
  if (!select.ok()) return select.status();
  select->BindText(1, query.campaign_id);
  select->BindInt(2, query.round);
  select->BindText(3, query.probe_id);
  select->BindInt(4, after.round);
  select->BindText(5, after.probe_id);
  select->BindInt(6, static_cast<int64_t>(after.list_index));
  select->BindInt(7, query.limit);
  std::vector<v6scope::v1::StoredDomainResult> page;
  for (;;) {
    absl::StatusOr<bool> row = select->Step();
    if (!row.ok()) return row.status();
    if (!*row) return page;
    absl::StatusOr<v6scope::v1::StoredDomainResult> r = ResultRow(*select);
    if (!r.ok()) return r.status();
    page.push_back(*std::move(r));
  }
}

absl::StatusOr<std::vector<ReadinessStore::ResultCount>>
SqliteStore::CountDomainResults(const std::string& campaign_id) {
  absl::MutexLock lock(&read_mu_);
  absl::StatusOr<SqliteStmt> select = read_db_->Prepare(kCountResults);
  if (!select.ok()) return select.status();
  select->BindText(1, campaign_id);
  std::vector<RoundCount> rows;
  for (;;) {
    absl::StatusOr<bool> row = select->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    rows.push_back({select->Text(0), static_cast<uint32_t>(select->Int(1)),
                    static_cast<uint64_t>(select->Int(2))});
  }
  return FoldRoundCounts(rows);
}

absl::Status SqliteStore::PutAssignment(const AssignmentRecord& a) {
  absl::MutexLock lock(&mu_);
  absl::StatusOr<SqliteStmt> put = db_->Prepare(kPutAssignment);
  if (!put.ok()) return put.status();
  put->BindText(1, a.assignment_id);
  put->BindText(2, a.campaign_id);
  put->BindText(3, a.probe_id);
  put->BindInt(4, a.round);
  put->BindInt(5, static_cast<int64_t>(a.first_index));
  put->BindInt(6, a.count);
  put->BindInt(7, static_cast<int>(a.state));
  put->BindInt(8, a.done);
  put->BindText(9, a.refusal);
  put->BindInt(10, Micros(a.offered_at));
  put->BindInt(11, Micros(a.expires_at));
  put->BindInt(12, a.offers);
  return put->Run();
}

absl::StatusOr<AssignmentRecord> SqliteStore::GetAssignment(
    const std::string& assignment_id) {
  absl::MutexLock lock(&read_mu_);
  absl::StatusOr<SqliteStmt> select = read_db_->Prepare(
      absl::StrCat(kAssignmentColumns, "WHERE assignment_id = ?1"));
  if (!select.ok()) return select.status();
  select->BindText(1, assignment_id);
  absl::StatusOr<bool> row = select->Step();
  if (!row.ok()) return row.status();
  if (!*row) {
    return absl::NotFoundError(absl::StrCat("no assignment ", assignment_id));
  }
  return AssignmentRow(*select);
}

absl::StatusOr<std::vector<AssignmentRecord>> SqliteStore::ListProbeAssignments(
    const std::string& probe_id, absl::Time offered_since) {
  absl::MutexLock lock(&read_mu_);
  absl::StatusOr<SqliteStmt> select = read_db_->Prepare(absl::StrCat(
      kAssignmentColumns,
      "WHERE probe_id = ?1 AND (state IN (1, 2) OR offered_at >= ?2) "
      "ORDER BY offered_at, assignment_id"));
  if (!select.ok()) return select.status();
  select->BindText(1, probe_id);
  select->BindInt(2, Micros(offered_since));
  return AssignmentRows(*select);
}

absl::StatusOr<std::vector<AssignmentRecord>>
SqliteStore::ListCampaignAssignments(const std::string& campaign_id) {
  absl::MutexLock lock(&read_mu_);
  absl::StatusOr<SqliteStmt> select = read_db_->Prepare(
      absl::StrCat(kAssignmentColumns,
                   "WHERE campaign_id = ?1 "
                   "ORDER BY probe_id, offered_at, assignment_id"));
  if (!select.ok()) return select.status();
  select->BindText(1, campaign_id);
  return AssignmentRows(*select);
}

absl::StatusOr<uint64_t> SqliteStore::NextListIndex(
    const std::string& campaign_id, const std::string& probe_id,
    uint32_t round) {
  absl::MutexLock lock(&read_mu_);
  absl::StatusOr<SqliteStmt> select = read_db_->Prepare(kNextListIndex);
  if (!select.ok()) return select.status();
  select->BindText(1, campaign_id);
  select->BindText(2, probe_id);
  select->BindInt(3, round);
  absl::StatusOr<bool> row = select->Step();
  if (!row.ok()) return row.status();
  return *row ? static_cast<uint64_t>(select->Int(0)) : 0;  // NULL is 0.
}

absl::Status SqliteStore::PutProbeWorkState(const ProbeWorkState& state) {
  absl::MutexLock lock(&mu_);
  absl::StatusOr<SqliteStmt> put = db_->Prepare(kPutWork);
  if (!put.ok()) return put.status();
  put->BindText(1, state.probe_id);
  put->BindInt(2, Micros(state.last_poll));
  put->BindInt(3, state.opted_out ? 1 : 0);
  put->BindText(4, JoinSectors(state.opted_out_sectors));
  return put->Run();
}

absl::StatusOr<ProbeWorkState> SqliteStore::GetProbeWorkState(
    const std::string& probe_id) {
  absl::MutexLock lock(&read_mu_);
  absl::StatusOr<SqliteStmt> select = read_db_->Prepare(kGetWork);
  if (!select.ok()) return select.status();
  select->BindText(1, probe_id);
  absl::StatusOr<bool> row = select->Step();
  if (!row.ok()) return row.status();
  if (!*row) {
    return absl::NotFoundError(
        absl::StrCat("probe ", probe_id, " never polled for work"));
  }
  return ProbeWorkState{probe_id, FromMicros(select->Int(0)),
                        select->Int(1) != 0, SplitSectors(select->Text(2))};
}

absl::StatusOr<campaign::ProbeVantage> SqliteStore::GetProbeVantage(
    const std::string& probe_id) {
  absl::MutexLock lock(&read_mu_);
  absl::StatusOr<SqliteStmt> select = read_db_->Prepare(kVantage);
  if (!select.ok()) return select.status();
  select->BindText(1, probe_id);
  absl::StatusOr<bool> row = select->Step();
  if (!row.ok()) return row.status();
  if (!*row) return absl::NotFoundError(absl::StrCat("no probe ", probe_id));
  campaign::ProbeVantage p;
  p.probe_id = probe_id;
  p.revoked = select->Int(0) != 0;
  p.has_runs = !select->IsNull(1);
  p.asn = static_cast<uint32_t>(select->Int(1));
  p.country = select->Text(2);
  p.collector_vantage = select->Int(3) != 0;
  return p;
}

}  // namespace v6scope::collector::store::sqlite
