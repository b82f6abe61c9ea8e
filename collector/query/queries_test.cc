#include "collector/query/queries.h"

#include <algorithm>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "collector/query/export_stream.h"
#include "collector/query/page_size.h"
#include "collector/query/testing/seeded_store.h"
#include "common/time/clock.h"
#include "gtest/gtest.h"

namespace v6scope::collector::query {
namespace {

TEST(PageSizeTest, ZeroIsTheDefaultAndTheMaximumIsInclusive) {
  EXPECT_EQ(*PageSize(0), kDefaultPageSize);
  EXPECT_EQ(*PageSize(1), 1u);
  EXPECT_EQ(*PageSize(kMaxPageSize), kMaxPageSize);
  absl::StatusOr<uint32_t> over = PageSize(kMaxPageSize + 1);
  EXPECT_TRUE(absl::IsInvalidArgument(over.status()));
  EXPECT_EQ(over.status().message(), "page_size: at most 1000");
}

class QueriesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<testing::SeededStore> seeded = testing::SeedStore(
        ::testing::UnitTest::GetInstance()->current_test_info()->name(),
        /*probes=*/4, /*days=*/2, /*runs_per_day=*/3);
    ASSERT_TRUE(seeded.ok()) << seeded.status();
    seeded_ = *std::move(seeded);
    clock_ = std::make_unique<time::FakeClock>(seeded_.fleet.end);
    queries_ = std::make_unique<Queries>(seeded_.store.get(), nullptr,
                                         clock_.get(), /*min_probes=*/1);
  }

  testing::SeededStore seeded_;
  std::unique_ptr<time::FakeClock> clock_;
  std::unique_ptr<Queries> queries_;
};

TEST_F(QueriesTest, ListsEveryProbeWithItsDroppedRuns) {
  absl::StatusOr<v6scope::v1::ListProbesResponse> probes =
      queries_->probes().ListProbes({});
  ASSERT_TRUE(probes.ok()) << probes.status();
  ASSERT_EQ(probes->probes_size(), 4);
  uint64_t dropped = 0;
  for (const auto& p : probes->probes()) dropped += p.dropped_runs();
  EXPECT_EQ(dropped, seeded_.dropped_runs_of_first_probe);
}

TEST_F(QueriesTest, RunPagesCoverEveryRunOnce) {
  v6scope::v1::ListRunsRequest request;
  request.set_page_size(5);
  std::set<std::string> seen;
  int pages = 0;
  do {
    absl::StatusOr<v6scope::v1::ListRunsResponse> page =
        queries_->runs().ListRuns(request);
    ASSERT_TRUE(page.ok()) << page.status();
    EXPECT_LE(page->runs_size(), 5);
    for (const auto& r : page->runs()) {
      seen.insert(absl::StrCat(r.probe_id(), "/", r.seq()));
    }
    request.set_page_token(page->next_page_token());
    ++pages;
  } while (!request.page_token().empty() && pages < 100);
  EXPECT_EQ(seen.size(), seeded_.runs);
  EXPECT_EQ(pages, static_cast<int>((seeded_.runs + 4) / 5));
}

TEST_F(QueriesTest, RunListingUsesTheDefaultPageSizeAndItsBound) {
  v6scope::v1::ListRunsRequest request;
  request.set_page_size(0);
  absl::StatusOr<v6scope::v1::ListRunsResponse> page =
      queries_->runs().ListRuns(request);
  ASSERT_TRUE(page.ok()) << page.status();
  EXPECT_EQ(static_cast<uint64_t>(page->runs_size()),
            std::min<uint64_t>(seeded_.runs, kDefaultPageSize));
  request.set_page_size(kMaxPageSize + 1);
  page = queries_->runs().ListRuns(request);
  EXPECT_TRUE(absl::IsInvalidArgument(page.status()));
  EXPECT_NE(page.status().message().find("page_size"), std::string::npos);
}

TEST_F(QueriesTest, MalformedRunPageTokenIsNamed) {
  v6scope::v1::ListRunsRequest request;
  request.set_page_token("not a token");
  absl::StatusOr<v6scope::v1::ListRunsResponse> page =
      queries_->runs().ListRuns(request);
  EXPECT_TRUE(absl::IsInvalidArgument(page.status()));
  EXPECT_NE(page.status().message().find("page_token"), std::string::npos)
      << page.status();
}

TEST_F(QueriesTest, RunListingFiltersByProbe) {
  v6scope::v1::ListRunsRequest request;
  request.set_probe_id(seeded_.probe_ids[1]);
  absl::StatusOr<v6scope::v1::ListRunsResponse> page =
      queries_->runs().ListRuns(request);
  ASSERT_TRUE(page.ok()) << page.status();
  EXPECT_EQ(page->runs_size(), 2 * 3);
  for (const auto& r : page->runs())
    EXPECT_EQ(r.probe_id(), request.probe_id());
}

TEST_F(QueriesTest, ExportReadsEveryRunInSlices) {
  RunExport source = queries_->runs().Export({});
  uint64_t runs = 0;
  while (!source.done()) {
    absl::StatusOr<std::vector<v6scope::v1::StoredRun>> slice = source.Next();
    ASSERT_TRUE(slice.ok()) << slice.status();
    EXPECT_LE(slice->size(), kExportSlice);
    runs += slice->size();
  }
  EXPECT_EQ(runs, seeded_.runs);
  absl::StatusOr<std::vector<v6scope::v1::StoredRun>> after = source.Next();
  ASSERT_TRUE(after.ok());
  EXPECT_TRUE(after->empty());
}

TEST_F(QueriesTest, StreamedRunsCsvHasAHeaderAndARowPerTest) {
  std::string csv;
  absl::Status s = StreamRuns(queries_->runs().Export({}),
                              api::ExportFormat::kCsv, [&](std::string chunk) {
                                csv += chunk;
                                return true;
                              });
  ASSERT_TRUE(s.ok()) << s;
  EXPECT_EQ(csv.rfind(api::RunsCsvHeader(), 0), 0u);
  EXPECT_GT(std::count(csv.begin(), csv.end(), '\n'),
            static_cast<long>(seeded_.runs));
}

TEST_F(QueriesTest, AggregatesPageWithTheSharedRule) {
  v6scope::v1::AggregatesRequest request;
  request.set_windows(3);
  request.set_page_size(kMaxPageSize + 1);
  EXPECT_TRUE(absl::IsInvalidArgument(
      queries_->aggregates().Aggregates(request).status()));
  request.set_page_size(1);
  absl::StatusOr<v6scope::v1::AggregatesResponse> first =
      queries_->aggregates().Aggregates(request);
  ASSERT_TRUE(first.ok()) << first.status();
  ASSERT_EQ(first->groups_size(), 1);
  EXPECT_FALSE(first->next_page_token().empty());
  request.set_page_token(first->next_page_token());
  absl::StatusOr<v6scope::v1::AggregatesResponse> second =
      queries_->aggregates().Aggregates(request);
  ASSERT_TRUE(second.ok()) << second.status();
  ASSERT_EQ(second->groups_size(), 1);
  EXPECT_NE(second->groups(0).DebugString(), first->groups(0).DebugString());
}

}  // namespace
}  // namespace v6scope::collector::query
