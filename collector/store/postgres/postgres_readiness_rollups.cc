#include "collector/store/postgres/postgres_readiness_rollups.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "collector/store/readiness_rollup_codec.h"
#include "collector/store/readiness_rollup_rebuild.h"

namespace v6scope::collector::store::postgres {
namespace {

namespace readiness = aggregate::readiness;

// Counts add element-wise (in order), ASN sets unite (ascending): the
// SET expressions read the row as it was before the update.
constexpr char kUpsert[] =
    "INSERT INTO readiness_rollups AS r (campaign_id, round, country, "
    "sector, domain, methodology_version, results, counts, asns) VALUES "
    "($1, $2, $3, $4, $5, $6, $7, $8::bigint[], $9::bigint[]) "
    "ON CONFLICT (campaign_id, round, country, sector, domain, "
    "methodology_version) DO UPDATE SET "
    "results = r.results + excluded.results, "
    "counts = ARRAY(SELECT a + b FROM unnest(r.counts, excluded.counts) "
    "WITH ORDINALITY AS t(a, b, i) ORDER BY i), "
    "asns = ARRAY(SELECT DISTINCT x FROM unnest(r.asns || excluded.asns) "
    "AS u(x) ORDER BY x)";
constexpr char kSelectRows[] =
    "SELECT campaign_id, round, country, sector, domain, "
    "methodology_version, results, array_to_string(counts, ','), "
    "array_to_string(asns, ',') FROM readiness_rollups "
    "WHERE campaign_id = $1 AND ($2::bigint = 0 OR round = $2) "
    "AND ($3::text = '' OR country = $3) AND ($4::text = '' OR sector = $4) "
    "AND ($5::text = '' OR domain = $5) "
    "ORDER BY campaign_id, round, country, sector, domain, "
    "methodology_version";
// The campaign's rounds, newest first, one index seek each.
constexpr char kSelectRounds[] =
    "WITH RECURSIVE r(round) AS ("
    "SELECT MAX(round) FROM readiness_rollups WHERE campaign_id = $1 "
    "UNION ALL SELECT (SELECT MAX(round) FROM readiness_rollups "
    "WHERE campaign_id = $1 AND round < r.round) FROM r "
    "WHERE r.round IS NOT NULL) "
    "SELECT round FROM r WHERE round IS NOT NULL";
// Ingest (INSERT/UPDATE: ROW EXCLUSIVE) waits while a rebuild holds this,
// so no result is counted both by a concurrent upsert and by the rebuild.
constexpr char kLock[] =
    "LOCK TABLE readiness_rollups IN SHARE ROW EXCLUSIVE MODE";
constexpr char kDeleteRows[] = "DELETE FROM readiness_rollups";
constexpr char kDeletePending[] = "DELETE FROM readiness_rollups_pending";
constexpr char kCountRows[] = "SELECT COUNT(*) FROM readiness_rollups";
constexpr char kPending[] = "SELECT COUNT(*) FROM readiness_rollups_pending";
constexpr char kScan[] =
    "SELECT probe_id, seq, campaign_id, round, probe_country, sector, "
    "domain, methodology_version, probe_asn, web_state, dns_state, "
    "mail_state, CASE WHEN methodology_version = '' THEN check_blob END "
    "FROM domain_results WHERE (probe_id, seq) > ($1::text, $2::bigint) "
    "ORDER BY probe_id, seq LIMIT $3";
constexpr char kBackfill[] =
    "UPDATE domain_results SET methodology_version = $3 "
    "WHERE probe_id = $1 AND seq = $2";

PgParams RowParams(const readiness::DomainRollup& row) {
  PgParams p;
  p.Text(row.key.campaign_id)
      .Int(row.key.round)
      .Text(row.key.country)
      .Text(row.key.sector)
      .Text(row.key.domain)
      .Text(row.key.methodology_version)
      .Int(static_cast<int64_t>(row.results))
      .Literal(CountsArrayLiteral(row.counts))
      .Literal(AsnsArrayLiteral(row.asns));
  return p;
}

absl::StatusOr<readiness::DomainRollup> ReadRow(const PgResult& rows, int i) {
  readiness::DomainRollup row;
  row.key.campaign_id = rows.Bytes(i, 0);
  row.key.round = static_cast<uint32_t>(rows.Int(i, 1));
  row.key.country = rows.Bytes(i, 2);
  row.key.sector = rows.Bytes(i, 3);
  row.key.domain = rows.Bytes(i, 4);
  row.key.methodology_version = rows.Bytes(i, 5);
  row.results = static_cast<uint64_t>(rows.Int(i, 6));
  if (!ParseJoinedCounts(rows.Bytes(i, 7), &row.counts) ||
      !ParseJoinedAsns(rows.Bytes(i, 8), &row.asns)) {
    return absl::DataLossError(absl::StrCat(
        "the readiness rollup of campaign ", row.key.campaign_id, " round ",
        row.key.round, " domain ", row.key.domain, " does not decode"));
  }
  return row;
}

absl::StatusOr<uint64_t> CountOf(PgConn& conn, const char* sql) {
  absl::StatusOr<PgResult> count = conn.Query(sql, PgParams());
  if (!count.ok()) return count.status();
  return static_cast<uint64_t>(count->Int(0, 0));
}

ScannedDomainResult ScannedRow(const PgResult& rows, int i) {
  ScannedDomainResult r;
  r.key = {rows.Bytes(i, 0), rows.Int(i, 1)};
  readiness::ReadinessResult& x = r.result;
  x.probe_id = r.key.probe_id;
  x.campaign_id = rows.Bytes(i, 2);
  x.round = static_cast<uint32_t>(rows.Int(i, 3));
  x.probe_country = rows.Bytes(i, 4);
  x.sector = rows.Bytes(i, 5);
  x.domain = rows.Bytes(i, 6);
  x.methodology_version = rows.Bytes(i, 7);
  x.probe_asn = static_cast<uint32_t>(rows.Int(i, 8));
  for (int s = 0; s < readiness::kServiceCount; ++s) {
    x.states[s] = static_cast<v6scope::v1::ServiceState>(rows.Int(i, 9 + s));
  }
  if (x.methodology_version.empty()) r.check_blob = rows.Bytes(i, 12);
  return r;
}

// The rebuild's statements on one connection.
class PostgresReadinessRebuildTarget : public ReadinessRebuildTarget {
 public:
  explicit PostgresReadinessRebuildTarget(PgConn& conn) : conn_(conn) {}

  absl::Status InTransaction(absl::FunctionRef<absl::Status()> body) override {
    absl::StatusOr<PgTransaction> txn = PgTransaction::Begin(conn_);
    if (!txn.ok()) return txn.status();
    absl::Status done = body();
    if (!done.ok()) return done;  // txn rolls back.
    return txn->Commit();
  }

  absl::Status ClearReadinessRollups() override {
    for (const char* sql : {kLock, kDeleteRows, kDeletePending}) {
      absl::StatusOr<PgResult> done = conn_.Query(sql, PgParams());
      if (!done.ok()) return done.status();
    }
    return absl::OkStatus();
  }

  absl::Status ScanDomainResults(
      const DomainResultKey& after, int64_t limit,
      absl::FunctionRef<void(const ScannedDomainResult&)> visit) override {
    absl::StatusOr<PgResult> rows = conn_.Query(
        kScan, PgParams().Text(after.probe_id).Int(after.seq).Int(limit));
    if (!rows.ok()) return rows.status();
    for (int i = 0; i < rows->Rows(); ++i) visit(ScannedRow(*rows, i));
    return absl::OkStatus();
  }

  // Pipelined: one round trip for the slice, not one per result.
  absl::Status BackfillVersions(
      const std::vector<VersionBackfill>& backfills) override {
    std::vector<PgParams> executions;
    executions.reserve(backfills.size());
    for (const VersionBackfill& b : backfills) {
      executions.push_back(PgParams()
                               .Text(b.key.probe_id)
                               .Int(b.key.seq)
                               .Text(b.methodology_version));
    }
    return conn_.ExecPipelined(kBackfill, executions).status();
  }

  absl::Status MergeReadinessRollups(
      const std::vector<readiness::DomainRollup>& rows) override {
    return WriteReadinessRollups(conn_, rows);
  }

  absl::StatusOr<uint64_t> CountReadinessRollups() override {
    return CountOf(conn_, kCountRows);
  }

 private:
  PgConn& conn_;
};

}  // namespace

absl::Status WriteReadinessRollups(
    PgConn& conn, const std::vector<readiness::DomainRollup>& rows) {
  if (rows.empty()) return absl::OkStatus();
  std::vector<PgParams> executions;
  executions.reserve(rows.size());
  for (const readiness::DomainRollup& row : rows) {
    executions.push_back(RowParams(row));
  }
  return conn.ExecPipelined(kUpsert, executions).status();
}

absl::StatusOr<std::vector<readiness::DomainRollup>> SelectReadinessRollups(
    PgConn& conn, const ReadinessRollupQuery& query) {
  if (query.campaign_id.empty()) {
    return absl::InvalidArgumentError("readiness rollups need a campaign id");
  }
  absl::StatusOr<PgResult> rows =
      conn.Query(kSelectRows, PgParams()
                                  .Text(query.campaign_id)
                                  .Int(query.round)
                                  .Text(query.country)
                                  .Text(query.sector)
                                  .Text(query.domain));
  if (!rows.ok()) return rows.status();
  std::vector<readiness::DomainRollup> out;
  out.reserve(rows->Rows());
  for (int i = 0; i < rows->Rows(); ++i) {
    absl::StatusOr<readiness::DomainRollup> row = ReadRow(*rows, i);
    if (!row.ok()) return row.status();
    out.push_back(*std::move(row));
  }
  return out;
}

absl::StatusOr<std::vector<uint32_t>> SelectReadinessRounds(
    PgConn& conn, const std::string& campaign_id) {
  if (campaign_id.empty()) {
    return absl::InvalidArgumentError("readiness rounds need a campaign id");
  }
  absl::StatusOr<PgResult> rows =
      conn.Query(kSelectRounds, PgParams().Text(campaign_id));
  if (!rows.ok()) return rows.status();
  std::vector<uint32_t> rounds;
  rounds.reserve(rows->Rows());
  for (int i = 0; i < rows->Rows(); ++i) {
    rounds.push_back(static_cast<uint32_t>(rows->Int(i, 0)));
  }
  return rounds;
}

absl::StatusOr<ReadinessRebuildReport> RebuildPostgresReadinessRollups(
    PgConn& conn) {
  PostgresReadinessRebuildTarget target(conn);
  return RunReadinessRollupRebuild(target);
}

absl::Status RebuildPendingReadinessRollups(PgConn& conn) {
  absl::StatusOr<uint64_t> pending = CountOf(conn, kPending);
  if (!pending.ok()) return pending.status();
  if (*pending == 0) return absl::OkStatus();
  return RebuildPostgresReadinessRollups(conn).status();
}

}  // namespace v6scope::collector::store::postgres
