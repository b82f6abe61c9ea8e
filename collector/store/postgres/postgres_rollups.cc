#include "collector/store/postgres/postgres_rollups.h"

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "collector/aggregate/rollup.h"
#include "collector/aggregate/window.h"
#include "collector/store/postgres/pg_conn.h"
#include "collector/store/postgres/postgres_stored_run.h"
#include "collector/store/rollup_rebuild.h"
#include "collector/store/rollup_store.h"
#include "collector/store/store_encoding.h"
#include "methodology/observation.h"
#include "proto/query_service.pb.h"

namespace v6scope::collector::store::postgres {
namespace {

// Merges a rollup delta into its row exactly as MergeProbeWindow does:
// runs add up, the later (latest_time, latest_seq) observation wins. SET
// expressions all read the row as it was before the update.
#define LATER                                                      \
  "(excluded.latest_time, excluded.latest_seq) > (w.latest_time, " \
  "w.latest_seq)"
constexpr char kUpsertProbeWindow[] =
    "INSERT INTO probe_windows AS w (kind, window_start, probe_id, runs, "
    "latest_time, latest_seq, capability, root_causes, resolver_v6, gap_us, "
    "asn, country, methodology_version) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) "
    "ON CONFLICT (kind, window_start, probe_id) DO UPDATE SET "
    "runs = w.runs + excluded.runs, "
    "latest_time = CASE WHEN " LATER
    " THEN excluded.latest_time "
    "  ELSE w.latest_time END, "
    "latest_seq = CASE WHEN " LATER
    " THEN excluded.latest_seq "
    "  ELSE w.latest_seq END, "
    "capability = CASE WHEN " LATER
    " THEN excluded.capability "
    "  ELSE w.capability END, "
    "root_causes = CASE WHEN " LATER
    " THEN excluded.root_causes "
    "  ELSE w.root_causes END, "
    "resolver_v6 = CASE WHEN " LATER
    " THEN excluded.resolver_v6 "
    "  ELSE w.resolver_v6 END, "
    "gap_us = CASE WHEN " LATER
    " THEN excluded.gap_us ELSE w.gap_us END, "
    "asn = CASE WHEN " LATER
    " THEN excluded.asn ELSE w.asn END, "
    "country = CASE WHEN " LATER
    " THEN excluded.country ELSE w.country END, "
    "methodology_version = CASE WHEN " LATER
    " THEN excluded.methodology_version ELSE w.methodology_version END";
#undef LATER
constexpr char kSelectProbeWindows[] =
    "SELECT kind, window_start, probe_id, runs, latest_time, latest_seq, "
    "capability, root_causes, resolver_v6, gap_us, asn, country, "
    "methodology_version FROM probe_windows WHERE kind = $1 AND window_start "
    ">= $2 "
    "AND window_start < $3 AND ($4 = '' OR country = $4) "
    "AND ($5 = 0 OR asn = $5) ORDER BY window_start, probe_id";
// Ingest (INSERT/UPDATE: ROW EXCLUSIVE) waits while a rebuild holds this,
// so no run is counted both by a concurrent upsert and by the rebuild.
constexpr char kLockProbeWindows[] =
    "LOCK TABLE probe_windows IN SHARE ROW EXCLUSIVE MODE";
constexpr char kDeleteProbeWindows[] = "DELETE FROM probe_windows";
constexpr char kCountProbeWindows[] = "SELECT COUNT(*) FROM probe_windows";
constexpr char kScanRuns[] =
    "SELECT id, probe_id, seq, received_at, run, asn, country FROM runs "
    "WHERE id > $1 ORDER BY id LIMIT $2";
constexpr char kBackfillColumns[] =
    "UPDATE runs SET asn = $2, country = $3 WHERE id = $1";

PgParams ProbeWindowParams(const aggregate::ProbeWindow& row) {
  PgParams params;
  params.Int(static_cast<int>(row.kind))
      .Int(row.window_start_us)
      .Text(row.probe_id)
      .Int(row.runs)
      .Int(row.latest_time_us)
      .Int(row.latest_seq)
      .Int(row.latest.capability)
      .Int(row.latest.root_causes)
      .Int(static_cast<int>(row.latest.resolver_v6));
  if (row.latest.gap_us.has_value()) {
    params.Int(*row.latest.gap_us);
  } else {
    params.Null();
  }
  params.Int(row.latest.asn)
      .Text(row.latest.country)
      .Text(row.latest.methodology_version);
  return params;
}

aggregate::ProbeWindow ReadProbeWindow(const PgResult& rows, int row) {
  aggregate::ProbeWindow w;
  w.kind = static_cast<aggregate::WindowKind>(rows.Int(row, 0));
  w.window_start_us = rows.Int(row, 1);
  w.probe_id = rows.Bytes(row, 2);
  w.runs = rows.Int(row, 3);
  w.latest_time_us = rows.Int(row, 4);
  w.latest_seq = rows.Int(row, 5);
  w.latest.capability = static_cast<v6scope::v1::Capability>(rows.Int(row, 6));
  w.latest.root_causes = static_cast<uint32_t>(rows.Int(row, 7));
  w.latest.resolver_v6 = static_cast<methodology::ResolverV6>(rows.Int(row, 8));
  if (!rows.IsNull(row, 9)) w.latest.gap_us = rows.Int(row, 9);
  w.latest.asn = static_cast<uint32_t>(rows.Int(row, 10));
  w.latest.country = rows.Bytes(row, 11);
  w.latest.methodology_version = rows.Bytes(row, 12);
  return w;
}

// The rebuild's statements on one connection.
class PostgresRebuildTarget : public RollupRebuildTarget {
 public:
  PostgresRebuildTarget(PgConn& conn, const std::string& target)
      : conn_(conn), target_(target) {}

  absl::Status InTransaction(absl::FunctionRef<absl::Status()> body) override {
    absl::StatusOr<PgTransaction> txn = PgTransaction::Begin(conn_);
    if (!txn.ok()) return txn.status();
    absl::Status done = body();
    if (!done.ok()) return done;  // txn rolls back.
    return txn->Commit();
  }

  absl::Status ClearRollups() override {
    for (const char* sql : {kLockProbeWindows, kDeleteProbeWindows}) {
      absl::StatusOr<PgResult> done = conn_.Query(sql, PgParams());
      if (!done.ok()) return done.status();
    }
    return absl::OkStatus();
  }

  absl::Status ScanRuns(
      int64_t after, int64_t limit,
      absl::FunctionRef<void(const ScannedRun&)> visit) override {
    absl::StatusOr<PgResult> rows =
        conn_.Query(kScanRuns, PgParams().Int(after).Int(limit));
    if (!rows.ok()) return rows.status();
    ScannedRun run;
    for (int row = 0; row < rows->Rows(); ++row) {
      absl::StatusOr<v6scope::v1::StoredRun> stored =
          ReadStoredRun(*rows, row, target_);
      if (!stored.ok()) return stored.status();
      run.id = rows->Int(row, 0);
      run.stored = *std::move(stored);
      run.asn_column = rows->Int(row, 5);
      run.country_column = rows->Bytes(row, 6);
      visit(run);
    }
    return absl::OkStatus();
  }

  // Pipelined: one round trip for the slice, not one per run.
  absl::Status BackfillColumns(
      const std::vector<ColumnBackfill>& backfills) override {
    std::vector<PgParams> executions;
    executions.reserve(backfills.size());
    for (const ColumnBackfill& b : backfills) {
      executions.push_back(PgParams().Int(b.id).Int(b.asn).Text(b.country));
    }
    return conn_.ExecPipelined(kBackfillColumns, executions).status();
  }

  absl::Status MergeRollups(
      const std::vector<aggregate::ProbeWindow>& rows) override {
    return WriteProbeWindows(conn_, rows);
  }

  absl::StatusOr<uint64_t> CountRollups() override {
    absl::StatusOr<PgResult> count =
        conn_.Query(kCountProbeWindows, PgParams());
    if (!count.ok()) return count.status();
    return static_cast<uint64_t>(count->Int(0, 0));
  }

 private:
  PgConn& conn_;
  const std::string& target_;
};

}  // namespace

absl::Status WriteProbeWindows(
    PgConn& conn, const std::vector<aggregate::ProbeWindow>& rows) {
  if (rows.empty()) return absl::OkStatus();
  std::vector<PgParams> executions;
  executions.reserve(rows.size());
  for (const aggregate::ProbeWindow& row : rows) {
    executions.push_back(ProbeWindowParams(row));
  }
  return conn.ExecPipelined(kUpsertProbeWindow, executions).status();
}

absl::StatusOr<std::vector<aggregate::ProbeWindow>> SelectProbeWindows(
    PgConn& conn, const ProbeWindowQuery& query) {
  absl::StatusOr<PgResult> rows =
      conn.Query(kSelectProbeWindows, PgParams()
                                          .Int(static_cast<int>(query.kind))
                                          .Int(Micros(query.from))
                                          .Int(Micros(query.to))
                                          .Text(query.country)
                                          .Int(query.asn));
  if (!rows.ok()) return rows.status();
  std::vector<aggregate::ProbeWindow> windows;
  windows.reserve(rows->Rows());
  for (int row = 0; row < rows->Rows(); ++row) {
    windows.push_back(ReadProbeWindow(*rows, row));
  }
  return windows;
}

absl::StatusOr<RebuildReport> RebuildPostgresRollups(
    PgConn& conn, const std::string& target) {
  PostgresRebuildTarget rebuild(conn, target);
  return RunRollupRebuild(rebuild);
}

}  // namespace v6scope::collector::store::postgres
