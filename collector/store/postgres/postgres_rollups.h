// PostgresStore's rollup table, probe_windows: the upsert ingest and the
// rebuild merge rows with, the query that reads them, and the rebuild
// (collector/store/rollup_rebuild.h) over PostgreSQL.
#ifndef V6SCOPE_COLLECTOR_STORE_POSTGRES_POSTGRES_ROLLUPS_H_
#define V6SCOPE_COLLECTOR_STORE_POSTGRES_POSTGRES_ROLLUPS_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "collector/aggregate/rollup.h"
#include "collector/store/postgres/pg_conn.h"
#include "collector/store/rollup_store.h"

namespace v6scope::collector::store::postgres {

// Merges `rows` into probe_windows exactly as MergeProbeWindow does, in
// the caller's transaction. Rows come in key order (RollupDeltas::Take):
// every collector locks them in that one order, so concurrent calls
// cannot deadlock.
absl::Status WriteProbeWindows(PgConn& conn,
                               const std::vector<aggregate::ProbeWindow>& rows);

// The rows matching `query`, in (window start, probe id) order.
absl::StatusOr<std::vector<aggregate::ProbeWindow>> SelectProbeWindows(
    PgConn& conn, const ProbeWindowQuery& query);

// RunRollupRebuild on `conn`, in its own transaction; the table lock it
// takes makes every collector's ingest wait until it commits. `target`
// names the server in messages.
absl::StatusOr<RebuildReport> RebuildPostgresRollups(PgConn& conn,
                                                     const std::string& target);

}  // namespace v6scope::collector::store::postgres

#endif  // V6SCOPE_COLLECTOR_STORE_POSTGRES_POSTGRES_ROLLUPS_H_
