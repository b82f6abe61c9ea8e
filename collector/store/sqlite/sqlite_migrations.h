// Versioned schema of the SQLite store.
//
// The schema is a list of numbered SQL steps; `PRAGMA user_version` holds
// the number of the last step applied. Opening a database applies the
// missing steps in one transaction, so a crash mid-upgrade leaves the old
// schema intact. Steps are append-only: never edit or renumber a step
// that has shipped; add a new one.
#ifndef V6SCOPE_COLLECTOR_STORE_SQLITE_SQLITE_MIGRATIONS_H_
#define V6SCOPE_COLLECTOR_STORE_SQLITE_SQLITE_MIGRATIONS_H_

#include "absl/status/status.h"
#include "absl/types/span.h"
#include "collector/store/sqlite/sqlite_db.h"

namespace v6scope::collector::store::sqlite {

struct SchemaStep {
  int version;      // 1, 2, 3, ...: step i of the list has version i + 1.
  const char* sql;  // One or more statements, run inside the transaction.
};

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
