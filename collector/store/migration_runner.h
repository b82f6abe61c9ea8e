// The one migration runner both backends use.
//
// A backend's schema is a numbered, append-only list of SQL steps: never
// edit or renumber a step that has shipped; add a new one. The database
// records the number of the last step applied. Opening a store runs
// Migrate: it reads that number, refuses a database newer than the list
// (a newer collector has already upgraded it), and applies the missing
// steps in order, each followed by its version bump, all in one
// transaction, so a crash or a failing step leaves the old schema intact.
//
// A backend supplies the steps and a MigrationTarget: how to run SQL in a
// transaction and where it keeps the version.
#ifndef V6SCOPE_COLLECTOR_STORE_MIGRATION_RUNNER_H_
#define V6SCOPE_COLLECTOR_STORE_MIGRATION_RUNNER_H_

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/types/span.h"

namespace v6scope::collector::store {

struct MigrationStep {
  int version;      // 1, 2, 3, ...: step i of the list has version i + 1.
  const char* sql;  // One or more statements, run inside the transaction.
};

// One database, as the runner sees it.
class MigrationTarget {
 public:
  virtual ~MigrationTarget() = default;

  // Runs `body` in one transaction: commits if it returns OK, rolls back
  // otherwise and returns its error. The transaction must make a second
  // collector migrating the same database wait until it ends (SQLite: the
  // write lock; PostgreSQL: an advisory lock), so that one reads the
  // version this one committed.
  virtual absl::Status InTransaction(
      absl::FunctionRef<absl::Status()> body) = 0;

  // The version recorded; 0 for a database no step has touched.
  virtual absl::StatusOr<int> ReadVersion() = 0;

  // Runs a step's SQL (one or more statements, no parameters).
  virtual absl::Status RunSql(const char* sql) = 0;

  // Records `version` as the last step applied.
  virtual absl::Status WriteVersion(int version) = 0;
};

// Brings `target` to the last of `steps`. FAILED_PRECONDITION "database
// schema version N is newer than this binary supports (M); upgrade
// v6scope-collector" if it is newer, and nothing changes; INTERNAL if the
// steps are misnumbered; a failing step's error is prefixed with
// "schema step N: ".
absl::Status Migrate(MigrationTarget& target,
                     absl::Span<const MigrationStep> steps);

}  // namespace v6scope::collector::store

#endif  // V6SCOPE_COLLECTOR_STORE_MIGRATION_RUNNER_H_
