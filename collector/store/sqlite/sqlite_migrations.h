// Versioned schema of the SQLite store: its list of SQL steps, applied by
// the shared runner (collector/store/migration_runner.h). `PRAGMA
// user_version` holds the number of the last step applied. Steps are
// append-only: never edit or renumber a step that has shipped.
#ifndef V6SCOPE_COLLECTOR_STORE_SQLITE_SQLITE_MIGRATIONS_H_
#define V6SCOPE_COLLECTOR_STORE_SQLITE_SQLITE_MIGRATIONS_H_

#include "absl/status/status.h"
#include "absl/types/span.h"
#include "collector/store/migration_runner.h"
#include "collector/store/sqlite/sqlite_db.h"

namespace v6scope::collector::store::sqlite {

using SchemaStep = MigrationStep;

// The steps this binary knows, in order.
absl::Span<const SchemaStep> SqliteSchemaSteps();

// Version of the newest schema this binary knows.
int LatestSqliteSchemaVersion();

// Brings `db` to the latest schema. FAILED_PRECONDITION if the database is
// newer than this binary (a newer collector has already upgraded it).
absl::Status MigrateSqliteSchema(SqliteDb& db);

// As MigrateSqliteSchema, with an explicit list of steps (for tests).
absl::Status ApplySchemaSteps(SqliteDb& db, absl::Span<const SchemaStep> steps);

}  // namespace v6scope::collector::store::sqlite

#endif  // V6SCOPE_COLLECTOR_STORE_SQLITE_SQLITE_MIGRATIONS_H_
