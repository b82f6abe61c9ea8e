#include "collector/store/sqlite/sqlite_migrations.h"

#include <string>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/types/span.h"
#include "collector/store/migration_runner.h"
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

// Version 3: researchers' read keys (collector/store/access_keys.h),
// stored as hashes like enrolment tokens.
constexpr char kSchemaV3[] = R"sql(
CREATE TABLE read_keys (
  key_id     TEXT PRIMARY KEY,
  key_hash   TEXT NOT NULL UNIQUE,
  name       TEXT NOT NULL,
  org        TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  revoked    INTEGER NOT NULL DEFAULT 0
);
)sql";

// Version 4: the rollups remember the methodology version of each
// probe's latest observation (methodology 2 runs are aggregated next to
// methodology 1 runs, never re-read). Every row before this step was made
// from a methodology 1 verdict, hence the default '1'.
constexpr char kSchemaV4[] = R"sql(
ALTER TABLE probe_windows
  ADD COLUMN methodology_version TEXT NOT NULL DEFAULT '1';
)sql";

// Version 5: probes enrolled by `v6scope-collector sample-data` are
// marked synthetic, so every answer can say so. Every probe before this
// step enrolled itself: a real one.
constexpr char kSchemaV5[] = R"sql(
ALTER TABLE probes ADD COLUMN synthetic INTEGER NOT NULL DEFAULT 0;
)sql";

// Version 6: campaigns (collector/store/campaign_store.h). The campaign
// is kept as the serialized v6scope.v1.Campaign, plus the columns looked
// up; its list one row a name, in list order, clustered by campaign so a
// slice is one range read.
constexpr char kSchemaV6[] = R"sql(
CREATE TABLE campaigns (
  campaign_id TEXT PRIMARY KEY,
  state       INTEGER NOT NULL,
  created_at  INTEGER NOT NULL,
  campaign    BLOB NOT NULL
);

CREATE TABLE campaign_domains (
  campaign_id TEXT NOT NULL,
  position    INTEGER NOT NULL,
  name        TEXT NOT NULL,
  sector      TEXT NOT NULL,
  line        INTEGER NOT NULL,
  PRIMARY KEY (campaign_id, position)
) WITHOUT ROWID;
)sql";

// Version 7: campaign work (collector/store/readiness_store.h). Readiness
// results are a rowid table like runs, appended in arrival order (see the
// note on runs: where a row lands sets the ingest rate); the key
// (probe_id, seq) and the unique (probe_id, assignment_id, item) are
// indexes beside it, so a resent result or a check repeated after a probe
// crash is stored once. The check is the serialized v6scope.v1.DomainCheck
// with the collector's verdict and web AS numbers; the states and AS
// numbers are copied into columns for plain SQL.
constexpr char kSchemaV7[] = R"sql(
CREATE TABLE domain_results (
  probe_id      TEXT NOT NULL,
  seq           INTEGER NOT NULL,
  assignment_id TEXT NOT NULL,
  item          INTEGER NOT NULL,
  campaign_id   TEXT NOT NULL,
  round         INTEGER NOT NULL,
  list_index    INTEGER NOT NULL,
  domain        TEXT NOT NULL,
  sector        TEXT NOT NULL,
  probe_asn     INTEGER NOT NULL,
  probe_country TEXT NOT NULL,
  received_at   INTEGER NOT NULL,
  web_state     INTEGER NOT NULL,
  dns_state     INTEGER NOT NULL,
  mail_state    INTEGER NOT NULL,
  web_v4_asn    INTEGER NOT NULL,
  web_v6_asn    INTEGER NOT NULL,
  check_blob    BLOB NOT NULL,
  PRIMARY KEY (probe_id, seq)
);
CREATE UNIQUE INDEX domain_results_item
  ON domain_results (probe_id, assignment_id, item);
-- ReadDomainResults' keyset order, and CountDomainResults.
CREATE INDEX domain_results_campaign
  ON domain_results (campaign_id, round, probe_id, list_index);

CREATE TABLE assignments (
  assignment_id TEXT PRIMARY KEY,
  campaign_id   TEXT NOT NULL,
  probe_id      TEXT NOT NULL,
  round         INTEGER NOT NULL,
  first_index   INTEGER NOT NULL,
  count         INTEGER NOT NULL,
  state         INTEGER NOT NULL,
  done          INTEGER NOT NULL,
  refusal       TEXT NOT NULL,
  offered_at    INTEGER NOT NULL,
  expires_at    INTEGER NOT NULL,
  offers        INTEGER NOT NULL
);
CREATE INDEX assignments_probe ON assignments (probe_id, offered_at);
CREATE INDEX assignments_campaign
  ON assignments (campaign_id, probe_id, round);

-- A probe's campaign state as its newest WorkPoll said; opted_out_sectors
-- is the canonical names joined by commas (none contains one).
CREATE TABLE probe_work (
  probe_id          TEXT PRIMARY KEY,
  last_poll         INTEGER NOT NULL,
  opted_out         INTEGER NOT NULL,
  opted_out_sectors TEXT NOT NULL
);
)sql";

// Version 8: the collector's own vantage point (campaigns'
// include_collector). A token marked collector_vantage enrols a probe
// marked so. Every token and probe before this step was an ordinary one.
constexpr char kSchemaV8[] = R"sql(
ALTER TABLE enrolment_tokens
  ADD COLUMN collector_vantage INTEGER NOT NULL DEFAULT 0;
ALTER TABLE probes ADD COLUMN collector_vantage INTEGER NOT NULL DEFAULT 0;
)sql";

// Version 9: the readiness rollups (docs/methodology.md §14.1), kept at
// ingest. domain_results gains the verdict's methodology_version so that a
// rebuild reads columns, not blobs; rows stored before this step have ''
// (the rebuild reads their blob once and backfills it). The step cannot
// fold the existing results in SQL (the counts are varint blobs, the
// version is in the blob), so it leaves the table empty and marks it
// pending when there are results: SqliteStore::Open runs the rebuild,
// which clears the mark in its own transaction (a crash before that only
// means the next Open rebuilds).
constexpr char kSchemaV9[] = R"sql(
ALTER TABLE domain_results
  ADD COLUMN methodology_version TEXT NOT NULL DEFAULT '';
-- One row per (campaign, round, probe country, sector, domain, readiness
-- methodology version); counts and asns are varint blobs
-- (collector/store/readiness_rollup_codec.h). The key's order serves
-- every query filter (campaign required, then round, country, sector); a
-- domain's rows across countries are a range scan of the campaign's (or
-- round's) rows, tens of thousands at most, so no second index is kept:
-- it would be one more B-tree insert per new row at ingest.
CREATE TABLE readiness_rollups (
  campaign_id         TEXT NOT NULL,
  round               INTEGER NOT NULL,
  country             TEXT NOT NULL,
  sector              TEXT NOT NULL,
  domain              TEXT NOT NULL,
  methodology_version TEXT NOT NULL,
  results             INTEGER NOT NULL,
  counts              BLOB NOT NULL,
  asns                BLOB NOT NULL,
  PRIMARY KEY (campaign_id, round, country, sector, domain,
               methodology_version)
) WITHOUT ROWID;
CREATE TABLE readiness_rollups_pending (pending INTEGER PRIMARY KEY);
INSERT INTO readiness_rollups_pending (pending)
  SELECT 1 WHERE EXISTS (SELECT 1 FROM domain_results);
)sql";

constexpr SchemaStep kSteps[] = {
    {1, kSchemaV1}, {2, kSchemaV2}, {3, kSchemaV3},
    {4, kSchemaV4}, {5, kSchemaV5}, {6, kSchemaV6},
    {7, kSchemaV7}, {8, kSchemaV8}, {9, kSchemaV9},
};

// `PRAGMA user_version` holds the version; the write lock taken by BEGIN
// IMMEDIATE makes a second opener wait.
class SqliteMigrationTarget : public MigrationTarget {
 public:
  explicit SqliteMigrationTarget(SqliteDb& db) : db_(db) {}

  absl::Status InTransaction(absl::FunctionRef<absl::Status()> body) override {
    absl::StatusOr<SqliteTransaction> txn = SqliteTransaction::Begin(db_);
    if (!txn.ok()) return txn.status();
    absl::Status done = body();
    if (!done.ok()) return done;  // txn rolls back.
    return txn->Commit();
  }

  absl::StatusOr<int> ReadVersion() override {
    absl::StatusOr<SqliteStmt> stmt = db_.Prepare("PRAGMA user_version");
    if (!stmt.ok()) return stmt.status();
    absl::StatusOr<bool> row = stmt->Step();
    if (!row.ok()) return row.status();
    if (!*row) {
      return absl::InternalError("PRAGMA user_version returned no row");
    }
    return static_cast<int>(stmt->Int(0));
  }

  absl::Status RunSql(const char* sql) override { return db_.Exec(sql); }

  absl::Status WriteVersion(int version) override {
    // PRAGMA takes no parameters; the version is an int from our own list.
    return db_.Exec(absl::StrCat("PRAGMA user_version = ", version));
  }

 private:
  SqliteDb& db_;
};

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
  SqliteMigrationTarget target(db);
  return Migrate(target, steps);
}

}  // namespace v6scope::collector::store::sqlite
