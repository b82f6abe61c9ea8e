// The SQL with which SqliteStore stores runs and counts them per probe.
// Shared with bench/ingest, whose raw-SQLite ceiling must run exactly the
// store's statements (a private copy there once lagged the schema).
#ifndef V6SCOPE_COLLECTOR_STORE_SQLITE_SQLITE_INGEST_SQL_H_
#define V6SCOPE_COLLECTOR_STORE_SQLITE_SQLITE_INGEST_SQL_H_

namespace v6scope::collector::store::sqlite {

// ?1 probe_id, ?2 seq, ?3 received_at, ?4 started_at (or NULL),
// ?5 capability, ?6 score, ?7 run blob, ?8 asn, ?9 country. An existing
// (probe_id, seq) is left alone: 0 changes means a duplicate.
inline constexpr char kInsertRun[] =
    "INSERT INTO runs (probe_id, seq, received_at, started_at, capability, "
    "score, run, asn, country) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) "
    "ON CONFLICT (probe_id, seq) DO NOTHING";

// Adds to a probe's counters: ?1 probe_id, ?2 runs stored, ?3 last
// received_at (or NULL), ?4 dropped runs; clamps dropped_runs instead of
// overflowing (SQLite would turn the sum into a float).
inline constexpr char kUpdateStats[] =
    "INSERT INTO probe_stats (probe_id, runs, last_run_at, dropped_runs) "
    "VALUES (?1, ?2, ?3, ?4) ON CONFLICT (probe_id) DO UPDATE SET "
    "runs = runs + excluded.runs, "
    "last_run_at = CASE WHEN excluded.last_run_at IS NULL THEN last_run_at "
    "  WHEN last_run_at IS NULL OR excluded.last_run_at > last_run_at "
    "  THEN excluded.last_run_at ELSE last_run_at END, "
    "dropped_runs = CASE "
    "  WHEN excluded.dropped_runs > 9223372036854775807 - dropped_runs "
    "  THEN 9223372036854775807 "
    "  ELSE dropped_runs + excluded.dropped_runs END";

}  // namespace v6scope::collector::store::sqlite

#endif  // V6SCOPE_COLLECTOR_STORE_SQLITE_SQLITE_INGEST_SQL_H_
