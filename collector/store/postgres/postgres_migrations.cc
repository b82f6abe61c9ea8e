#include "collector/store/postgres/postgres_migrations.h"

#include <string>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/types/span.h"
#include "collector/store/migration_runner.h"
#include "collector/store/postgres/pg_conn.h"

namespace v6scope::collector::store::postgres {
namespace {

// The same tables as the SQLite schema (sqlite_migrations.cc), so the two
// stores answer alike:
// - Times are bigint unix microseconds (absl saturates infinite times to
//   the int64 limits, which timestamptz cannot hold).
// - Ids and hashes use the "C" collation: byte-wise comparison and order,
//   as in SQLite, whatever the database's default collation.
// - Runs are kept as the serialized v6scope.v1.Run (so fields this binary
//   does not know survive), plus the columns queries filter or sort on.
constexpr char kSchemaV1[] = R"sql(
CREATE TABLE enrolment_tokens (
  token_hash    text COLLATE "C" PRIMARY KEY,
  org           text NOT NULL,
  created_at    bigint NOT NULL,
  expires_at    bigint NOT NULL,
  used_at       bigint,
  used_by_probe text COLLATE "C"
);

CREATE TABLE probes (
  probe_id        text COLLATE "C" PRIMARY KEY,
  credential_hash text NOT NULL,
  org             text NOT NULL,
  probe_version   text NOT NULL,
  enrolled_at     bigint NOT NULL,
  revoked         boolean NOT NULL DEFAULT false
);

-- Per-probe counters kept up to date by StoreBatches, so listing probes
-- does not count runs. Keyed by probe id only: a row may exist before (or
-- without) the probe's row in `probes`.
CREATE TABLE probe_stats (
  probe_id     text COLLATE "C" PRIMARY KEY,
  runs         bigint NOT NULL DEFAULT 0,
  last_run_at  bigint,
  dropped_runs bigint NOT NULL DEFAULT 0
);

-- Append-friendly: `id` comes from a sequence in arrival order, so new
-- rows and their primary-key entries go to the right-hand end of the heap
-- and of the B-tree; it is also the listing order (keyset pagination).
CREATE TABLE runs (
  id          bigserial PRIMARY KEY,
  probe_id    text COLLATE "C" NOT NULL,
  seq         bigint NOT NULL,
  received_at bigint NOT NULL,
  started_at  bigint,
  capability  bigint NOT NULL,
  score       bigint NOT NULL,
  run         bytea NOT NULL,
  -- Exactly-once storage: a resent (probe_id, seq) is ignored.
  CONSTRAINT runs_probe_seq UNIQUE (probe_id, seq)
);
-- Newest-first listing of one probe's runs.
CREATE INDEX runs_probe_id ON runs (probe_id, id);
)sql";

// Version 2, as SQLite's: attribution columns on runs, and the per-probe
// rollups of collector/aggregate/rollup.h (kind: 1 day, 2 week, 3 month).
constexpr char kSchemaV2[] = R"sql(
ALTER TABLE runs ADD COLUMN asn bigint NOT NULL DEFAULT 0;
ALTER TABLE runs ADD COLUMN country text COLLATE "C" NOT NULL DEFAULT '';

CREATE TABLE probe_windows (
  kind         smallint NOT NULL,
  window_start bigint NOT NULL,
  probe_id     text COLLATE "C" NOT NULL,
  runs         bigint NOT NULL,
  latest_time  bigint NOT NULL,
  latest_seq   bigint NOT NULL,
  capability   integer NOT NULL,
  root_causes  bigint NOT NULL,
  resolver_v6  smallint NOT NULL,
  gap_us       bigint,
  asn          bigint NOT NULL,
  country      text COLLATE "C" NOT NULL,
  PRIMARY KEY (kind, window_start, probe_id)
);
)sql";

// Version 3: researchers' read keys, as in the SQLite schema.
constexpr char kSchemaV3[] = R"sql(
CREATE TABLE read_keys (
  key_id     text COLLATE "C" PRIMARY KEY,
  key_hash   text COLLATE "C" NOT NULL UNIQUE,
  name       text NOT NULL,
  org        text NOT NULL,
  created_at bigint NOT NULL,
  expires_at bigint NOT NULL,
  revoked    boolean NOT NULL DEFAULT false
);
)sql";

// Version 4, as SQLite's: the methodology version of each rollup row's
// latest observation; every existing row was made by methodology 1.
// (Adding a column with a constant default rewrites no rows in
// PostgreSQL 11 and later.)
constexpr char kSchemaV4[] = R"sql(
ALTER TABLE probe_windows
  ADD COLUMN methodology_version text COLLATE "C" NOT NULL DEFAULT '1';
)sql";

// Version 5: probes enrolled by `v6scope-collector sample-data` are
// marked synthetic; every probe before this step was a real one.
constexpr char kSchemaV5[] = R"sql(
ALTER TABLE probes ADD COLUMN synthetic boolean NOT NULL DEFAULT false;
)sql";

// Version 6: campaigns, as in the SQLite schema (kept as the serialized
// v6scope.v1.Campaign plus the columns looked up; the list one row a name,
// keyed by campaign and position so a slice is one index range).
constexpr char kSchemaV6[] = R"sql(
CREATE TABLE campaigns (
  campaign_id text COLLATE "C" PRIMARY KEY,
  state       smallint NOT NULL,
  created_at  bigint NOT NULL,
  campaign    bytea NOT NULL
);

CREATE TABLE campaign_domains (
  campaign_id text COLLATE "C" NOT NULL,
  position    bigint NOT NULL,
  name        text NOT NULL,
  sector      text NOT NULL,
  line        bigint NOT NULL,
  PRIMARY KEY (campaign_id, position)
);
)sql";

// Version 7: campaign work, as in the SQLite schema. domain_results is
// keyed by (probe_id, seq) with the unique (probe_id, assignment_id, item)
// beside it; its heap is appended in arrival order either way.
constexpr char kSchemaV7[] = R"sql(
CREATE TABLE domain_results (
  probe_id      text COLLATE "C" NOT NULL,
  seq           bigint NOT NULL,
  assignment_id text COLLATE "C" NOT NULL,
  item          bigint NOT NULL,
  campaign_id   text COLLATE "C" NOT NULL,
  round         bigint NOT NULL,
  list_index    bigint NOT NULL,
  domain        text NOT NULL,
  sector        text NOT NULL,
  probe_asn     bigint NOT NULL,
  probe_country text COLLATE "C" NOT NULL,
  received_at   bigint NOT NULL,
  web_state     smallint NOT NULL,
  dns_state     smallint NOT NULL,
  mail_state    smallint NOT NULL,
  web_v4_asn    bigint NOT NULL,
  web_v6_asn    bigint NOT NULL,
  check_blob    bytea NOT NULL,
  PRIMARY KEY (probe_id, seq),
  CONSTRAINT domain_results_item UNIQUE (probe_id, assignment_id, item)
);
-- ReadDomainResults' keyset order, and CountDomainResults.
CREATE INDEX domain_results_campaign
  ON domain_results (campaign_id, round, probe_id, list_index);

CREATE TABLE assignments (
  assignment_id text COLLATE "C" PRIMARY KEY,
  campaign_id   text COLLATE "C" NOT NULL,
  probe_id      text COLLATE "C" NOT NULL,
  round         bigint NOT NULL,
  first_index   bigint NOT NULL,
  count         bigint NOT NULL,
  state         smallint NOT NULL,
  done          bigint NOT NULL,
  refusal       text NOT NULL,
  offered_at    bigint NOT NULL,
  expires_at    bigint NOT NULL,
  offers        integer NOT NULL
);
CREATE INDEX assignments_probe ON assignments (probe_id, offered_at);
CREATE INDEX assignments_campaign
  ON assignments (campaign_id, probe_id, round);

CREATE TABLE probe_work (
  probe_id          text COLLATE "C" PRIMARY KEY,
  last_poll         bigint NOT NULL,
  opted_out         boolean NOT NULL,
  opted_out_sectors text NOT NULL
);
)sql";

// Version 8: the collector's own vantage point, as in the SQLite schema:
// a token marked collector_vantage enrols a probe marked so.
constexpr char kSchemaV8[] = R"sql(
ALTER TABLE enrolment_tokens
  ADD COLUMN collector_vantage boolean NOT NULL DEFAULT false;
ALTER TABLE probes
  ADD COLUMN collector_vantage boolean NOT NULL DEFAULT false;
)sql";

// Version 9: the readiness rollups, as in the SQLite schema (there:
// kSchemaV9's comment), but counts and asns are bigint[] so that ingest's
// upsert merges them in SQL (collector/store/readiness_rollup_codec.h).
// Text keys are COLLATE "C": byte order, DomainRollupKey's. Existing
// results are folded by PostgresStore::Open's rebuild (the pending mark).
constexpr char kSchemaV9[] = R"sql(
ALTER TABLE domain_results
  ADD COLUMN methodology_version text NOT NULL DEFAULT '';
CREATE TABLE readiness_rollups (
  campaign_id         text COLLATE "C" NOT NULL,
  round               bigint NOT NULL,
  country             text COLLATE "C" NOT NULL,
  sector              text COLLATE "C" NOT NULL,
  domain              text COLLATE "C" NOT NULL,
  methodology_version text COLLATE "C" NOT NULL,
  results             bigint NOT NULL,
  counts              bigint[] NOT NULL,
  asns                bigint[] NOT NULL,
  PRIMARY KEY (campaign_id, round, country, sector, domain,
               methodology_version)
);
CREATE TABLE readiness_rollups_pending (pending integer PRIMARY KEY);
INSERT INTO readiness_rollups_pending (pending)
  SELECT 1 WHERE EXISTS (SELECT 1 FROM domain_results);
)sql";

constexpr PostgresSchemaStep kSteps[] = {
    {1, kSchemaV1}, {2, kSchemaV2}, {3, kSchemaV3},
    {4, kSchemaV4}, {5, kSchemaV5}, {6, kSchemaV6},
    {7, kSchemaV7}, {8, kSchemaV8}, {9, kSchemaV9},
};

// One row (only_row is always true); absent before the first migration.
constexpr char kCreateVersionTable[] =
    "CREATE TABLE v6scope_schema_version ("
    "only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row), "
    "version integer NOT NULL)";
constexpr char kVersionTableExists[] =
    "SELECT to_regclass('v6scope_schema_version') IS NOT NULL";
constexpr char kReadVersion[] = "SELECT version FROM v6scope_schema_version";
constexpr char kWriteVersion[] =
    "INSERT INTO v6scope_schema_version (version) VALUES ($1) "
    "ON CONFLICT (only_row) DO UPDATE SET version = excluded.version";

// The table v6scope_schema_version holds the version; a transaction-scoped
// advisory lock makes a second opener wait.
class PostgresMigrationTarget : public MigrationTarget {
 public:
  explicit PostgresMigrationTarget(PgConn& conn) : conn_(conn) {}

  absl::Status InTransaction(absl::FunctionRef<absl::Status()> body) override {
    absl::StatusOr<PgTransaction> txn = PgTransaction::Begin(conn_);
    if (!txn.ok()) return txn.status();
    // Held until the transaction ends: a second collector starting at the
    // same moment waits here, then reads the version we committed.
    absl::Status locked =
        conn_
            .ExecParams("SELECT pg_advisory_xact_lock($1)",
                        PgParams().Int(kPostgresMigrationLock))
            .status();
    if (!locked.ok()) return locked;
    absl::Status done = body();
    if (!done.ok()) return done;  // txn rolls back.
    return txn->Commit();
  }

  absl::StatusOr<int> ReadVersion() override {
    absl::StatusOr<PgResult> exists =
        conn_.ExecParams(kVersionTableExists, PgParams());
    if (!exists.ok()) return exists.status();
    table_exists_ = exists->Rows() == 1 && exists->Bool(0, 0);
    if (!table_exists_) return 0;
    absl::StatusOr<PgResult> version =
        conn_.ExecParams(kReadVersion, PgParams());
    if (!version.ok()) return version.status();
    if (version->Rows() == 0) return 0;
    if (version->Rows() > 1) {
      return absl::DataLossError("v6scope_schema_version has several rows");
    }
    return static_cast<int>(version->Int(0, 0));
  }

  absl::Status RunSql(const char* sql) override { return conn_.Exec(sql); }

  absl::Status WriteVersion(int version) override {
    // The table is created with the first step, in the same transaction.
    if (!table_exists_) {
      absl::Status created = conn_.Exec(kCreateVersionTable);
      if (!created.ok()) return created;
      table_exists_ = true;
    }
    return conn_.ExecParams(kWriteVersion, PgParams().Int(version)).status();
  }

 private:
  PgConn& conn_;
  bool table_exists_ = false;  // As ReadVersion found it.
};

}  // namespace

absl::Span<const PostgresSchemaStep> PostgresSchemaSteps() { return kSteps; }

int LatestPostgresSchemaVersion() {
  return static_cast<int>(PostgresSchemaSteps().size());
}

absl::Status MigratePostgresSchema(PgConn& conn) {
  return ApplyPostgresSchemaSteps(conn, PostgresSchemaSteps());
}

absl::Status ApplyPostgresSchemaSteps(
    PgConn& conn, absl::Span<const PostgresSchemaStep> steps) {
  PostgresMigrationTarget target(conn);
  return Migrate(target, steps);
}

}  // namespace v6scope::collector::store::postgres
