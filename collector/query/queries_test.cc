#include "collector/query/queries.h"

#include <algorithm>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "api/export_format.h"
#include "collector/aggregate/wilson.h"
#include "collector/query/export_stream.h"
#include "collector/query/page_size.h"
#include "collector/query/testing/seeded_store.h"
#include "collector/sample/sample_data.h"
#include "collector/store/sqlite/sqlite_store.h"
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

// Enrolled by `sample-data`, the probes are marked synthetic in every
// aggregate, and an empty window can say when the newest run was.
TEST(SampleDataQueriesTest, AggregatesMarkSyntheticProbesAndTheLatestRun) {
  const std::string path = absl::StrCat(::testing::TempDir(), "/sample-q.db");
  auto store = store::sqlite::SqliteStore::Open(path);
  ASSERT_TRUE(store.ok()) << store.status();
  const absl::Time now = absl::FromUnixSeconds(1'800'000'000);
  sample::SampleDataOptions options;
  options.probes = 13;  // One per network of the fleet.
  options.days = 1;
  options.runs_per_day = 2;
  options.end = now;
  ASSERT_TRUE(sample::AddSampleData(**store, options).ok());
  time::FakeClock clock(now);
  Queries queries(store->get(), nullptr, &clock, /*min_probes=*/1);

  v6scope::v1::AggregatesRequest request;
  request.set_group_by(v6scope::v1::ASN);
  request.set_windows(2);  // The runs of the last 24 hours span two days.
  absl::StatusOr<v6scope::v1::AggregatesResponse> asn =
      queries.aggregates().Aggregates(request);
  ASSERT_TRUE(asn.ok()) << asn.status();
  ASSERT_GT(asn->groups_size(), 0);
  for (const v6scope::v1::GroupAggregate& g : asn->groups()) {
    EXPECT_EQ(g.synthetic_probes(), g.probes()) << g.key();
    EXPECT_EQ(g.country().size(), 2u) << g.key();
  }
  ASSERT_TRUE(asn->has_latest_run_at());
  EXPECT_LE(asn->latest_run_at().seconds(), absl::ToUnixSeconds(now));
  EXPECT_GT(asn->latest_run_at().seconds(),
            absl::ToUnixSeconds(now - absl::Hours(13)));

  // A window long before: no group, but the latest run is still said.
  request.mutable_at()->set_seconds(absl::ToUnixSeconds(now) - 86400 * 30);
  absl::StatusOr<v6scope::v1::AggregatesResponse> empty =
      queries.aggregates().Aggregates(request);
  ASSERT_TRUE(empty.ok()) << empty.status();
  EXPECT_EQ(empty->groups_size(), 0);
  EXPECT_EQ(empty->latest_run_at().seconds(), asn->latest_run_at().seconds());
}

TEST_F(QueriesTest, RealProbesAreNotSynthetic) {
  v6scope::v1::AggregatesRequest request;
  absl::StatusOr<v6scope::v1::AggregatesResponse> response =
      queries_->aggregates().Aggregates(request);
  ASSERT_TRUE(response.ok()) << response.status();
  ASSERT_GT(response->groups_size(), 0);
  for (const v6scope::v1::GroupAggregate& g : response->groups()) {
    EXPECT_EQ(g.synthetic_probes(), 0u);
    EXPECT_EQ(g.country(), "");  // Country groups need no country.
  }
}

// Methodology 1 and 2 runs in one store (testing::SeedMixedVersions).
class MixedVersionsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<testing::MixedVersionsStore> seeded =
        testing::SeedMixedVersions(
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    ASSERT_TRUE(seeded.ok()) << seeded.status();
    seeded_ = *std::move(seeded);
    clock_ = std::make_unique<time::FakeClock>(seeded_.day + absl::Hours(20));
    queries_ = std::make_unique<Queries>(seeded_.store.get(), nullptr,
                                         clock_.get(), /*min_probes=*/3);
  }

  absl::StatusOr<v6scope::v1::GroupAggregate> Global(
      const std::string& methodology) {
    v6scope::v1::AggregatesRequest request;
    request.set_group_by(v6scope::v1::GLOBAL);
    request.set_methodology(methodology);
    absl::StatusOr<v6scope::v1::AggregatesResponse> response =
        queries_->aggregates().Aggregates(request);
    if (!response.ok()) return response.status();
    EXPECT_EQ(response->methodology_version(), MethodologyVersion());
    if (response->groups_size() != 1) {
      return absl::InternalError(response->DebugString());
    }
    return response->groups(0);
  }

  testing::MixedVersionsStore seeded_;
  std::unique_ptr<time::FakeClock> clock_;
  std::unique_ptr<Queries> queries_;
};

TEST_F(MixedVersionsTest, EveryVersionIsCountedAsStored) {
  absl::StatusOr<v6scope::v1::GroupAggregate> g = Global("");
  ASSERT_TRUE(g.ok()) << g.status();
  EXPECT_EQ(g->probes(), 7u);
  EXPECT_EQ(g->measured_probes(), 7u);
  EXPECT_EQ(g->v6_capable().count(), 4u);  // Pref, capable, V4_BROKEN, V6_ONLY.
  EXPECT_EQ(g->v6_preferred().count(), 2u);
  EXPECT_EQ(g->v6_broken().count(), 3u);
  EXPECT_EQ(g->v4_broken().count(), 1u);
  EXPECT_EQ(g->nat64().count(), 1u);  // NAT64_BROKEN.
  std::vector<std::pair<v6scope::v1::RootCause, uint32_t>> causes;
  for (const v6scope::v1::CauseCount& c : g->causes()) {
    causes.emplace_back(c.cause(), c.share().count());
    EXPECT_EQ(c.share().total(), 7u);
    EXPECT_GT(c.share().ci_high(), c.share().value());
  }
  // The methodology 1 cause stays as stored next to the v2 ones.
  EXPECT_EQ(causes, (std::vector<std::pair<v6scope::v1::RootCause, uint32_t>>{
                        {v6scope::v1::BROKEN_V6_PATH, 1},
                        {v6scope::v1::V6_UNREACHABLE, 1},
                        {v6scope::v1::V6_BLACKHOLE, 1},
                        {v6scope::v1::NAT64_BROKEN, 1},
                        {v6scope::v1::V4_PATH_BROKEN, 1}}));
  ASSERT_EQ(g->methodology_versions_size(), 2);
  EXPECT_EQ(g->methodology_versions(0).version(), "1");
  EXPECT_EQ(g->methodology_versions(0).probes(), 3u);
  EXPECT_EQ(g->methodology_versions(1).version(), "2");
  EXPECT_EQ(g->methodology_versions(1).probes(), 4u);
}

TEST_F(MixedVersionsTest, MethodologyFilterAndItsErrors) {
  absl::StatusOr<v6scope::v1::GroupAggregate> v2 = Global("2");
  ASSERT_TRUE(v2.ok()) << v2.status();
  EXPECT_EQ(v2->probes(), 4u);
  EXPECT_EQ(v2->v6_capable().count(), 2u);
  ASSERT_EQ(v2->methodology_versions_size(), 1);
  EXPECT_EQ(v2->methodology_versions(0).version(), "2");
  absl::StatusOr<v6scope::v1::GroupAggregate> v1 = Global("1");
  ASSERT_TRUE(v1.ok()) << v1.status();
  EXPECT_EQ(v1->probes(), 3u);
  EXPECT_EQ(v1->v4_broken().count(), 0u);
  for (const char* bad : {"3", "two", "2 "}) {
    absl::StatusOr<v6scope::v1::GroupAggregate> g = Global(bad);
    EXPECT_TRUE(absl::IsInvalidArgument(g.status())) << bad << g.status();
    EXPECT_NE(g.status().message().find("methodology: unknown version"),
              std::string::npos)
        << g.status();
  }
}

TEST(MethodologyVersionTest, SaysTheNewestVersionAndThatOlderOnesAreCounted) {
  EXPECT_EQ(MethodologyVersion(),
            "verdict 2 (counted probes may carry older verdicts: 1; see "
            "methodology_versions), aggregation 2");
}

TEST_F(MixedVersionsTest, RunExportsCarryEachRunsVersionAndExplanations) {
  std::string csv;
  ASSERT_TRUE(StreamRuns(queries_->runs().Export({}), api::ExportFormat::kCsv,
                         [&](std::string chunk) {
                           csv += chunk;
                           return true;
                         })
                  .ok());
  // v1 rows: version 1, no explanations (the row ends with the empty cell).
  EXPECT_NE(csv.find("v1-c,1,"), std::string::npos) << csv;
  EXPECT_NE(csv.find(",BROKEN_V6_PATH,4,1,"), std::string::npos) << csv;
  EXPECT_NE(csv.find(",V4_PATH_BROKEN,4,2,"), std::string::npos) << csv;
  EXPECT_NE(csv.find("V4_BROKEN: IPv4 is configured but every IPv4 fetch "
                     "timed out | V4_PATH_BROKEN: =the cause, as seen"),
            std::string::npos)
      << csv;
  std::string jsonl;
  ASSERT_TRUE(StreamRuns(queries_->runs().Export({}),
                         api::ExportFormat::kJsonLines,
                         [&](std::string chunk) {
                           jsonl += chunk;
                           return true;
                         })
                  .ok());
  EXPECT_NE(jsonl.find("\"label\":\"NAT64_BROKEN\""), std::string::npos);
  EXPECT_NE(jsonl.find("\"methodology_version\":\"1\""), std::string::npos);
}

TEST_F(MixedVersionsTest, AggregateExportsHaveEveryCauseWithTheSameInterval) {
  v6scope::v1::AggregatesRequest request;
  request.set_group_by(v6scope::v1::GLOBAL);
  std::string csv;
  ASSERT_TRUE(StreamAggregates(queries_->aggregates(), request,
                               api::ExportFormat::kCsv,
                               [&](std::string chunk) {
                                 csv += chunk;
                                 return true;
                               })
                  .ok());
  EXPECT_EQ(csv.rfind(api::AggregatesCsvHeader(), 0), 0u);
  // The interval the export writes for a cause no probe has is the
  // collector's Wilson interval of 0 of the measured probes.
  const aggregate::Interval zero = aggregate::WilsonInterval(0, 7);
  EXPECT_NE(csv.find(absl::StrCat(",0,0,0,", zero.high, ",")),
            std::string::npos)
      << csv;
  EXPECT_NE(csv.find(",1=3;2=4\r\n"), std::string::npos) << csv;
}

}  // namespace
}  // namespace v6scope::collector::query
