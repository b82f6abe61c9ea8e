// PostgresStore against a real PostgreSQL 15 server, which the test starts
// itself (testing/postgres_server.h): the conformance suite, then what is
// particular to PostgreSQL (migrations, several collectors on one
// database, connection errors).
#include "collector/store/postgres/postgres_store.h"

#include <atomic>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "collector/aggregate/readiness/rollup.h"
#include "collector/ingest/prepare_run.h"
#include "collector/store/postgres/pg_conn.h"
#include "collector/store/postgres/postgres_migrations.h"
#include "collector/store/postgres/testing/postgres_server.h"
#include "collector/store/store.h"
#include "collector/store/store_conformance.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "proto/readiness.pb.h"

namespace v6scope::collector::store::postgres {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

// --- conformance ------------------------------------------------------------

absl::StatusOr<std::unique_ptr<Store>> NewPostgresStore() {
  absl::StatusOr<testing::PostgresServer*> server =
      testing::PostgresServer::Shared();
  if (!server.ok()) return server.status();
  absl::StatusOr<std::string> db = (*server)->CreateDatabase();
  if (!db.ok()) return db.status();
  absl::StatusOr<std::unique_ptr<PostgresStore>> store =
      PostgresStore::Open((*server)->ConnInfo(*db));
  if (!store.ok()) return store.status();
  return std::unique_ptr<Store>(*std::move(store));
}

// Without the server binaries there is nothing to instantiate the suite
// with; PostgresStoreTest.ServerAvailable then reports the skip and why.
std::vector<StoreFactory> PostgresFactories() {
  if (!testing::PostgresServer::WhyUnavailable().empty()) return {};
  return {StoreFactory{"Postgres", NewPostgresStore}};
}

INSTANTIATE_TEST_SUITE_P(Postgres, StoreConformanceTest,
                         ::testing::ValuesIn(PostgresFactories()),
                         StoreFactoryName);
// An empty instantiation (no server binaries) is not a mistake here.
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(StoreConformanceTest);

// --- PostgreSQL specifics ---------------------------------------------------

const absl::Time kNow = absl::FromUnixSeconds(1'700'000'000);

RunBatch OneRunBatch(const std::string& probe_id, uint64_t seq,
                     uint64_t dropped_runs = 0) {
  RunBatch batch;
  batch.probe_id = probe_id;
  batch.first_seq = seq;
  v6scope::v1::Run run;
  run.set_target_set("default");
  run.set_probe_version(absl::StrCat("seq ", seq));
  batch.runs.push_back(*ingest::PrepareRun(run));
  batch.dropped_runs = dropped_runs;
  batch.received_at = kNow;
  return batch;
}

RunBatch RangeBatch(const std::string& probe_id, uint64_t first_seq,
                    int count) {
  RunBatch batch;
  batch.probe_id = probe_id;
  batch.first_seq = first_seq;
  for (int i = 0; i < count; ++i) {
    v6scope::v1::Run run;
    run.set_probe_version(absl::StrCat(first_seq + i));
    batch.runs.push_back(*ingest::PrepareRun(run));
  }
  batch.received_at = kNow;
  return batch;
}

absl::Status Enrol(Store& store, const std::string& probe_id) {
  absl::Status added = store.AddEnrolmentToken(
      {"hash-" + probe_id, "Org", kNow, kNow + absl::Hours(1)});
  if (!added.ok()) return added;
  ProbeRecord probe;
  probe.probe_id = probe_id;
  probe.credential_hash = "cred-" + probe_id;
  probe.enrolled_at = kNow;
  return store.ConsumeEnrolmentToken("hash-" + probe_id, kNow, probe).status();
}

// Every run, newest first, following the page tokens.
std::vector<v6scope::v1::StoredRun> AllRuns(Store& store) {
  std::vector<v6scope::v1::StoredRun> all;
  std::string token;
  do {
    absl::StatusOr<RunPage> page = store.ListRuns({}, 100, token);
    EXPECT_TRUE(page.ok()) << page.status();
    if (!page.ok()) break;
    all.insert(all.end(), page->runs.begin(), page->runs.end());
    token = page->next_page_token;
  } while (!token.empty());
  return all;
}

class PostgresStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string why = testing::PostgresServer::WhyUnavailable();
    if (!why.empty()) GTEST_SKIP() << why;
    absl::StatusOr<testing::PostgresServer*> server =
        testing::PostgresServer::Shared();
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = *server;
    absl::StatusOr<std::string> db = server_->CreateDatabase();
    ASSERT_TRUE(db.ok()) << db.status();
    db_ = *db;
  }

  std::unique_ptr<PostgresStore> Open(
      const PostgresStoreOptions& options = PostgresStoreOptions()) {
    absl::StatusOr<std::unique_ptr<PostgresStore>> store =
        PostgresStore::Open(server_->ConnInfo(db_), options);
    EXPECT_TRUE(store.ok()) << store.status();
    return store.ok() ? *std::move(store) : nullptr;
  }

  // First column of the first row of `sql`, run as the superuser.
  std::string Sql(const std::string& sql) {
    absl::StatusOr<std::string> result = server_->Query(db_, sql);
    EXPECT_TRUE(result.ok()) << result.status();
    return result.value_or("");
  }

  testing::PostgresServer* server_ = nullptr;
  std::string db_;
};

TEST_F(PostgresStoreTest, ServerAvailable) {
  // Reaching here means the server started (SetUp skips, saying why, when
  // the binaries are missing).
  EXPECT_EQ(Sql("SHOW fsync"), "on");
  EXPECT_EQ(Sql("SHOW synchronous_commit"), "on");
}

TEST_F(PostgresStoreTest, DataSurvivesReopen) {
  {
    std::unique_ptr<PostgresStore> store = Open();
    ASSERT_NE(store, nullptr);
    ASSERT_TRUE(Enrol(*store, "p1").ok());
    ASSERT_TRUE(store->StoreBatches({OneRunBatch("p1", 1, 2)}).ok());
  }
  // Over TCP this time, as a collector on another machine would.
  absl::StatusOr<std::unique_ptr<PostgresStore>> store =
      PostgresStore::Open(server_->TcpConnInfo(db_));
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

TEST_F(PostgresStoreTest, CreatesLatestSchema) {
  ASSERT_NE(Open(), nullptr);
  EXPECT_EQ(Sql("SELECT version FROM v6scope_schema_version"),
            absl::StrCat(LatestPostgresSchemaVersion()));
  // Opening again changes nothing.
  ASSERT_NE(Open(), nullptr);
  EXPECT_EQ(Sql("SELECT count(*) FROM v6scope_schema_version"), "1");
}

TEST_F(PostgresStoreTest, NewerSchemaIsFailedPrecondition) {
  ASSERT_NE(Open(), nullptr);
  const int newer = LatestPostgresSchemaVersion() + 1;
  Sql(absl::StrCat("UPDATE v6scope_schema_version SET version = ", newer));
  absl::StatusOr<std::unique_ptr<PostgresStore>> store =
      PostgresStore::Open(server_->ConnInfo(db_));
  EXPECT_EQ(store.status().code(), absl::StatusCode::kFailedPrecondition)
      << store.status();
  EXPECT_THAT(store.status().message(),
              HasSubstr(absl::StrCat("database schema version ", newer,
                                     " is newer than this binary supports (",
                                     LatestPostgresSchemaVersion(),
                                     "); upgrade v6scope-collector")));
  EXPECT_THAT(store.status().message(), HasSubstr("dbname=" + db_));
  // Refusing must not have changed the database.
  EXPECT_EQ(Sql("SELECT version FROM v6scope_schema_version"),
            absl::StrCat(newer));
}

constexpr PostgresSchemaStep kTwoSteps[] = {
    {1, "CREATE TABLE a (x integer);"},
    {2, "CREATE TABLE b (y integer);"},
};

TEST_F(PostgresStoreTest, MigrationsApplyOnlyMissingSteps) {
  absl::StatusOr<std::unique_ptr<PgConn>> conn =
      PgConn::Connect(server_->ConnInfo(db_));
  ASSERT_TRUE(conn.ok()) << conn.status();
  ASSERT_TRUE(
      ApplyPostgresSchemaSteps(**conn, absl::MakeSpan(kTwoSteps, 1)).ok());
  EXPECT_EQ(Sql("SELECT version FROM v6scope_schema_version"), "1");
  EXPECT_EQ(Sql("SELECT to_regclass('b') IS NULL"), "t");
  // Step 1 again would fail (table a exists): only step 2 may run.
  absl::Status second = ApplyPostgresSchemaSteps(**conn, kTwoSteps);
  ASSERT_TRUE(second.ok()) << second;
  EXPECT_EQ(Sql("SELECT version FROM v6scope_schema_version"), "2");
  EXPECT_EQ(Sql("SELECT to_regclass('b') IS NOT NULL"), "t");
}

// Every rollup row before schema version 4 was made by methodology 1.
TEST_F(PostgresStoreTest, ExistingRollupsBecomeMethodologyOne) {
  absl::StatusOr<std::unique_ptr<PgConn>> conn =
      PgConn::Connect(server_->ConnInfo(db_));
  ASSERT_TRUE(conn.ok()) << conn.status();
  ASSERT_TRUE(
      ApplyPostgresSchemaSteps(**conn, PostgresSchemaSteps().subspan(0, 3))
          .ok());
  Sql("INSERT INTO probe_windows VALUES "
      "(1, 0, 'p1', 3, 10, 3, 1, 0, 2, NULL, 64500, 'KE')");
  ASSERT_NE(Open(), nullptr);
  EXPECT_EQ(Sql("SELECT version FROM v6scope_schema_version"),
            absl::StrCat(LatestPostgresSchemaVersion()));
  EXPECT_EQ(Sql("SELECT probe_id || ':' || methodology_version "
                "FROM probe_windows"),
            "p1:1");
}

// Step 5: every probe enrolled before it enrolled itself: none is sample
// data.
TEST_F(PostgresStoreTest, ExistingProbesAreNotSynthetic) {
  absl::StatusOr<std::unique_ptr<PgConn>> conn =
      PgConn::Connect(server_->ConnInfo(db_));
  ASSERT_TRUE(conn.ok()) << conn.status();
  ASSERT_TRUE(
      ApplyPostgresSchemaSteps(**conn, PostgresSchemaSteps().subspan(0, 4))
          .ok());
  Sql("INSERT INTO probes VALUES ('p1', 'h', 'org', 'v', 1, false)");
  ASSERT_NE(Open(), nullptr);
  EXPECT_EQ(Sql("SELECT version FROM v6scope_schema_version"),
            absl::StrCat(LatestPostgresSchemaVersion()));
  EXPECT_EQ(Sql("SELECT probe_id || ':' || synthetic FROM probes"), "p1:false");
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
                            v6scope::v1::ServiceState web) {
  v6scope::v1::DomainCheck check;
  check.set_domain("site.example");
  check.mutable_verdict()->set_web(web);
  check.mutable_verdict()->set_methodology_version("readiness 1");
  return absl::StrCat(
      "INSERT INTO domain_results (probe_id, seq, assignment_id, item, "
      "campaign_id, round, list_index, domain, sector, probe_asn, "
      "probe_country, received_at, web_state, dns_state, mail_state, "
      "web_v4_asn, web_v6_asn, check_blob) VALUES ('",
      probe, "', ", seq, ", 'a-", probe,
      "', 0, 'c-1', 1, 0, 'site.example', 'government', ", asn, ", '", country,
      "', 0, ", static_cast<int>(web), ", 0, 0, 0, 0, '\\x",
      absl::BytesToHexString(check.SerializeAsString()), "')");
}

// Step 9 on a database holding results: Open folds them into the
// readiness rollups (and backfills their version column) once.
TEST_F(PostgresStoreTest, ReadinessRollupsFilledFromResultsOfVersionEight) {
  absl::StatusOr<std::unique_ptr<PgConn>> conn =
      PgConn::Connect(server_->ConnInfo(db_));
  ASSERT_TRUE(conn.ok()) << conn.status();
  ASSERT_TRUE(
      ApplyPostgresSchemaSteps(**conn, PostgresSchemaSteps().subspan(0, 8))
          .ok());
  Sql(OldResultInsert("p-1", 1, 64500, "KE", v6scope::v1::SERVING_V6));
  Sql(OldResultInsert("p-2", 1, 64501, "KE", v6scope::v1::NO_AAAA));
  Sql(OldResultInsert("p-3", 1, 64500, "KE", v6scope::v1::SERVING_V6));
  std::unique_ptr<PostgresStore> store = Open();
  ASSERT_NE(store, nullptr);
  absl::StatusOr<std::vector<aggregate::readiness::DomainRollup>> rows =
      store->ListReadinessRollups(C1());
  ASSERT_TRUE(rows.ok()) << rows.status();
  ASSERT_EQ(rows->size(), 1u);
  const aggregate::readiness::DomainRollup& row = rows->front();
  EXPECT_EQ(row.key.country, "KE");
  EXPECT_EQ(row.key.methodology_version, "readiness 1");
  EXPECT_EQ(row.results, 3u);
  const aggregate::readiness::StateCounts& web =
      row.of(aggregate::readiness::Service::kWeb);
  EXPECT_EQ(web[v6scope::v1::SERVING_V6], 2u);
  EXPECT_EQ(web[v6scope::v1::NO_AAAA], 1u);
  EXPECT_EQ(row.asns, (std::vector<uint32_t>{64500, 64501}));
  EXPECT_EQ(Sql("SELECT COUNT(*) FROM domain_results WHERE "
                "methodology_version = 'readiness 1'"),
            "3");
  EXPECT_EQ(Sql("SELECT COUNT(*) FROM readiness_rollups_pending"), "0");
  store.reset();
  store = Open();
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(*store->ListReadinessRollups(C1()), *rows);
}

// Step 6 adds the campaign tables to a database of version 5 in use.
TEST_F(PostgresStoreTest, CampaignTablesAddedToVersionFive) {
  absl::StatusOr<std::unique_ptr<PgConn>> conn =
      PgConn::Connect(server_->ConnInfo(db_));
  ASSERT_TRUE(conn.ok()) << conn.status();
  ASSERT_TRUE(
      ApplyPostgresSchemaSteps(**conn, PostgresSchemaSteps().subspan(0, 5))
          .ok());
  Sql("INSERT INTO probes VALUES ('p1', 'h', 'org', 'v', 1, false, false)");
  ASSERT_NE(Open(), nullptr);
  EXPECT_EQ(Sql("SELECT version FROM v6scope_schema_version"),
            absl::StrCat(LatestPostgresSchemaVersion()));
  EXPECT_EQ(Sql("SELECT count(*) FROM campaigns"), "0");
  EXPECT_EQ(Sql("SELECT count(*) FROM campaign_domains"), "0");
  EXPECT_EQ(Sql("SELECT probe_id FROM probes"), "p1");
}

// Step 7 adds the campaign work tables to a database of version 6 in use.
TEST_F(PostgresStoreTest, WorkTablesAddedToVersionSix) {
  absl::StatusOr<std::unique_ptr<PgConn>> conn =
      PgConn::Connect(server_->ConnInfo(db_));
  ASSERT_TRUE(conn.ok()) << conn.status();
  ASSERT_TRUE(
      ApplyPostgresSchemaSteps(**conn, PostgresSchemaSteps().subspan(0, 6))
          .ok());
  Sql("INSERT INTO campaigns VALUES ('c-1', 1, 0, '')");
  ASSERT_NE(Open(), nullptr);
  EXPECT_EQ(Sql("SELECT version FROM v6scope_schema_version"),
            absl::StrCat(LatestPostgresSchemaVersion()));
  EXPECT_EQ(Sql("SELECT count(*) FROM domain_results"), "0");
  EXPECT_EQ(Sql("SELECT count(*) FROM assignments"), "0");
  EXPECT_EQ(Sql("SELECT count(*) FROM probe_work"), "0");
  EXPECT_EQ(Sql("SELECT campaign_id FROM campaigns"), "c-1");
}

TEST_F(PostgresStoreTest, FailedMigrationChangesNothing) {
  absl::StatusOr<std::unique_ptr<PgConn>> conn =
      PgConn::Connect(server_->ConnInfo(db_));
  ASSERT_TRUE(conn.ok()) << conn.status();
  constexpr PostgresSchemaStep kBroken[] = {
      {1, "CREATE TABLE a (x integer);"},
      {2, "CREATE TABLE b (y no_such_type);"},
  };
  absl::Status migrated = ApplyPostgresSchemaSteps(**conn, kBroken);
  EXPECT_FALSE(migrated.ok());
  EXPECT_THAT(migrated.message(), HasSubstr("schema step 2"));
  EXPECT_EQ(Sql("SELECT to_regclass('v6scope_schema_version') IS NULL"), "t");
  EXPECT_EQ(Sql("SELECT to_regclass('a') IS NULL"), "t");
}

TEST_F(PostgresStoreTest, CollectorsStartingTogetherMigrateOnce) {
  constexpr int kCollectors = 6;
  std::vector<absl::Status> results(kCollectors);
  std::vector<std::thread> threads;
  for (int i = 0; i < kCollectors; ++i) {
    threads.emplace_back([this, i, &results] {
      results[i] = PostgresStore::Open(server_->ConnInfo(db_)).status();
    });
  }
  for (std::thread& thread : threads) thread.join();
  for (const absl::Status& result : results) EXPECT_TRUE(result.ok()) << result;
  EXPECT_EQ(Sql("SELECT version FROM v6scope_schema_version"),
            absl::StrCat(LatestPostgresSchemaVersion()));
}

TEST_F(PostgresStoreTest, TwoCollectorsStoreEachRunExactlyOnce) {
  // Two collectors, several threads each, resending overlapping ranges of
  // the same probes in group commits whose batches come in different
  // probe orders (which would deadlock without a common lock order).
  std::unique_ptr<PostgresStore> a = Open();
  std::unique_ptr<PostgresStore> b = Open();
  ASSERT_NE(a, nullptr);
  ASSERT_NE(b, nullptr);
  constexpr int kProbes = 5;
  constexpr int kThreadsPerCollector = 4;
  constexpr int kCalls = 12;
  constexpr int kRunsPerBatch = 5;
  constexpr uint64_t kMaxSeq = 40;  // Ranges wrap: heavy overlap.
  for (int p = 0; p < kProbes; ++p) {
    ASSERT_TRUE(Enrol(*a, absl::StrCat("p", p)).ok());
  }
  std::atomic<uint64_t> stored{0};
  std::atomic<uint64_t> duplicates{0};
  std::vector<absl::Status> results(2 * kThreadsPerCollector);
  std::vector<std::thread> threads;
  for (int t = 0; t < 2 * kThreadsPerCollector; ++t) {
    PostgresStore* store = t % 2 == 0 ? a.get() : b.get();
    threads.emplace_back([=, &stored, &duplicates, &results] {
      for (int call = 0; call < kCalls && results[t].ok(); ++call) {
        std::vector<RunBatch> batches;
        for (int i = 0; i < kProbes; ++i) {
          // Thread-dependent probe order within one call.
          const int p = t % 2 == 0 ? i : kProbes - 1 - i;
          const uint64_t first =
              1 + ((t + call) * 3 + p) % (kMaxSeq - kRunsPerBatch + 1);
          batches.push_back(
              RangeBatch(absl::StrCat("p", p), first, kRunsPerBatch));
        }
        absl::StatusOr<std::vector<BatchOutcome>> outcomes =
            store->StoreBatches(batches);
        results[t] = outcomes.status();
        if (!outcomes.ok()) break;
        for (const BatchOutcome& outcome : *outcomes) {
          stored += outcome.stored;
          duplicates += outcome.duplicates;
        }
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  for (const absl::Status& result : results) EXPECT_TRUE(result.ok()) << result;

  const std::vector<v6scope::v1::StoredRun> runs_a = AllRuns(*a);
  std::set<std::pair<std::string, uint64_t>> keys;
  for (const v6scope::v1::StoredRun& run : runs_a) {
    EXPECT_TRUE(keys.emplace(run.probe_id(), run.seq()).second)
        << run.probe_id() << " " << run.seq() << " stored twice";
    EXPECT_EQ(run.run().probe_version(), absl::StrCat(run.seq()));
  }
  EXPECT_EQ(stored.load(), runs_a.size());
  EXPECT_EQ(stored + duplicates,
            static_cast<uint64_t>(2 * kThreadsPerCollector * kCalls * kProbes *
                                  kRunsPerBatch));
  // Both collectors give the same answers.
  const std::vector<v6scope::v1::StoredRun> runs_b = AllRuns(*b);
  ASSERT_EQ(runs_b.size(), runs_a.size());
  for (size_t i = 0; i < runs_a.size(); ++i) {
    EXPECT_EQ(runs_a[i].SerializeAsString(), runs_b[i].SerializeAsString());
  }
  absl::StatusOr<std::vector<v6scope::v1::ProbeSummary>> probes_a =
      a->ListProbes();
  absl::StatusOr<std::vector<v6scope::v1::ProbeSummary>> probes_b =
      b->ListProbes();
  ASSERT_TRUE(probes_a.ok()) << probes_a.status();
  ASSERT_TRUE(probes_b.ok()) << probes_b.status();
  ASSERT_EQ(probes_a->size(), static_cast<size_t>(kProbes));
  ASSERT_EQ(probes_b->size(), static_cast<size_t>(kProbes));
  uint64_t counted = 0;
  for (int p = 0; p < kProbes; ++p) {
    EXPECT_EQ((*probes_a)[p].SerializeAsString(),
              (*probes_b)[p].SerializeAsString());
    counted += (*probes_a)[p].runs();
    const std::string id = absl::StrCat("p", p);
    uint64_t last = 0;
    for (const auto& [probe, seq] : keys) {
      if (probe == id && seq > last) last = seq;
    }
    EXPECT_EQ(a->LastStoredSeq(id).value_or(0), last);
    EXPECT_EQ(b->LastStoredSeq(id).value_or(0), last);
  }
  // The per-probe counters agree with the runs table.
  EXPECT_EQ(counted, runs_a.size());
}

TEST_F(PostgresStoreTest, RevocationByOneCollectorHoldsOnTheOther) {
  std::unique_ptr<PostgresStore> a = Open();
  std::unique_ptr<PostgresStore> b = Open();
  ASSERT_NE(a, nullptr);
  ASSERT_NE(b, nullptr);
  ASSERT_TRUE(Enrol(*a, "p1").ok());
  ASSERT_TRUE(b->StoreBatches({OneRunBatch("p1", 1)}).ok());
  ASSERT_TRUE(a->RevokeProbe("p1").ok());
  absl::StatusOr<std::vector<BatchOutcome>> outcomes =
      b->StoreBatches({OneRunBatch("p1", 2)});
  ASSERT_TRUE(outcomes.ok()) << outcomes.status();
  ASSERT_EQ(outcomes->size(), 1u);
  EXPECT_TRUE((*outcomes)[0].revoked);
  EXPECT_EQ(a->LastStoredSeq("p1").value_or(0), 1u);
}

// Runs stored before schema v2 keep their attribution only in the run
// blob; rebuild-rollups sets the columns (exports filter on them).
TEST_F(PostgresStoreTest, RebuildBackfillsAttributionColumns) {
  std::unique_ptr<PostgresStore> store = Open();
  ASSERT_NE(store, nullptr);
  RunBatch batch = OneRunBatch("p1", 1);
  v6scope::v1::Run run;
  run.mutable_attribution()->set_asn(64500);
  run.mutable_attribution()->set_country("NZ");
  batch.runs.push_back(*ingest::PrepareRun(run));
  ASSERT_TRUE(store->StoreBatches({batch}).ok());
  Sql("UPDATE runs SET asn = 0, country = ''");
  ExportFilter nz;
  nz.country = "NZ";
  EXPECT_TRUE(store->ExportRuns(nz, 0, 100)->runs.empty());
  absl::StatusOr<RebuildReport> report = store->RebuildRollups();
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_EQ(report->runs_scanned, 2u);
  EXPECT_EQ(report->columns_backfilled, 1u);
  absl::StatusOr<ExportPage> page = store->ExportRuns(nz, 0, 100);
  ASSERT_TRUE(page.ok()) << page.status();
  ASSERT_EQ(page->runs.size(), 1u);
  EXPECT_EQ(page->runs[0].seq(), 2u);
  EXPECT_EQ(Sql("SELECT asn || country FROM runs WHERE seq = 2"), "64500NZ");
  EXPECT_EQ(store->RebuildRollups()->columns_backfilled, 0u);
}

TEST_F(PostgresStoreTest, ConcurrentTokenConsumptionHasOneWinner) {
  std::unique_ptr<PostgresStore> a = Open();
  std::unique_ptr<PostgresStore> b = Open();
  ASSERT_NE(a, nullptr);
  ASSERT_NE(b, nullptr);
  constexpr int kTokens = 5;
  constexpr int kContenders = 8;
  for (int token = 0; token < kTokens; ++token) {
    const std::string hash = absl::StrCat("token-", token);
    ASSERT_TRUE(
        a->AddEnrolmentToken({hash, "Org", kNow, kNow + absl::Hours(1)}).ok());
    std::vector<absl::Status> results(kContenders);
    std::vector<std::thread> threads;
    for (int c = 0; c < kContenders; ++c) {
      PostgresStore* store = c % 2 == 0 ? a.get() : b.get();
      threads.emplace_back([=, &results] {
        ProbeRecord probe;
        probe.probe_id = absl::StrCat("t", token, "-c", c);
        probe.enrolled_at = kNow;
        results[c] = store->ConsumeEnrolmentToken(hash, kNow, probe).status();
      });
    }
    for (std::thread& thread : threads) thread.join();
    int winners = 0;
    for (const absl::Status& result : results) {
      if (result.ok()) {
        ++winners;
      } else {
        EXPECT_EQ(result.code(), absl::StatusCode::kFailedPrecondition)
            << result;
        EXPECT_THAT(result.message(), HasSubstr("already used"));
      }
    }
    EXPECT_EQ(winners, 1) << hash;
  }
  absl::StatusOr<std::vector<v6scope::v1::ProbeSummary>> probes =
      b->ListProbes();
  ASSERT_TRUE(probes.ok()) << probes.status();
  EXPECT_EQ(probes->size(), static_cast<size_t>(kTokens));
}

TEST_F(PostgresStoreTest, OneConnectionServesManyThreads) {
  PostgresStoreOptions options;
  options.max_connections = 1;
  std::unique_ptr<PostgresStore> store = Open(options);
  ASSERT_NE(store, nullptr);
  std::vector<absl::Status> results(4);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (uint64_t seq = 1; seq <= 10 && results[t].ok(); ++seq) {
        results[t] =
            store->StoreBatches({OneRunBatch(absl::StrCat("p", t), seq)})
                .status();
        if (results[t].ok()) results[t] = store->ListProbes().status();
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  for (const absl::Status& result : results) EXPECT_TRUE(result.ok()) << result;
  EXPECT_EQ(AllRuns(*store).size(), 40u);
  EXPECT_FALSE(PostgresStore::Open(server_->ConnInfo(db_), {0}).ok());
}

TEST_F(PostgresStoreTest, LostConnectionsAreReplaced) {
  std::unique_ptr<PostgresStore> store = Open();
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(store->StoreBatches({OneRunBatch("p1", 1)}).ok());
  // As a server restart or failover would: end every session of the
  // collector (waiting until they are gone).
  Sql("SELECT pg_terminate_backend(pid, 10000) FROM pg_stat_activity "
      "WHERE datname = current_database() AND pid <> pg_backend_pid()");
  absl::StatusOr<std::vector<BatchOutcome>> stored =
      store->StoreBatches({OneRunBatch("p1", 2)});
  EXPECT_TRUE(stored.ok()) << stored.status();
  EXPECT_EQ(store->LastStoredSeq("p1").value_or(0), 2u);
}

TEST_F(PostgresStoreTest, CorruptRunIsDataLoss) {
  std::unique_ptr<PostgresStore> store = Open();
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(store->StoreBatches({OneRunBatch("p1", 1)}).ok());
  Sql("UPDATE runs SET run = '\\xffffffff'::bytea");
  absl::StatusOr<RunPage> page = store->ListRuns({}, 10, "");
  EXPECT_EQ(page.status().code(), absl::StatusCode::kDataLoss) << page.status();
  EXPECT_THAT(page.status().message(), HasSubstr("dbname=" + db_));
}

TEST_F(PostgresStoreTest, CommitsAreDurableEvenIfTheDatabaseSaysOff) {
  Sql(absl::StrCat("ALTER DATABASE ", db_, " SET synchronous_commit = off"));
  absl::StatusOr<std::unique_ptr<PgConn>> conn =
      PgConn::Connect(server_->ConnInfo(db_));
  ASSERT_TRUE(conn.ok()) << conn.status();
  absl::StatusOr<PgResult> setting =
      (*conn)->ExecParams("SHOW synchronous_commit", PgParams());
  ASSERT_TRUE(setting.ok()) << setting.status();
  EXPECT_EQ(setting->Bytes(0, 0), "on");
}

TEST_F(PostgresStoreTest, MissingDatabaseIsUnavailableNamingIt) {
  absl::StatusOr<std::unique_ptr<PostgresStore>> store =
      PostgresStore::Open(server_->ConnInfo("no_such_db"));
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), absl::StatusCode::kUnavailable)
      << store.status();
  EXPECT_THAT(store.status().message(), HasSubstr("dbname=no_such_db"));
  EXPECT_THAT(store.status().message(), HasSubstr("does not exist"));
}

// No server needed from here on.

TEST(PostgresConnInfoTest, UnreachableServerIsUnavailableWithoutPassword) {
  // Port 1 on loopback: nothing listens there, the connection is refused.
  const std::string secret = "s3cr3t-Passw0rd";
  const int port = 1;
  for (const std::string& conninfo :
       {absl::StrCat("postgresql://collector:", secret, "@127.0.0.1:", port,
                     "/v6scope"),
        absl::StrCat("host=127.0.0.1 port=", port,
                     " dbname=v6scope user=collector password=", secret)}) {
    absl::StatusOr<std::unique_ptr<PostgresStore>> store =
        PostgresStore::Open(conninfo);
    ASSERT_FALSE(store.ok()) << conninfo;
    EXPECT_EQ(store.status().code(), absl::StatusCode::kUnavailable)
        << store.status();
    EXPECT_THAT(store.status().message(), Not(HasSubstr(secret)));
    EXPECT_THAT(store.status().message(),
                HasSubstr(absl::StrCat("dbname=v6scope host=127.0.0.1 port=",
                                       port, " user=collector")));
  }
}

TEST(PostgresConnInfoTest, MalformedIsInvalidArgumentWithoutPassword) {
  for (const std::string& conninfo : {
           std::string("host=x password=s3cr3t pw0rd"),  // Unquoted space.
           std::string("no_such_option=1 password=s3cr3t"),
           std::string("postgresql://u:s3cr3t%zz@host/db"),
           std::string("postgresql://u:s3cr3t@[::1/db"),
       }) {
    absl::StatusOr<std::unique_ptr<PostgresStore>> store =
        PostgresStore::Open(conninfo);
    ASSERT_FALSE(store.ok()) << conninfo;
    EXPECT_EQ(store.status().code(), absl::StatusCode::kInvalidArgument)
        << store.status();
    EXPECT_THAT(store.status().message(),
                HasSubstr("invalid PostgreSQL connection string"));
    EXPECT_THAT(store.status().message(), Not(HasSubstr("s3cr3t")));
    EXPECT_THAT(store.status().message(), Not(HasSubstr("pw0rd")));
  }
}

}  // namespace
}  // namespace v6scope::collector::store::postgres
