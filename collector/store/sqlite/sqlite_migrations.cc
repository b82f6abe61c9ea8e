#include "collector/store/sqlite/sqlite_migrations.h"

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/types/span.h"
#include "collector/store/sqlite/sqlite_db.h"

namespace v6scope::collector::store::sqlite {
namespace {

// Times are int64 unix microseconds. Runs are kept as the serialized
// v6scope.v1.Run (so fields this binary does not know survive), plus the
// few columns queries filter or sort on.
constexpr char kSchemaV1[] = R"sql(
CREATE TABLE enrolment_tokens (
  token_hash    TEXT PRIMARY KEY,
  org           TEXT NOT NULL,
  created_at    INTEGER NOT NULL,
  expires_at    INTEGER NOT NULL,
  used_at       INTEGER,
  used_by_probe TEXT
);

CREATE TABLE probes (
  probe_id        TEXT PRIMARY KEY,
  credential_hash TEXT NOT NULL,
  org             TEXT NOT NULL,
  probe_version   TEXT NOT NULL,
  enrolled_at     INTEGER NOT NULL,
  revoked         INTEGER NOT NULL DEFAULT 0
);

-- Per-probe counters kept up to date by StoreBatches, so listing probes
-- does not count runs. Keyed by probe id only: a row may exist before (or
-- without) the probe's row in `probes`.
CREATE TABLE probe_stats (
  probe_id     TEXT PRIMARY KEY,
  runs         INTEGER NOT NULL DEFAULT 0,
  last_run_at  INTEGER,
  dropped_runs INTEGER NOT NULL DEFAULT 0
);

-- An ordinary rowid table: new runs append at the end of the B-tree in
-- arrival order, which keeps ingest near the append rate (a table keyed by
-- (probe_id, seq) measured ~20x slower with many probes interleaving, as
-- every commit then touches pages all over the tree). The rowid is also
-- the listing order.
CREATE TABLE runs (
  id          INTEGER PRIMARY KEY,
  probe_id    TEXT NOT NULL,
  seq         INTEGER NOT NULL,
  received_at INTEGER NOT NULL,
  started_at  INTEGER,
  capability  INTEGER NOT NULL,
  score       INTEGER NOT NULL,
  run         BLOB NOT NULL
);
-- Exactly-once storage: a resent (probe_id, seq) is ignored.
CREATE UNIQUE INDEX runs_probe_seq ON runs (probe_id, seq);
-- Newest-first listing of one probe's runs (the rowid is implied).
CREATE INDEX runs_probe_id ON runs (probe_id);
)sql";

// Version 2: attribution columns on runs (for exports and plain SQL), and
// the per-probe rollups of collector/aggregate/rollup.h. Runs stored by
// version 1 get the defaults; their attribution, if any, is in the run
// blob, and `v6scope-collector rebuild-rollups` copies it into the columns
// while it recomputes the rollups.
constexpr char kSchemaV2[] = R"sql(
ALTER TABLE runs ADD COLUMN asn INTEGER NOT NULL DEFAULT 0;
ALTER TABLE runs ADD COLUMN country TEXT NOT NULL DEFAULT '';

-- One row per (window kind, window start, probe): the probe's run count
-- and latest observation in the window. kind: 1 day, 2 week, 3 month.
-- Queries read one window's rows by primary-key prefix.
CREATE TABLE probe_windows (
  kind         INTEGER NOT NULL,
  window_start INTEGER NOT NULL,
  probe_id     TEXT NOT NULL,
  runs         INTEGER NOT NULL,
  latest_time  INTEGER NOT NULL,
  latest_seq   INTEGER NOT NULL,
  capability   INTEGER NOT NULL,
  root_causes  INTEGER NOT NULL,
  resolver_v6  INTEGER NOT NULL,
  gap_us       INTEGER,
  asn          INTEGER NOT NULL,
  country      TEXT NOT NULL,
  PRIMARY KEY (kind, window_start, probe_id)
) WITHOUT ROWID;
)sql";

constexpr SchemaStep kSteps[] = {
    {1, kSchemaV1},
    {2, kSchemaV2},
};

absl::StatusOr<int> ReadUserVersion(SqliteDb& db) {
  absl::StatusOr<SqliteStmt> stmt = db.Prepare("PRAGMA user_version");
  if (!stmt.ok()) return stmt.status();
  absl::StatusOr<bool> row = stmt->Step();
  if (!row.ok()) return row.status();
  if (!*row) return absl::InternalError("PRAGMA user_version returned no row");
  return static_cast<int>(stmt->Int(0));
}

// "Can't happen" unless someone edited the list wrongly: fail loudly.
absl::Status CheckNumbering(absl::Span<const SchemaStep> steps) {
  for (size_t i = 0; i < steps.size(); ++i) {
    if (steps[i].version != static_cast<int>(i) + 1) {
      return absl::InternalError(absl::StrCat("schema step ", i,
                                              " has version ", steps[i].version,
                                              ", expected ", i + 1));
    }
  }
  return absl::OkStatus();
}

absl::Status ApplyStep(SqliteDb& db, const SchemaStep& step) {
  absl::Status applied = db.Exec(step.sql);
  if (!applied.ok()) {
    return absl::Status(
        applied.code(),
        absl::StrCat("schema step ", step.version, ": ", applied.message()));
  }
  // PRAGMA takes no parameters; the version is an int from our own list.
  return db.Exec(absl::StrCat("PRAGMA user_version = ", step.version));
}

}  // namespace

absl::Span<const SchemaStep> SqliteSchemaSteps() { return kSteps; }

int LatestSqliteSchemaVersion() {
  return static_cast<int>(SqliteSchemaSteps().size());
}

absl::Status MigrateSqliteSchema(SqliteDb& db) {
  return ApplySchemaSteps(db, SqliteSchemaSteps());
}

absl::Status ApplySchemaSteps(SqliteDb& db,
                              absl::Span<const SchemaStep> steps) {
  absl::Status numbered = CheckNumbering(steps);
  if (!numbered.ok()) return numbered;
  // The version is read inside the write transaction: a second collector
  // opening the same file at the same time waits, then sees our upgrade.
  absl::StatusOr<SqliteTransaction> txn = SqliteTransaction::Begin(db);
  if (!txn.ok()) return txn.status();
  absl::StatusOr<int> version = ReadUserVersion(db);
  if (!version.ok()) return version.status();
  const int latest = static_cast<int>(steps.size());
  if (*version < 0) {
    return absl::FailedPreconditionError(
        absl::StrCat("database schema version ", *version, " is invalid"));
  }
  if (*version > latest) {
    return absl::FailedPreconditionError(
        absl::StrCat("database schema version ", *version,
                     " is newer than this binary supports (", latest,
                     "); upgrade v6scope-collector"));
  }
  if (*version == latest) return absl::OkStatus();  // Nothing written.
  for (int i = *version; i < latest; ++i) {
    absl::Status applied = ApplyStep(db, steps[i]);
    if (!applied.ok()) return applied;
  }
  return txn->Commit();
}

}  // namespace v6scope::collector::store::sqlite
