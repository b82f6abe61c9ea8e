#include "collector/store/sqlite/sqlite_rollups.h"

#include <cstdint>
#include <utility>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "collector/aggregate/rollup.h"
#include "collector/aggregate/window.h"
#include "collector/store/rollup_rebuild.h"
#include "collector/store/rollup_store.h"
#include "collector/store/sqlite/sqlite_db.h"
#include "collector/store/sqlite/sqlite_stored_run.h"
#include "collector/store/store_encoding.h"
#include "methodology/observation.h"
#include "proto/query_service.pb.h"

namespace v6scope::collector::store::sqlite {
namespace {

// The delta's observation is later than the row's.
#define LATER                                                    \
  "(excluded.latest_time, excluded.latest_seq) > (latest_time, " \
  "latest_seq)"

// Merges a rollup delta into its row exactly as MergeProbeWindow does:
// runs add up, the later (latest_time, latest_seq) observation wins. SET
// expressions all read the row as it was before the update.
constexpr char kUpsertProbeWindow[] =
    "INSERT INTO probe_windows (kind, window_start, probe_id, runs, "
    "latest_time, latest_seq, capability, root_causes, resolver_v6, gap_us, "
    "asn, country, methodology_version) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13) "
    "ON CONFLICT (kind, window_start, probe_id) DO UPDATE SET "
    "runs = runs + excluded.runs, "
    "latest_time = CASE WHEN " LATER
    " THEN excluded.latest_time "
    "  ELSE latest_time END, "
    "latest_seq = CASE WHEN " LATER
    " THEN excluded.latest_seq "
    "  ELSE latest_seq END, "
    "capability = CASE WHEN " LATER
    " THEN excluded.capability "
    "  ELSE capability END, "
    "root_causes = CASE WHEN " LATER
    " THEN excluded.root_causes "
    "  ELSE root_causes END, "
    "resolver_v6 = CASE WHEN " LATER
    " THEN excluded.resolver_v6 "
    "  ELSE resolver_v6 END, "
    "gap_us = CASE WHEN " LATER
    " THEN excluded.gap_us ELSE gap_us END, "
    "asn = CASE WHEN " LATER
    " THEN excluded.asn ELSE asn END, "
    "country = CASE WHEN " LATER
    " THEN excluded.country ELSE country END, "
    "methodology_version = CASE WHEN " LATER
    " THEN excluded.methodology_version ELSE methodology_version END";
#undef LATER
constexpr char kSelectProbeWindows[] =
    "SELECT kind, window_start, probe_id, runs, latest_time, latest_seq, "
    "capability, root_causes, resolver_v6, gap_us, asn, country, "
    "methodology_version FROM probe_windows WHERE kind = ?1 AND window_start "
    ">= ?2 "
    "AND window_start < ?3 AND (?4 = '' OR country = ?4) "
    "AND (?5 = 0 OR asn = ?5) ORDER BY window_start, probe_id";
// The row count of kSelectProbeWindows (same parameters), to size the
// result once: a query that grows its vector row by row spends a good
// part of its time reallocating and faulting in fresh pages.
constexpr char kCountSelectedProbeWindows[] =
    "SELECT COUNT(*) FROM probe_windows WHERE kind = ?1 AND window_start >= ?2 "
    "AND window_start < ?3 AND (?4 = '' OR country = ?4) "
    "AND (?5 = 0 OR asn = ?5)";
constexpr char kDeleteProbeWindows[] = "DELETE FROM probe_windows";
constexpr char kCountProbeWindows[] = "SELECT COUNT(*) FROM probe_windows";
constexpr char kScanRuns[] =
    "SELECT id, probe_id, seq, received_at, run, asn, country FROM runs "
    "WHERE id > ?1 ORDER BY id LIMIT ?2";
constexpr char kBackfillColumns[] =
    "UPDATE runs SET asn = ?2, country = ?3 WHERE id = ?1";

void BindProbeWindow(const aggregate::ProbeWindow& row, SqliteStmt& upsert) {
  upsert.BindInt(1, static_cast<int>(row.kind));
  upsert.BindInt(2, row.window_start_us);
  upsert.BindText(3, row.probe_id);
  upsert.BindInt(4, row.runs);
  upsert.BindInt(5, row.latest_time_us);
  upsert.BindInt(6, row.latest_seq);
  upsert.BindInt(7, row.latest.capability);
  upsert.BindInt(8, row.latest.root_causes);
  upsert.BindInt(9, static_cast<int>(row.latest.resolver_v6));
  if (row.latest.gap_us.has_value()) {
    upsert.BindInt(10, *row.latest.gap_us);
  } else {
    upsert.BindNull(10);
  }
  upsert.BindInt(11, row.latest.asn);
  upsert.BindText(12, row.latest.country);
  upsert.BindText(13, row.latest.methodology_version);
}

aggregate::ProbeWindow ReadProbeWindow(const SqliteStmt& select) {
  aggregate::ProbeWindow w;
  w.kind = static_cast<aggregate::WindowKind>(select.Int(0));
  w.window_start_us = select.Int(1);
  w.probe_id = select.Text(2);
  w.runs = select.Int(3);
  w.latest_time_us = select.Int(4);
  w.latest_seq = select.Int(5);
  w.latest.capability = static_cast<v6scope::v1::Capability>(select.Int(6));
  w.latest.root_causes = static_cast<uint32_t>(select.Int(7));
  w.latest.resolver_v6 = static_cast<methodology::ResolverV6>(select.Int(8));
  if (!select.IsNull(9)) w.latest.gap_us = select.Int(9);
  w.latest.asn = static_cast<uint32_t>(select.Int(10));
  w.latest.country = select.Text(11);
  w.latest.methodology_version = select.Text(12);
  return w;
}

absl::StatusOr<SqliteStmt> PrepareWindowQuery(SqliteDb& db, const char* sql,
                                              const ProbeWindowQuery& query) {
  absl::StatusOr<SqliteStmt> stmt = db.Prepare(sql);
  if (!stmt.ok()) return stmt.status();
  stmt->BindInt(1, static_cast<int>(query.kind));
  stmt->BindInt(2, Micros(query.from));
  stmt->BindInt(3, Micros(query.to));
  stmt->BindText(4, query.country);
  stmt->BindInt(5, query.asn);
  return stmt;
}

// The rebuild's statements on the write connection.
class SqliteRebuildTarget : public RollupRebuildTarget {
 public:
  explicit SqliteRebuildTarget(SqliteDb& db) : db_(db) {}

  absl::Status InTransaction(absl::FunctionRef<absl::Status()> body) override {
    absl::StatusOr<SqliteTransaction> txn = SqliteTransaction::Begin(db_);
    if (!txn.ok()) return txn.status();
    absl::Status done = body();
    if (!done.ok()) return done;  // txn rolls back.
    return txn->Commit();
  }

  absl::Status ClearRollups() override { return db_.Exec(kDeleteProbeWindows); }

  absl::Status ScanRuns(
      int64_t after, int64_t limit,
      absl::FunctionRef<void(const ScannedRun&)> visit) override {
    absl::StatusOr<SqliteStmt> scan = db_.Prepare(kScanRuns);
    if (!scan.ok()) return scan.status();
    scan->BindInt(1, after);
    scan->BindInt(2, limit);
    ScannedRun run;
    while (true) {
      absl::StatusOr<bool> row = scan->Step();
      if (!row.ok()) return row.status();
      if (!*row) return absl::OkStatus();
      absl::StatusOr<v6scope::v1::StoredRun> stored =
          ReadStoredRun(*scan, db_.path());
      if (!stored.ok()) return stored.status();
      run.id = scan->Int(0);
      run.stored = *std::move(stored);
      run.asn_column = scan->Int(5);
      run.country_column = scan->Text(6);
      visit(run);
    }  // The scan is reset (on return) before its table is written.
  }

  absl::Status BackfillColumns(
      const std::vector<ColumnBackfill>& backfills) override {
    for (const ColumnBackfill& b : backfills) {
      absl::StatusOr<SqliteStmt> update = db_.Prepare(kBackfillColumns);
      if (!update.ok()) return update.status();
      update->BindInt(1, b.id);
      update->BindInt(2, b.asn);
      update->BindText(3, b.country);
      absl::Status updated = update->Run();
      if (!updated.ok()) return updated;
    }
    return absl::OkStatus();
  }

  absl::Status MergeRollups(
      const std::vector<aggregate::ProbeWindow>& rows) override {
    return WriteProbeWindows(db_, rows);
  }

  absl::StatusOr<uint64_t> CountRollups() override {
    absl::StatusOr<SqliteStmt> count = db_.Prepare(kCountProbeWindows);
    if (!count.ok()) return count.status();
    absl::StatusOr<bool> counted = count->Step();
    if (!counted.ok()) return counted.status();
    return static_cast<uint64_t>(count->Int(0));
  }

 private:
  SqliteDb& db_;
};

}  // namespace

absl::Status WriteProbeWindows(
    SqliteDb& db, const std::vector<aggregate::ProbeWindow>& rows) {
  return RunForEach(db, kUpsertProbeWindow, rows, BindProbeWindow);
}

absl::StatusOr<std::vector<aggregate::ProbeWindow>> SelectProbeWindows(
    SqliteDb& db, const ProbeWindowQuery& query) {
  // The count is only a capacity hint (a concurrent writer in another
  // process could change it), so no transaction around the two.
  absl::StatusOr<SqliteStmt> count =
      PrepareWindowQuery(db, kCountSelectedProbeWindows, query);
  if (!count.ok()) return count.status();
  absl::StatusOr<bool> counted = count->Step();
  if (!counted.ok()) return counted.status();
  std::vector<aggregate::ProbeWindow> rows;
  rows.reserve(static_cast<size_t>(count->Int(0)));
  absl::StatusOr<SqliteStmt> select =
      PrepareWindowQuery(db, kSelectProbeWindows, query);
  if (!select.ok()) return select.status();
  while (true) {
    absl::StatusOr<bool> row = select->Step();
    if (!row.ok()) return row.status();
    if (!*row) return rows;
    rows.push_back(ReadProbeWindow(*select));
  }
}

absl::StatusOr<RebuildReport> RebuildSqliteRollups(SqliteDb& db) {
  SqliteRebuildTarget target(db);
  return RunRollupRebuild(target);
}

}  // namespace v6scope::collector::store::sqlite
