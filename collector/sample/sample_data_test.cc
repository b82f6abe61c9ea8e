#include "collector/sample/sample_data.h"

#include <unistd.h>

#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "collector/store/sqlite/sqlite_store.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace v6scope::collector::sample {
namespace {

using store::sqlite::SqliteStore;

std::unique_ptr<SqliteStore> FreshStore(const std::string& name) {
  const std::string path =
      absl::StrCat(::testing::TempDir(), "/", name, "-", getpid(), ".db");
  unlink(path.c_str());
  auto store = SqliteStore::Open(path);
  EXPECT_TRUE(store.ok()) << store.status();
  return store.ok() ? std::move(*store) : nullptr;
}

SampleDataOptions Small(absl::Time end) {
  SampleDataOptions options;
  options.probes = 5;
  options.days = 2;
  options.runs_per_day = 3;
  options.end = end;
  return options;
}

// Seeded probes used to be absent from the registry: "0 enrolled beside
// 120 measured" on the dashboard's Probes page.
TEST(SampleDataTest, ProbesAreEnrolledMarkedSyntheticAndEndNow) {
  std::unique_ptr<SqliteStore> store = FreshStore("sample");
  ASSERT_NE(store, nullptr);
  const absl::Time now = absl::FromUnixSeconds(1'800'000'000);
  absl::StatusOr<SampleDataReport> report = AddSampleData(*store, Small(now));
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_EQ(report->enrolled, 5);
  EXPECT_EQ(report->runs, 5u * 2 * 3);
  auto probes = store->ListProbes();
  ASSERT_TRUE(probes.ok()) << probes.status();
  ASSERT_EQ(probes->size(), 5u);
  for (const v6scope::v1::ProbeSummary& p : *probes) {
    EXPECT_TRUE(p.synthetic()) << p.probe_id();
    EXPECT_EQ(p.org(), kSampleOrg);
    EXPECT_EQ(p.runs(), 6u);
    // The newest run is within the last interval before now.
    const absl::Time last = absl::FromUnixSeconds(p.last_run_at().seconds());
    EXPECT_LE(last, now);
    EXPECT_GT(last, now - absl::Hours(9));
  }
}

TEST(SampleDataTest, SecondCallAddsNothing) {
  std::unique_ptr<SqliteStore> store = FreshStore("sample-twice");
  ASSERT_NE(store, nullptr);
  const absl::Time now = absl::FromUnixSeconds(1'800'000'000);
  ASSERT_TRUE(AddSampleData(*store, Small(now)).ok());
  absl::StatusOr<SampleDataReport> again = AddSampleData(*store, Small(now));
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->enrolled, 0);
  EXPECT_EQ(again->already_enrolled, 5);
  EXPECT_EQ(again->runs, 0u);
}

TEST(SampleDataTest, OutOfRangeCountsAreRefused) {
  std::unique_ptr<SqliteStore> store = FreshStore("sample-bad");
  ASSERT_NE(store, nullptr);
  SampleDataOptions options = Small(absl::FromUnixSeconds(1'800'000'000));
  options.probes = 0;
  EXPECT_EQ(AddSampleData(*store, options).status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace v6scope::collector::sample
