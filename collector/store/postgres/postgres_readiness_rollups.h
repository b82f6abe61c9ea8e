// PostgresStore's readiness rollup table, readiness_rollups (schema step
// 9): the upsert ingest and the rebuild merge rows with (in SQL, under the
// row lock ON CONFLICT takes, so several collectors may write at once),
// the query that reads them, and the rebuild
// (collector/store/readiness_rollup_rebuild.h) over PostgreSQL.
#ifndef V6SCOPE_COLLECTOR_STORE_POSTGRES_POSTGRES_READINESS_ROLLUPS_H_
#define V6SCOPE_COLLECTOR_STORE_POSTGRES_POSTGRES_READINESS_ROLLUPS_H_

#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "collector/aggregate/readiness/rollup.h"
#include "collector/store/postgres/pg_conn.h"
#include "collector/store/readiness_rollup_store.h"

namespace v6scope::collector::store::postgres {

// Merges `rows` (key order: the order rows are locked in, so concurrent
// writers cannot deadlock) into readiness_rollups as MergeDomainRollup
// does, pipelined, in the caller's transaction.
absl::Status WriteReadinessRollups(
    PgConn& conn, const std::vector<aggregate::readiness::DomainRollup>& rows);

// The rows matching `query`, in DomainRollupKey order.
absl::StatusOr<std::vector<aggregate::readiness::DomainRollup>>
SelectReadinessRollups(PgConn& conn, const ReadinessRollupQuery& query);

// The rounds of `campaign_id` with rows, newest first.
absl::StatusOr<std::vector<uint32_t>> SelectReadinessRounds(
    PgConn& conn, const std::string& campaign_id);

// RunReadinessRollupRebuild on `conn`, in its own transaction.
absl::StatusOr<ReadinessRebuildReport> RebuildPostgresReadinessRollups(
    PgConn& conn);

// The rebuild, if schema step 9 marked it pending; nothing otherwise.
absl::Status RebuildPendingReadinessRollups(PgConn& conn);

}  // namespace v6scope::collector::store::postgres

#endif  // V6SCOPE_COLLECTOR_STORE_POSTGRES_POSTGRES_READINESS_ROLLUPS_H_
