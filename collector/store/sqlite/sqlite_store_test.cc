#include "collector/store/sqlite/sqlite_store.h"

#include <sqlite3.h>
#include <unistd.h>

#include <atomic>
#include <fstream>
#include <memory>
#include <string>
#include <thread>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "collector/aggregate/readiness/rollup.h"
#include "collector/ingest/prepare_run.h"
#include "collector/store/sqlite/sqlite_migrations.h"
#include "collector/store/store.h"
#include "collector/store/store_conformance.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "proto/readiness.pb.h"

namespace v6scope::collector::store::sqlite {
namespace {

using ::testing::HasSubstr;

// A path no other test (or test process) uses; the file does not exist.
std::string FreshPath(const std::string& name) {
  static std::atomic<int> counter{0};
  return absl::StrCat(::testing::TempDir(), "/", name, "-", getpid(), "-",
                      counter++, ".db");
}

absl::StatusOr<std::unique_ptr<Store>> NewSqliteStore() {
  absl::StatusOr<std::unique_ptr<SqliteStore>> store =
      SqliteStore::Open(FreshPath("conformance"));
  if (!store.ok()) return store.status();
  return std::unique_ptr<Store>(*std::move(store));
}

INSTANTIATE_TEST_SUITE_P(Sqlite, StoreConformanceTest,
                         ::testing::Values(StoreFactory{"Sqlite",
                                                        NewSqliteStore}),
                         StoreFactoryName);

// Runs `sql` on its own connection, as another process would; returns the
// first column of the first row (empty if none).
std::string RawSql(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  std::string result;
  char* error = nullptr;
  auto first_column = [](void* out, int columns, char** values, char**) {
    auto* text = static_cast<std::string*>(out);
    if (text->empty() && columns > 0 && values[0] != nullptr) *text = values[0];
    return 0;
  };
  EXPECT_EQ(sqlite3_exec(db, sql.c_str(), first_column, &result, &error),
            SQLITE_OK)
      << (error != nullptr ? error : "");
  sqlite3_free(error);
  sqlite3_close(db);
  return result;
}

RunBatch OneRunBatch(const std::string& probe_id, uint64_t seq) {
  RunBatch batch;
  batch.probe_id = probe_id;
  batch.first_seq = seq;
  v6scope::v1::Run run;
  run.set_target_set("default");
  batch.runs.push_back(*ingest::PrepareRun(run));
  batch.dropped_runs = 2;
  batch.received_at = absl::FromUnixSeconds(1'700'000'000);
  return batch;
}

// Runs stored before schema v2 keep their attribution only in the run
// blob; rebuild-rollups sets the columns (exports filter on them).
TEST(SqliteStoreTest, RebuildBackfillsAttributionColumns) {
  const std::string path = FreshPath("backfill");
  auto store = SqliteStore::Open(path);
  ASSERT_TRUE(store.ok()) << store.status();
  RunBatch batch = OneRunBatch("p1", 1);
  v6scope::v1::Run run;
  run.mutable_attribution()->set_asn(64500);
  run.mutable_attribution()->set_country("NZ");
  batch.runs.push_back(*ingest::PrepareRun(run));
  ASSERT_TRUE((*store)->StoreBatches({batch}).ok());
  // As a version-1 database after migration: the columns' defaults.
  RawSql(path, "UPDATE runs SET asn = 0, country = ''");
  ExportFilter nz;
  nz.country = "NZ";
  ASSERT_TRUE((*store)->ExportRuns(nz, 0, 100).ok());
  EXPECT_TRUE((*store)->ExportRuns(nz, 0, 100)->runs.empty());
  absl::StatusOr<RebuildReport> report = (*store)->RebuildRollups();
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_EQ(report->runs_scanned, 2u);
  EXPECT_EQ(report->columns_backfilled, 1u);  // The unattributed run agrees.
  absl::StatusOr<ExportPage> page = (*store)->ExportRuns(nz, 0, 100);
  ASSERT_TRUE(page.ok()) << page.status();
  ASSERT_EQ(page->runs.size(), 1u);
  EXPECT_EQ(page->runs[0].seq(), 2u);
  EXPECT_EQ(RawSql(path, "SELECT asn || country FROM runs WHERE seq = 2"),
            "64500NZ");
  // A second rebuild finds nothing left to set.
  EXPECT_EQ((*store)->RebuildRollups()->columns_backfilled, 0u);
}

TEST(SqliteStoreTest, DataSurvivesReopen) {
  const std::string path = FreshPath("reopen");
  {
    absl::StatusOr<std::unique_ptr<SqliteStore>> store =
        SqliteStore::Open(path);
    ASSERT_TRUE(store.ok()) << store.status();
    const absl::Time now = absl::FromUnixSeconds(1'700'000'000);
    ASSERT_TRUE(
        (*store)
            ->AddEnrolmentToken({"h1", "Org", now, now + absl::Hours(1)})
            .ok());
    ProbeRecord probe;
    probe.probe_id = "p1";
    probe.enrolled_at = now;
    ASSERT_TRUE((*store)->ConsumeEnrolmentToken("h1", now, probe).ok());
    ASSERT_TRUE((*store)->StoreBatches({OneRunBatch("p1", 1)}).ok());
  }
  absl::StatusOr<std::unique_ptr<SqliteStore>> store = SqliteStore::Open(path);
  ASSERT_TRUE(store.ok()) << store.status();
  absl::StatusOr<ProbeRecord> probe = (*store)->GetProbe("p1");
  ASSERT_TRUE(probe.ok()) << probe.status();
  EXPECT_EQ(probe->org, "Org");
  EXPECT_EQ((*store)->LastStoredSeq("p1").value_or(0), 1u);
  EXPECT_EQ((*store)->DroppedRuns("p1").value_or(0), 2u);
  absl::StatusOr<RunPage> page = (*store)->ListRuns({}, 10, "");
  ASSERT_TRUE(page.ok()) << page.status();
  ASSERT_EQ(page->runs.size(), 1u);
  EXPECT_EQ(page->runs[0].run().target_set(), "default");
  // A resend after the restart is still recognised.
  absl::StatusOr<std::vector<BatchOutcome>> again =
      (*store)->StoreBatches({OneRunBatch("p1", 1)});
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->at(0).duplicates, 1u);
}

TEST(SqliteStoreTest, UsesWalAndLatestSchema) {
  const std::string path = FreshPath("wal");
  ASSERT_TRUE(SqliteStore::Open(path).ok());
  EXPECT_EQ(RawSql(path, "PRAGMA journal_mode"), "wal");
  EXPECT_EQ(RawSql(path, "PRAGMA user_version"),
            absl::StrCat(LatestSqliteSchemaVersion()));
}

// A new file gets 16 KiB pages (readiness rows are about 2 KiB); a file
// made with another page size keeps it, and the store works on it.
TEST(SqliteStoreTest, NewFileGetsLargePagesOldFileKeepsItsOwn) {
  const std::string fresh = FreshPath("pages-new");
  ASSERT_TRUE(SqliteStore::Open(fresh).ok());
  EXPECT_EQ(RawSql(fresh, "PRAGMA page_size"), "16384");

  const std::string old = FreshPath("pages-old");
  RawSql(old, "PRAGMA page_size=4096; CREATE TABLE before_v6scope (x)");
  ASSERT_EQ(RawSql(old, "PRAGMA page_size"), "4096");
  {
    absl::StatusOr<std::unique_ptr<SqliteStore>> store = SqliteStore::Open(old);
    ASSERT_TRUE(store.ok()) << store.status();
    absl::StatusOr<std::vector<BatchOutcome>> stored =
        (*store)->StoreBatches({OneRunBatch("p1", 1)});
    ASSERT_TRUE(stored.ok()) << stored.status();
    EXPECT_EQ(stored->at(0).stored, 1u);
  }
  EXPECT_EQ(RawSql(old, "PRAGMA page_size"), "4096");
  EXPECT_EQ(RawSql(old, "SELECT count(*) FROM runs"), "1");
}

ReadinessRollupQuery C1() {
  ReadinessRollupQuery q;
  q.campaign_id = "c-1";
  return q;
}

// A result as stored before schema step 9 (no methodology_version
// column): its blob is the only place the verdict's version is.
std::string OldResultInsert(const std::string& probe, int seq, uint32_t asn,
                            const std::string& country,
                            const std::string& version,
                            v6scope::v1::ServiceState web) {
  v6scope::v1::DomainCheck check;
  check.set_domain("site.example");
  check.mutable_verdict()->set_web(web);
  check.mutable_verdict()->set_methodology_version(version);
  return absl::StrCat(
      "INSERT INTO domain_results (probe_id, seq, assignment_id, item, "
      "campaign_id, round, list_index, domain, sector, probe_asn, "
      "probe_country, received_at, web_state, dns_state, mail_state, "
      "web_v4_asn, web_v6_asn, check_blob) VALUES ('",
      probe, "', ", seq, ", 'a-", probe,
      "', 0, 'c-1', 1, 0, 'site.example', 'government', ", asn, ", '", country,
      "', 0, ", static_cast<int>(web), ", 0, 0, 0, 0, X'",
      absl::BytesToHexString(check.SerializeAsString()), "');");
}

// Step 9 on a database holding results: Open folds them into the
// readiness rollups (and backfills their version column) once.
TEST(SqliteStoreTest, ReadinessRollupsFilledFromResultsOfVersionEight) {
  const std::string path = FreshPath("v8");
  for (const SchemaStep& step : SqliteSchemaSteps().subspan(0, 8)) {
    RawSql(path, step.sql);
  }
  RawSql(path, "PRAGMA user_version = 8");
  RawSql(path, OldResultInsert("p-1", 1, 64500, "KE", "readiness 1",
                               v6scope::v1::SERVING_V6) +
                   OldResultInsert("p-2", 1, 64501, "KE", "readiness 1",
                                   v6scope::v1::NO_AAAA) +
                   OldResultInsert("p-3", 1, 64500, "KE", "readiness 1",
                                   v6scope::v1::SERVING_V6));
  absl::StatusOr<std::unique_ptr<SqliteStore>> store = SqliteStore::Open(path);
  ASSERT_TRUE(store.ok()) << store.status();
  absl::StatusOr<std::vector<aggregate::readiness::DomainRollup>> rows =
      (*store)->ListReadinessRollups(C1());
  ASSERT_TRUE(rows.ok()) << rows.status();
  ASSERT_EQ(rows->size(), 1u);
  const aggregate::readiness::DomainRollup& row = rows->front();
  EXPECT_EQ(row.key.country, "KE");
  EXPECT_EQ(row.key.methodology_version, "readiness 1");
  EXPECT_EQ(row.results, 3u);
  EXPECT_EQ(
      row.of(aggregate::readiness::Service::kWeb)[v6scope::v1::SERVING_V6], 2u);
  EXPECT_EQ(row.of(aggregate::readiness::Service::kWeb)[v6scope::v1::NO_AAAA],
            1u);
  EXPECT_EQ(row.asns, (std::vector<uint32_t>{64500, 64501}));
  EXPECT_EQ(RawSql(path,
                   "SELECT COUNT(*) FROM domain_results WHERE "
                   "methodology_version = 'readiness 1'"),
            "3");
  EXPECT_EQ(RawSql(path, "SELECT COUNT(*) FROM readiness_rollups_pending"),
            "0");
  store->reset();
  // Opened again: nothing pending, the rows as they were.
  store = SqliteStore::Open(path);
  ASSERT_TRUE(store.ok()) << store.status();
  EXPECT_EQ(*(*store)->ListReadinessRollups(C1()), *rows);
}

// The rounds of a campaign, newest first, by the skip scan; another
// campaign's rounds are not among them.
TEST(SqliteStoreTest, ListsACampaignsRoundsNewestFirst) {
  const std::string path = FreshPath("rounds");
  ASSERT_TRUE(SqliteStore::Open(path).ok());
  std::string sql;
  for (const auto& [campaign, round, country] :
       std::vector<std::tuple<std::string, int, std::string>>{
           {"c-1", 1, "KE"},
           {"c-1", 3, "KE"},
           {"c-1", 3, "UG"},
           {"c-1", 7, "TZ"},
           {"c-2", 9, "KE"}}) {
    absl::StrAppend(&sql, "INSERT INTO readiness_rollups VALUES ('", campaign,
                    "', ", round, ", '", country,
                    "', 'government', 'a.example', 'readiness 1', 1, X'', "
                    "X'');");
  }
  RawSql(path, sql);
  absl::StatusOr<std::unique_ptr<SqliteStore>> store = SqliteStore::Open(path);
  ASSERT_TRUE(store.ok()) << store.status();
  EXPECT_EQ(*(*store)->ListReadinessRounds("c-1"),
            (std::vector<uint32_t>{7, 3, 1}));
  EXPECT_EQ(*(*store)->ListReadinessRounds("c-2"), (std::vector<uint32_t>{9}));
  EXPECT_TRUE((*store)->ListReadinessRounds("c-none")->empty());
  EXPECT_EQ((*store)->ListReadinessRounds("").status().code(),
            absl::StatusCode::kInvalidArgument);
}

// A damaged old result is left out of the rollups, counted and named,
// and kept: the rebuild (and so a rebuild on open) still succeeds.
TEST(SqliteStoreTest, CorruptOldResultIsLeftOutOfTheReadinessRebuild) {
  const std::string path = FreshPath("v8corrupt");
  ASSERT_TRUE(SqliteStore::Open(path).ok());
  RawSql(path, OldResultInsert("p-1", 1, 64500, "KE", "readiness 1",
                               v6scope::v1::SERVING_V6) +
                   "UPDATE domain_results SET check_blob = X'ff', "
                   "methodology_version = '';");
  absl::StatusOr<std::unique_ptr<SqliteStore>> store = SqliteStore::Open(path);
  ASSERT_TRUE(store.ok()) << store.status();  // Nothing was pending.
  absl::StatusOr<ReadinessRebuildReport> report =
      (*store)->RebuildReadinessRollups();
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_EQ(report->results_scanned, 1u);
  EXPECT_EQ(report->results_unreadable, 1u);
  EXPECT_EQ(report->first_unreadable, "probe p-1 seq 1");
  EXPECT_EQ(report->rows_written, 0u);
  EXPECT_EQ(RawSql(path, "SELECT COUNT(*) FROM domain_results"), "1");
}

// The same on open (a step-8 database being folded): the collector starts.
TEST(SqliteStoreTest, CorruptOldResultDoesNotStopTheStoreOpening) {
  const std::string path = FreshPath("v8corrupt_open");
  ASSERT_TRUE(SqliteStore::Open(path).ok());
  RawSql(path,
         OldResultInsert("p-1", 1, 64500, "KE", "readiness 1",
                         v6scope::v1::SERVING_V6) +
             "UPDATE domain_results SET check_blob = X'ff', "
             "methodology_version = ''; "
             "INSERT INTO readiness_rollups_pending (pending) VALUES (1);");
  absl::StatusOr<std::unique_ptr<SqliteStore>> store = SqliteStore::Open(path);
  ASSERT_TRUE(store.ok()) << store.status();
  EXPECT_EQ(RawSql(path, "SELECT COUNT(*) FROM readiness_rollups_pending"),
            "0");
  EXPECT_EQ(RawSql(path, "SELECT COUNT(*) FROM domain_results"), "1");
}

TEST(SqliteStoreTest, NewerSchemaIsFailedPrecondition) {
  const std::string path = FreshPath("newer");
  ASSERT_TRUE(SqliteStore::Open(path).ok());
  const int newer = LatestSqliteSchemaVersion() + 1;
  RawSql(path, absl::StrCat("PRAGMA user_version = ", newer));
  absl::StatusOr<std::unique_ptr<SqliteStore>> store = SqliteStore::Open(path);
  EXPECT_EQ(store.status().code(), absl::StatusCode::kFailedPrecondition)
      << store.status();
  EXPECT_THAT(store.status().message(),
              HasSubstr(absl::StrCat("database schema version ", newer,
                                     " is newer than this binary supports (",
                                     LatestSqliteSchemaVersion(),
                                     "); upgrade v6scope-collector")));
  EXPECT_THAT(store.status().message(), HasSubstr(path));
  // Refusing must not have changed the file.
  EXPECT_EQ(RawSql(path, "PRAGMA user_version"), absl::StrCat(newer));
}

TEST(SqliteStoreTest, GarbageFileIsClearErrorNamingPath) {
  const std::string path = FreshPath("garbage");
  {
    std::ofstream file(path);
    for (int i = 0; i < 200; ++i) file << "this is not a database\n";
  }
  absl::StatusOr<std::unique_ptr<SqliteStore>> store = SqliteStore::Open(path);
  ASSERT_FALSE(store.ok());
  EXPECT_THAT(store.status().message(), HasSubstr(path));
  EXPECT_THAT(store.status().message(), HasSubstr("not a database"));
}

TEST(SqliteStoreTest, UnwritableDirectoryIsErrorNamingPath) {
  // A missing directory, and a "directory" that is a regular file: both
  // fail even for root, unlike permission bits.
  const std::string file = FreshPath("plain-file");
  std::ofstream(file) << "x";
  for (const std::string& path :
       {FreshPath("no-such-dir") + "/store.db", file + "/store.db"}) {
    absl::StatusOr<std::unique_ptr<SqliteStore>> store =
        SqliteStore::Open(path);
    ASSERT_FALSE(store.ok()) << path;
    EXPECT_THAT(store.status().message(), HasSubstr(path));
    EXPECT_THAT(store.status().message(), HasSubstr("unable to open"));
  }
}

TEST(SqliteStoreTest, CorruptRunIsDataLoss) {
  const std::string path = FreshPath("corrupt");
  absl::StatusOr<std::unique_ptr<SqliteStore>> store = SqliteStore::Open(path);
  ASSERT_TRUE(store.ok()) << store.status();
  ASSERT_TRUE((*store)->StoreBatches({OneRunBatch("p1", 1)}).ok());
  RawSql(path, "UPDATE runs SET run = x'ffffffff'");
  absl::StatusOr<RunPage> page = (*store)->ListRuns({}, 10, "");
  EXPECT_EQ(page.status().code(), absl::StatusCode::kDataLoss) << page.status();
}

TEST(SqliteStoreTest, TwoStoresOnOneFileBothWrite) {
  // As two collector processes sharing a file would: the busy timeout,
  // not the in-process mutex, keeps them from failing with SQLITE_BUSY.
  const std::string path = FreshPath("shared");
  absl::StatusOr<std::unique_ptr<SqliteStore>> a = SqliteStore::Open(path);
  absl::StatusOr<std::unique_ptr<SqliteStore>> b = SqliteStore::Open(path);
  ASSERT_TRUE(a.ok()) << a.status();
  ASSERT_TRUE(b.ok()) << b.status();
  constexpr int kRuns = 50;
  auto write = [](SqliteStore* store, std::string probe, absl::Status* out) {
    for (int seq = 1; seq <= kRuns && out->ok(); ++seq) {
      *out = store->StoreBatches({OneRunBatch(probe, seq)}).status();
    }
  };
  absl::Status status_a;
  absl::Status status_b;
  std::thread ta(write, a->get(), "pa", &status_a);
  std::thread tb(write, b->get(), "pb", &status_b);
  ta.join();
  tb.join();
  EXPECT_TRUE(status_a.ok()) << status_a;
  EXPECT_TRUE(status_b.ok()) << status_b;
  EXPECT_EQ((*a)->LastStoredSeq("pb").value_or(0),
            static_cast<uint64_t>(kRuns));
  EXPECT_EQ((*b)->LastStoredSeq("pa").value_or(0),
            static_cast<uint64_t>(kRuns));
}

}  // namespace
}  // namespace v6scope::collector::store::sqlite
