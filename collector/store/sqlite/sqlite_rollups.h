// SqliteStore's rollup table, probe_windows: the upsert ingest and the
// rebuild merge rows with, the query that reads them, and the rebuild
// (collector/store/rollup_rebuild.h) over SQLite.
//
// Every function runs on the connection it is given; the caller holds that
// connection's mutex, and for writes is inside (or, for the rebuild,
// outside) the write transaction as each says.
#ifndef V6SCOPE_COLLECTOR_STORE_SQLITE_SQLITE_ROLLUPS_H_
#define V6SCOPE_COLLECTOR_STORE_SQLITE_SQLITE_ROLLUPS_H_

#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "collector/aggregate/rollup.h"
#include "collector/store/rollup_store.h"
#include "collector/store/sqlite/sqlite_db.h"

namespace v6scope::collector::store::sqlite {

// Merges `rows` into probe_windows exactly as MergeProbeWindow does, in
// the caller's transaction.
absl::Status WriteProbeWindows(SqliteDb& db,
                               const std::vector<aggregate::ProbeWindow>& rows);

// The rows matching `query`, in (window start, probe id) order.
absl::StatusOr<std::vector<aggregate::ProbeWindow>> SelectProbeWindows(
    SqliteDb& db, const ProbeWindowQuery& query);

// RunRollupRebuild on the write connection `db`, in its own transaction
// (the write lock keeps ingest out until it commits).
absl::StatusOr<RebuildReport> RebuildSqliteRollups(SqliteDb& db);

}  // namespace v6scope::collector::store::sqlite

#endif  // V6SCOPE_COLLECTOR_STORE_SQLITE_SQLITE_ROLLUPS_H_
