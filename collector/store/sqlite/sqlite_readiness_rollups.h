// SqliteStore's readiness rollup table, readiness_rollups (schema step 9):
// the merge ingest and the rebuild write rows with, the query that reads
// them, and the rebuild (collector/store/readiness_rollup_rebuild.h) over
// SQLite. Each function runs on the connection it is given; the caller
// holds that connection's mutex (writes: inside the write transaction,
// the rebuild: outside it).
#ifndef V6SCOPE_COLLECTOR_STORE_SQLITE_SQLITE_READINESS_ROLLUPS_H_
#define V6SCOPE_COLLECTOR_STORE_SQLITE_SQLITE_READINESS_ROLLUPS_H_

#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "collector/aggregate/readiness/rollup.h"
#include "collector/store/readiness_rollup_store.h"
#include "collector/store/sqlite/sqlite_db.h"

namespace v6scope::collector::store::sqlite {

// Registers the SQL functions the upsert merges with
// (v6scope_counts_add, v6scope_asns_union) on the write connection `db`;
// before any write.
absl::Status RegisterReadinessRollupFunctions(SqliteDb& db);

// Merges `rows` (one per key) into readiness_rollups as MergeDomainRollup
// does, in the caller's transaction: one upsert per row, merging in SQL
// (no read first: reading, merging in C++ and writing back is two
// statements and two key seeks a key, on the single writer's thread).
absl::Status WriteReadinessRollups(
    SqliteDb& db, const std::vector<aggregate::readiness::DomainRollup>& rows);

// The rows matching `query`, in DomainRollupKey order.
absl::StatusOr<std::vector<aggregate::readiness::DomainRollup>>
SelectReadinessRollups(SqliteDb& db, const ReadinessRollupQuery& query);

// The rounds of `campaign_id` with rows, newest first.
absl::StatusOr<std::vector<uint32_t>> SelectReadinessRounds(
    SqliteDb& db, const std::string& campaign_id);

// RunReadinessRollupRebuild on the write connection, in its own
// transaction.
absl::StatusOr<ReadinessRebuildReport> RebuildSqliteReadinessRollups(
    SqliteDb& db);

// The rebuild, if schema step 9 marked it pending (a database that had
// results before the readiness rollups existed); nothing otherwise.
absl::Status RebuildPendingReadinessRollups(SqliteDb& db);

}  // namespace v6scope::collector::store::sqlite

#endif  // V6SCOPE_COLLECTOR_STORE_SQLITE_SQLITE_READINESS_ROLLUPS_H_
