#include "collector/store/migration_runner.h"

#include <string>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace v6scope::collector::store {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

// A database in memory: the version and the SQL applied, both restored
// when a transaction rolls back.
class FakeTarget : public MigrationTarget {
 public:
  struct State {
    int version = 0;
    std::vector<std::string> applied;
  };

  absl::Status InTransaction(absl::FunctionRef<absl::Status()> body) override {
    EXPECT_FALSE(in_transaction_) << "nested transaction";
    ++transactions;
    const State before = state;
    in_transaction_ = true;
    absl::Status done = body();
    in_transaction_ = false;
    if (!done.ok()) {
      state = before;
      ++rollbacks;
    }
    return done;
  }

  absl::StatusOr<int> ReadVersion() override {
    EXPECT_TRUE(in_transaction_) << "version read outside the transaction";
    if (!read_error.ok()) return read_error;
    return state.version;
  }

  absl::Status RunSql(const char* sql) override {
    EXPECT_TRUE(in_transaction_) << "step run outside the transaction";
    if (std::string(sql) == "FAIL") {
      return absl::InvalidArgumentError("near \"FAIL\": syntax error");
    }
    state.applied.push_back(sql);
    return absl::OkStatus();
  }

  absl::Status WriteVersion(int version) override {
    EXPECT_TRUE(in_transaction_) << "version written outside the transaction";
    state.version = version;
    return absl::OkStatus();
  }

  State state;
  absl::Status read_error;
  int transactions = 0;
  int rollbacks = 0;

 private:
  bool in_transaction_ = false;
};

constexpr MigrationStep kThreeSteps[] = {
    {1, "CREATE a"},
    {2, "CREATE b"},
    {3, "CREATE c"},
};

TEST(MigrationRunnerTest, FreshDatabaseGetsEveryStepInOrder) {
  FakeTarget db;
  ASSERT_TRUE(Migrate(db, kThreeSteps).ok());
  EXPECT_EQ(db.state.version, 3);
  EXPECT_THAT(db.state.applied,
              ElementsAre("CREATE a", "CREATE b", "CREATE c"));
  EXPECT_EQ(db.transactions, 1);  // All steps in one transaction.
}

TEST(MigrationRunnerTest, AppliesOnlyMissingSteps) {
  FakeTarget db;
  ASSERT_TRUE(Migrate(db, absl::MakeSpan(kThreeSteps, 1)).ok());
  EXPECT_EQ(db.state.version, 1);
  ASSERT_TRUE(Migrate(db, kThreeSteps).ok());
  EXPECT_EQ(db.state.version, 3);
  EXPECT_THAT(db.state.applied,
              ElementsAre("CREATE a", "CREATE b", "CREATE c"));
}

TEST(MigrationRunnerTest, RerunIsIdempotent) {
  FakeTarget db;
  ASSERT_TRUE(Migrate(db, kThreeSteps).ok());
  const std::vector<std::string> applied = db.state.applied;
  ASSERT_TRUE(Migrate(db, kThreeSteps).ok());
  ASSERT_TRUE(Migrate(db, kThreeSteps).ok());
  EXPECT_EQ(db.state.version, 3);
  EXPECT_EQ(db.state.applied, applied);  // Nothing ran again.
  EXPECT_EQ(db.rollbacks, 0);
}

TEST(MigrationRunnerTest, NewerDatabaseIsRefusedAndUnchanged) {
  FakeTarget db;
  db.state.version = 5;
  absl::Status status = Migrate(db, kThreeSteps);
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition) << status;
  EXPECT_EQ(status.message(),
            "database schema version 5 is newer than this binary supports "
            "(3); upgrade v6scope-collector");
  EXPECT_EQ(db.state.version, 5);
  EXPECT_THAT(db.state.applied, IsEmpty());
}

TEST(MigrationRunnerTest, NegativeVersionIsRefused) {
  FakeTarget db;
  db.state.version = -1;
  absl::Status status = Migrate(db, kThreeSteps);
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition) << status;
  EXPECT_THAT(status.message(), HasSubstr("-1 is invalid"));
}

TEST(MigrationRunnerTest, FailingStepRollsBackTheStepsBeforeIt) {
  FakeTarget db;
  ASSERT_TRUE(Migrate(db, absl::MakeSpan(kThreeSteps, 1)).ok());
  constexpr MigrationStep kBroken[] = {
      {1, "CREATE a"},
      {2, "CREATE b"},
      {3, "FAIL"},
  };
  absl::Status status = Migrate(db, kBroken);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << status;
  EXPECT_THAT(status.message(), HasSubstr("schema step 3: "));
  EXPECT_THAT(status.message(), HasSubstr("syntax error"));
  // Step 2 ran in the failed transaction and was rolled back with it.
  EXPECT_EQ(db.state.version, 1);
  EXPECT_THAT(db.state.applied, ElementsAre("CREATE a"));
  EXPECT_EQ(db.rollbacks, 1);
  // A fixed binary then applies both.
  ASSERT_TRUE(Migrate(db, kThreeSteps).ok());
  EXPECT_EQ(db.state.version, 3);
}

TEST(MigrationRunnerTest, VersionReadErrorIsReturned) {
  FakeTarget db;
  db.read_error = absl::UnavailableError("database is locked");
  EXPECT_EQ(Migrate(db, kThreeSteps).code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(db.state.applied, IsEmpty());
}

TEST(MigrationRunnerTest, MisnumberedStepsAreInternalAndTouchNothing) {
  FakeTarget db;
  constexpr MigrationStep kGap[] = {{1, "CREATE a"}, {3, "CREATE c"}};
  EXPECT_EQ(Migrate(db, kGap).code(), absl::StatusCode::kInternal);
  EXPECT_EQ(db.transactions, 0);
  EXPECT_EQ(db.state.version, 0);
}

}  // namespace
}  // namespace v6scope::collector::store
