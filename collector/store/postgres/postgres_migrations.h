// Versioned schema of the PostgreSQL store.
//
// As for SQLite (sqlite_migrations.h), the schema is a list of numbered SQL
// steps, append-only, applied by the shared runner
// (collector/store/migration_runner.h). The table `v6scope_schema_version`
// holds the number of the last step applied (one row). The runner's
// transaction takes a transaction-scoped advisory lock, so several
// collectors starting together against one database upgrade it once: the
// others wait for the lock, then find the schema current.
#ifndef V6SCOPE_COLLECTOR_STORE_POSTGRES_POSTGRES_MIGRATIONS_H_
#define V6SCOPE_COLLECTOR_STORE_POSTGRES_POSTGRES_MIGRATIONS_H_

#include <cstdint>

#include "absl/status/status.h"
#include "absl/types/span.h"
#include "collector/store/migration_runner.h"
#include "collector/store/postgres/pg_conn.h"

namespace v6scope::collector::store::postgres {

using PostgresSchemaStep = MigrationStep;

// The advisory lock key the migrations take ("v6_store" in ASCII).
inline constexpr int64_t kPostgresMigrationLock = 0x76365f73746f7265;

// The steps this binary knows, in order.
absl::Span<const PostgresSchemaStep> PostgresSchemaSteps();

// Version of the newest schema this binary knows.
int LatestPostgresSchemaVersion();

// Brings the connection's database to the latest schema.
// FAILED_PRECONDITION if the database is newer than this binary (a newer
// collector has already upgraded it); nothing is changed then.
absl::Status MigratePostgresSchema(PgConn& conn);

// As MigratePostgresSchema, with an explicit list of steps (for tests).
absl::Status ApplyPostgresSchemaSteps(
    PgConn& conn, absl::Span<const PostgresSchemaStep> steps);

}  // namespace v6scope::collector::store::postgres

#endif  // V6SCOPE_COLLECTOR_STORE_POSTGRES_POSTGRES_MIGRATIONS_H_
