#include "collector/store/sqlite/sqlite_readiness_rollups.h"

#include <sqlite3.h>

#include <algorithm>
#include <iterator>
#include <string>
#include <utility>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "collector/store/readiness_rollup_codec.h"
#include "collector/store/readiness_rollup_rebuild.h"

namespace v6scope::collector::store::sqlite {
namespace {

namespace readiness = aggregate::readiness;

// Counts add and ASN sets unite in SQL (the functions below), so a key
// costs one statement whether its row exists or not.
constexpr char kUpsert[] =
    "INSERT INTO readiness_rollups (campaign_id, round, country, sector, "
    "domain, methodology_version, results, counts, asns) VALUES "
    "(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) ON CONFLICT (campaign_id, round, "
    "country, sector, domain, methodology_version) DO UPDATE SET "
    "results = results + excluded.results, "
    "counts = v6scope_counts_add(counts, excluded.counts), "
    "asns = v6scope_asns_union(asns, excluded.asns)";
// The select's WHERE names only the filters a query sets: with
// "(?2 = 0 OR round = ?2)" SQLite's plan uses the key's campaign prefix
// alone and reads every round and country of the campaign
// (bench/report found a country report reading the whole campaign).
constexpr char kSelectColumns[] =
    "SELECT campaign_id, round, country, sector, domain, methodology_version, "
    "results, counts, asns FROM readiness_rollups WHERE campaign_id = ?1";
constexpr char kSelectOrder[] =
    " ORDER BY campaign_id, round, country, sector, domain, "
    "methodology_version";
// The campaign's rounds, newest first, one key seek each (a skip scan: a
// plain SELECT DISTINCT round would read every row of the campaign).
constexpr char kSelectRounds[] =
    "WITH RECURSIVE r(round) AS ("
    "SELECT MAX(round) FROM readiness_rollups WHERE campaign_id = ?1 "
    "UNION ALL SELECT (SELECT MAX(round) FROM readiness_rollups "
    "WHERE campaign_id = ?1 AND round < r.round) FROM r "
    "WHERE r.round IS NOT NULL) "
    "SELECT round FROM r WHERE round IS NOT NULL";
constexpr char kDeleteRows[] =
    "DELETE FROM readiness_rollups; DELETE FROM readiness_rollups_pending;";
constexpr char kCountRows[] = "SELECT COUNT(*) FROM readiness_rollups";
constexpr char kPending[] = "SELECT COUNT(*) FROM readiness_rollups_pending";
constexpr char kScan[] =
    "SELECT probe_id, seq, campaign_id, round, probe_country, sector, "
    "domain, methodology_version, probe_asn, web_state, dns_state, "
    "mail_state, CASE WHEN methodology_version = '' THEN check_blob END "
    "FROM domain_results WHERE (probe_id, seq) > (?1, ?2) "
    "ORDER BY probe_id, seq LIMIT ?3";
constexpr char kBackfill[] =
    "UPDATE domain_results SET methodology_version = ?3 "
    "WHERE probe_id = ?1 AND seq = ?2";

void BindKey(const readiness::DomainRollupKey& key, SqliteStmt& s) {
  s.BindText(1, key.campaign_id);
  s.BindInt(2, key.round);
  s.BindText(3, key.country);
  s.BindText(4, key.sector);
  s.BindText(5, key.domain);
  s.BindText(6, key.methodology_version);
}

absl::Status Corrupt(const readiness::DomainRollupKey& key) {
  return absl::DataLossError(absl::StrCat(
      "the readiness rollup of campaign ", key.campaign_id, " round ",
      key.round, " domain ", key.domain, " does not decode"));
}

void BindRow(const readiness::DomainRollup& row, SqliteStmt& s) {
  BindKey(row.key, s);
  s.BindInt(7, static_cast<int64_t>(row.results));
  s.BindBlob(8, EncodeCountsBlob(row.counts));
  s.BindBlob(9, EncodeAsnsBlob(row.asns));
}

absl::string_view BlobArg(sqlite3_value* value) {
  const void* data = sqlite3_value_blob(value);
  const int size = sqlite3_value_bytes(value);
  return data == nullptr ? absl::string_view()
                         : absl::string_view(static_cast<const char*>(data),
                                             static_cast<size_t>(size));
}

void ResultBlob(sqlite3_context* context, const std::string& blob) {
  sqlite3_result_blob(context, blob.data(), static_cast<int>(blob.size()),
                      SQLITE_TRANSIENT);
}

// v6scope_counts_add(a, b): the element-wise sum of two counts blobs.
void CountsAdd(sqlite3_context* context, int, sqlite3_value** args) {
  ServiceCounts a, b;
  if (!DecodeCountsBlob(BlobArg(args[0]), &a) ||
      !DecodeCountsBlob(BlobArg(args[1]), &b)) {
    sqlite3_result_error(context, "a readiness rollup's counts do not decode",
                         -1);
    return;
  }
  for (size_t i = 0; i < a.size(); ++i) {
    for (size_t k = 0; k < a[i].size(); ++k) a[i][k] += b[i][k];
  }
  ResultBlob(context, EncodeCountsBlob(a));
}

// v6scope_asns_union(a, b): the ascending union of two ASN blobs.
void AsnsUnion(sqlite3_context* context, int, sqlite3_value** args) {
  std::vector<uint32_t> a, b, both;
  if (!DecodeAsnsBlob(BlobArg(args[0]), &a) ||
      !DecodeAsnsBlob(BlobArg(args[1]), &b)) {
    sqlite3_result_error(context, "a readiness rollup's ASNs do not decode",
                         -1);
    return;
  }
  std::set_union(a.begin(), a.end(), b.begin(), b.end(),
                 std::back_inserter(both));
  ResultBlob(context, EncodeAsnsBlob(both));
}

absl::StatusOr<readiness::DomainRollup> ReadRow(const SqliteStmt& s) {
  readiness::DomainRollup row;
  row.key.campaign_id = s.Text(0);
  row.key.round = static_cast<uint32_t>(s.Int(1));
  row.key.country = s.Text(2);
  row.key.sector = s.Text(3);
  row.key.domain = s.Text(4);
  row.key.methodology_version = s.Text(5);
  row.results = static_cast<uint64_t>(s.Int(6));
  if (!DecodeCountsBlob(s.Blob(7), &row.counts) ||
      !DecodeAsnsBlob(s.Blob(8), &row.asns)) {
    return Corrupt(row.key);
  }
  return row;
}

absl::StatusOr<uint64_t> CountOf(SqliteDb& db, const char* sql) {
  absl::StatusOr<SqliteStmt> count = db.Prepare(sql);
  if (!count.ok()) return count.status();
  absl::StatusOr<bool> counted = count->Step();
  if (!counted.ok()) return counted.status();
  return static_cast<uint64_t>(count->Int(0));
}

ScannedDomainResult ScannedRow(const SqliteStmt& s) {
  ScannedDomainResult r;
  r.key = {s.Text(0), s.Int(1)};
  readiness::ReadinessResult& x = r.result;
  x.probe_id = r.key.probe_id;
  x.campaign_id = s.Text(2);
  x.round = static_cast<uint32_t>(s.Int(3));
  x.probe_country = s.Text(4);
  x.sector = s.Text(5);
  x.domain = s.Text(6);
  x.methodology_version = s.Text(7);
  x.probe_asn = static_cast<uint32_t>(s.Int(8));
  for (int i = 0; i < readiness::kServiceCount; ++i) {
    x.states[i] = static_cast<v6scope::v1::ServiceState>(s.Int(9 + i));
  }
  if (x.methodology_version.empty()) r.check_blob = s.Blob(12);
  return r;
}

// The rebuild's statements on the write connection.
class SqliteReadinessRebuildTarget : public ReadinessRebuildTarget {
 public:
  explicit SqliteReadinessRebuildTarget(SqliteDb& db) : db_(db) {}

  absl::Status InTransaction(absl::FunctionRef<absl::Status()> body) override {
    absl::StatusOr<SqliteTransaction> txn = SqliteTransaction::Begin(db_);
    if (!txn.ok()) return txn.status();
    absl::Status done = body();
    if (!done.ok()) return done;  // txn rolls back.
    return txn->Commit();
  }

  absl::Status ClearReadinessRollups() override {
    return db_.Exec(kDeleteRows);
  }

  absl::Status ScanDomainResults(
      const DomainResultKey& after, int64_t limit,
      absl::FunctionRef<void(const ScannedDomainResult&)> visit) override {
    absl::StatusOr<SqliteStmt> scan = db_.Prepare(kScan);
    if (!scan.ok()) return scan.status();
    scan->BindText(1, after.probe_id);
    scan->BindInt(2, after.seq);
    scan->BindInt(3, limit);
    while (true) {
      absl::StatusOr<bool> row = scan->Step();
      if (!row.ok()) return row.status();
      if (!*row) return absl::OkStatus();
      visit(ScannedRow(*scan));
    }  // The scan is reset (on return) before its table is written.
  }

  absl::Status BackfillVersions(
      const std::vector<VersionBackfill>& backfills) override {
    return RunForEach(db_, kBackfill, backfills,
                      [](const VersionBackfill& b, SqliteStmt& update) {
                        update.BindText(1, b.key.probe_id);
                        update.BindInt(2, b.key.seq);
                        update.BindText(3, b.methodology_version);
                      });
  }

  absl::Status MergeReadinessRollups(
      const std::vector<readiness::DomainRollup>& rows) override {
    return WriteReadinessRollups(db_, rows);
  }

  absl::StatusOr<uint64_t> CountReadinessRollups() override {
    return CountOf(db_, kCountRows);
  }

 private:
  SqliteDb& db_;
};

}  // namespace

absl::Status RegisterReadinessRollupFunctions(SqliteDb& db) {
  absl::Status added = db.CreateFunction("v6scope_counts_add", 2, CountsAdd);
  if (!added.ok()) return added;
  return db.CreateFunction("v6scope_asns_union", 2, AsnsUnion);
}

absl::Status WriteReadinessRollups(
    SqliteDb& db, const std::vector<readiness::DomainRollup>& rows) {
  return RunForEach(db, kUpsert, rows, BindRow);
}

absl::StatusOr<std::vector<readiness::DomainRollup>> SelectReadinessRollups(
    SqliteDb& db, const ReadinessRollupQuery& query) {
  if (query.campaign_id.empty()) {
    return absl::InvalidArgumentError("readiness rollups need a campaign id");
  }
  std::string sql = kSelectColumns;
  if (query.round != 0) sql += " AND round = ?2";
  if (!query.country.empty()) sql += " AND country = ?3";
  if (!query.sector.empty()) sql += " AND sector = ?4";
  if (!query.domain.empty()) sql += " AND domain = ?5";
  sql += kSelectOrder;
  absl::StatusOr<SqliteStmt> select = db.Prepare(sql);
  if (!select.ok()) return select.status();
  select->BindText(1, query.campaign_id);
  if (query.round != 0) select->BindInt(2, query.round);
  if (!query.country.empty()) select->BindText(3, query.country);
  if (!query.sector.empty()) select->BindText(4, query.sector);
  if (!query.domain.empty()) select->BindText(5, query.domain);
  std::vector<readiness::DomainRollup> rows;
  while (true) {
    absl::StatusOr<bool> step = select->Step();
    if (!step.ok()) return step.status();
    if (!*step) break;
    absl::StatusOr<readiness::DomainRollup> row = ReadRow(*select);
    if (!row.ok()) return row.status();
    rows.push_back(*std::move(row));
  }
  // SQLite's BINARY collation is DomainRollupKey's byte order already; the
  // sort only guards the contract.
  if (!std::is_sorted(
          rows.begin(), rows.end(),
          [](const auto& a, const auto& b) { return a.key < b.key; })) {
    std::sort(rows.begin(), rows.end(),
              [](const auto& a, const auto& b) { return a.key < b.key; });
  }
  return rows;
}

absl::StatusOr<ReadinessRebuildReport> RebuildSqliteReadinessRollups(
    SqliteDb& db) {
  SqliteReadinessRebuildTarget target(db);
  return RunReadinessRollupRebuild(target);
}

absl::Status RebuildPendingReadinessRollups(SqliteDb& db) {
  absl::StatusOr<uint64_t> pending = CountOf(db, kPending);
  if (!pending.ok()) return pending.status();
  if (*pending == 0) return absl::OkStatus();
  return RebuildSqliteReadinessRollups(db).status();
}

absl::StatusOr<std::vector<uint32_t>> SelectReadinessRounds(
    SqliteDb& db, const std::string& campaign_id) {
  if (campaign_id.empty()) {
    return absl::InvalidArgumentError("readiness rounds need a campaign id");
  }
  absl::StatusOr<SqliteStmt> select = db.Prepare(kSelectRounds);
  if (!select.ok()) return select.status();
  select->BindText(1, campaign_id);
  std::vector<uint32_t> rounds;
  while (true) {
    absl::StatusOr<bool> step = select->Step();
    if (!step.ok()) return step.status();
    if (!*step) break;
    rounds.push_back(static_cast<uint32_t>(select->Int(0)));
  }
  return rounds;
}

}  // namespace v6scope::collector::store::sqlite
