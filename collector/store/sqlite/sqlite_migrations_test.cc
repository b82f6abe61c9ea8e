#include "collector/store/sqlite/sqlite_migrations.h"

#include <unistd.h>

#include <atomic>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "collector/store/sqlite/sqlite_db.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace v6scope::collector::store::sqlite {
namespace {

using ::testing::HasSubstr;

std::unique_ptr<SqliteDb> FreshDb() {
  static std::atomic<int> counter{0};
  const std::string path = absl::StrCat(::testing::TempDir(), "/migrations-",
                                        getpid(), "-", counter++, ".db");
  absl::StatusOr<std::unique_ptr<SqliteDb>> db = SqliteDb::Open(path);
  EXPECT_TRUE(db.ok()) << db.status();
  return db.ok() ? *std::move(db) : nullptr;
}

int UserVersion(SqliteDb& db) {
  absl::StatusOr<SqliteStmt> stmt = db.Prepare("PRAGMA user_version");
  EXPECT_TRUE(stmt.ok()) << stmt.status();
  absl::StatusOr<bool> row = stmt->Step();
  EXPECT_TRUE(row.ok() && *row);
  return static_cast<int>(stmt->Int(0));
}

bool HasTable(SqliteDb& db, const std::string& name) {
  absl::StatusOr<SqliteStmt> stmt = db.Prepare(
      "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?1");
  EXPECT_TRUE(stmt.ok()) << stmt.status();
  stmt->BindText(1, name);
  absl::StatusOr<bool> row = stmt->Step();
  return row.ok() && *row;
}

constexpr SchemaStep kTwoSteps[] = {
    {1, "CREATE TABLE a (x INTEGER);"},
    {2, "CREATE TABLE b (y INTEGER);"},
};

TEST(SqliteMigrationsTest, RealStepsAreNumberedAndApply) {
  absl::Span<const SchemaStep> steps = SqliteSchemaSteps();
  ASSERT_FALSE(steps.empty());
  for (size_t i = 0; i < steps.size(); ++i) {
    EXPECT_EQ(steps[i].version, static_cast<int>(i) + 1);
  }
  std::unique_ptr<SqliteDb> db = FreshDb();
  ASSERT_NE(db, nullptr);
  ASSERT_TRUE(MigrateSqliteSchema(*db).ok());
  EXPECT_EQ(UserVersion(*db), LatestSqliteSchemaVersion());
  EXPECT_TRUE(HasTable(*db, "runs"));
  EXPECT_TRUE(MigrateSqliteSchema(*db).ok());  // Idempotent.
}

// Step 5: every probe enrolled before it enrolled itself: none is sample
// data.
TEST(SqliteMigrationsTest, ExistingProbesAreNotSynthetic) {
  std::unique_ptr<SqliteDb> db = FreshDb();
  ASSERT_NE(db, nullptr);
  ASSERT_TRUE(ApplySchemaSteps(*db, SqliteSchemaSteps().subspan(0, 4)).ok());
  ASSERT_TRUE(db->Exec("INSERT INTO probes VALUES ('p1', 'h', 'org', 'v', 1, "
                       "0)")
                  .ok());
  ASSERT_TRUE(MigrateSqliteSchema(*db).ok());
  EXPECT_EQ(UserVersion(*db), LatestSqliteSchemaVersion());
  absl::StatusOr<SqliteStmt> stmt =
      db->Prepare("SELECT probe_id, synthetic FROM probes");
  ASSERT_TRUE(stmt.ok()) << stmt.status();
  absl::StatusOr<bool> row = stmt->Step();
  ASSERT_TRUE(row.ok() && *row);
  EXPECT_EQ(stmt->Text(0), "p1");
  EXPECT_EQ(stmt->Int(1), 0);
}

// Step 6 adds the campaign tables to a database of version 5 in use.
TEST(SqliteMigrationsTest, CampaignTablesAddedToVersionFive) {
  std::unique_ptr<SqliteDb> db = FreshDb();
  ASSERT_NE(db, nullptr);
  ASSERT_TRUE(ApplySchemaSteps(*db, SqliteSchemaSteps().subspan(0, 5)).ok());
  EXPECT_FALSE(HasTable(*db, "campaigns"));
  ASSERT_TRUE(MigrateSqliteSchema(*db).ok());
  EXPECT_EQ(UserVersion(*db), LatestSqliteSchemaVersion());
  EXPECT_TRUE(HasTable(*db, "campaigns"));
  EXPECT_TRUE(HasTable(*db, "campaign_domains"));
}

// Step 7 adds the campaign work tables to a database of version 6 in use.
TEST(SqliteMigrationsTest, WorkTablesAddedToVersionSix) {
  std::unique_ptr<SqliteDb> db = FreshDb();
  ASSERT_NE(db, nullptr);
  ASSERT_TRUE(ApplySchemaSteps(*db, SqliteSchemaSteps().subspan(0, 6)).ok());
  ASSERT_TRUE(db->Exec("INSERT INTO campaigns VALUES ('c-1', 1, 0, x'')").ok());
  EXPECT_FALSE(HasTable(*db, "domain_results"));
  ASSERT_TRUE(MigrateSqliteSchema(*db).ok());
  EXPECT_EQ(UserVersion(*db), LatestSqliteSchemaVersion());
  EXPECT_TRUE(HasTable(*db, "domain_results"));
  EXPECT_TRUE(HasTable(*db, "assignments"));
  EXPECT_TRUE(HasTable(*db, "probe_work"));
  absl::StatusOr<SqliteStmt> stmt =
      db->Prepare("SELECT campaign_id FROM campaigns");
  ASSERT_TRUE(stmt.ok()) << stmt.status();
  absl::StatusOr<bool> row = stmt->Step();
  ASSERT_TRUE(row.ok() && *row);
  EXPECT_EQ(stmt->Text(0), "c-1");
}

// Step 8: every token and probe before it was an ordinary one, not the
// collector's vantage.
TEST(SqliteMigrationsTest, ExistingProbesAreNotCollectorVantages) {
  std::unique_ptr<SqliteDb> db = FreshDb();
  ASSERT_NE(db, nullptr);
  ASSERT_TRUE(ApplySchemaSteps(*db, SqliteSchemaSteps().subspan(0, 7)).ok());
  ASSERT_TRUE(db->Exec("INSERT INTO probes VALUES ('p1', 'h', 'org', 'v', 1, "
                       "0, 0)")
                  .ok());
  ASSERT_TRUE(db->Exec("INSERT INTO enrolment_tokens VALUES ('t1', 'org', 1, "
                       "2, NULL, NULL)")
                  .ok());
  ASSERT_TRUE(MigrateSqliteSchema(*db).ok());
  EXPECT_EQ(UserVersion(*db), LatestSqliteSchemaVersion());
  for (const char* sql : {"SELECT collector_vantage FROM probes",
                          "SELECT collector_vantage FROM enrolment_tokens"}) {
    absl::StatusOr<SqliteStmt> stmt = db->Prepare(sql);
    ASSERT_TRUE(stmt.ok()) << stmt.status();
    absl::StatusOr<bool> row = stmt->Step();
    ASSERT_TRUE(row.ok() && *row) << sql;
    EXPECT_EQ(stmt->Int(0), 0) << sql;
  }
}

// Every rollup row before schema version 4 was made by methodology 1.
TEST(SqliteMigrationsTest, ExistingRollupsBecomeMethodologyOne) {
  std::unique_ptr<SqliteDb> db = FreshDb();
  ASSERT_NE(db, nullptr);
  ASSERT_TRUE(ApplySchemaSteps(*db, SqliteSchemaSteps().subspan(0, 3)).ok());
  ASSERT_TRUE(db->Exec("INSERT INTO probe_windows VALUES "
                       "(1, 0, 'p1', 3, 10, 3, 1, 0, 2, NULL, 64500, 'KE')")
                  .ok());
  ASSERT_TRUE(MigrateSqliteSchema(*db).ok());
  EXPECT_EQ(UserVersion(*db), LatestSqliteSchemaVersion());
  absl::StatusOr<SqliteStmt> stmt =
      db->Prepare("SELECT probe_id, methodology_version FROM probe_windows");
  ASSERT_TRUE(stmt.ok()) << stmt.status();
  absl::StatusOr<bool> row = stmt->Step();
  ASSERT_TRUE(row.ok() && *row);
  EXPECT_EQ(stmt->Text(0), "p1");
  EXPECT_EQ(stmt->Text(1), "1");
}

TEST(SqliteMigrationsTest, AppliesOnlyMissingSteps) {
  std::unique_ptr<SqliteDb> db = FreshDb();
  ASSERT_NE(db, nullptr);
  ASSERT_TRUE(ApplySchemaSteps(*db, absl::MakeSpan(kTwoSteps, 1)).ok());
  EXPECT_EQ(UserVersion(*db), 1);
  EXPECT_TRUE(HasTable(*db, "a"));
  EXPECT_FALSE(HasTable(*db, "b"));
  // Step 1 again would fail (table a exists): only step 2 may run.
  absl::Status upgraded = ApplySchemaSteps(*db, kTwoSteps);
  ASSERT_TRUE(upgraded.ok()) << upgraded;
  EXPECT_EQ(UserVersion(*db), 2);
  EXPECT_TRUE(HasTable(*db, "b"));
}

TEST(SqliteMigrationsTest, FailedStepRollsBackEverything) {
  std::unique_ptr<SqliteDb> db = FreshDb();
  ASSERT_NE(db, nullptr);
  constexpr SchemaStep kBroken[] = {
      {1, "CREATE TABLE a (x INTEGER);"},
      {2, "CREATE TABLE b (y INTEGER); THIS IS NOT SQL;"},
  };
  absl::Status status = ApplySchemaSteps(*db, kBroken);
  ASSERT_FALSE(status.ok());
  EXPECT_THAT(status.message(), HasSubstr("schema step 2"));
  EXPECT_EQ(UserVersion(*db), 0);
  EXPECT_FALSE(HasTable(*db, "a"));
  EXPECT_FALSE(HasTable(*db, "b"));
}

TEST(SqliteMigrationsTest, NewerDatabaseIsFailedPrecondition) {
  std::unique_ptr<SqliteDb> db = FreshDb();
  ASSERT_NE(db, nullptr);
  ASSERT_TRUE(db->Exec("PRAGMA user_version = 5").ok());
  absl::Status status = ApplySchemaSteps(*db, kTwoSteps);
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition) << status;
  EXPECT_EQ(status.message(),
            "database schema version 5 is newer than this binary supports "
            "(2); upgrade v6scope-collector");
  EXPECT_EQ(UserVersion(*db), 5);
}

TEST(SqliteMigrationsTest, MisnumberedStepsAreRejected) {
  std::unique_ptr<SqliteDb> db = FreshDb();
  ASSERT_NE(db, nullptr);
  constexpr SchemaStep kGap[] = {{1, "SELECT 1;"}, {3, "SELECT 1;"}};
  EXPECT_EQ(ApplySchemaSteps(*db, kGap).code(), absl::StatusCode::kInternal);
  EXPECT_EQ(UserVersion(*db), 0);
}

}  // namespace
}  // namespace v6scope::collector::store::sqlite
