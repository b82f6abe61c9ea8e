#include "collector/query/readiness_queries.h"

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "collector/query/testing/fake_readiness_rollups.h"
#include "gtest/gtest.h"
#include "proto/query_service.pb.h"

namespace v6scope::collector::query {
namespace {

using testing::FakeReadinessRollups;
using testing::Result;
using v6scope::v1::AAAA_UNREACHABLE;
using v6scope::v1::NO_AAAA;
using v6scope::v1::ServiceState;
using v6scope::v1::SERVING_V6;

namespace readiness = ::v6scope::collector::aggregate::readiness;

// `domain` seen as `state` (web) by one probe in each of `asns`.
std::vector<readiness::ReadinessResult> Seen(uint32_t round,
                                             const std::string& country,
                                             std::vector<uint32_t> asns,
                                             const std::string& domain,
                                             ServiceState state) {
  std::vector<readiness::ReadinessResult> results;
  for (uint32_t asn : asns) {
    results.push_back(
        Result("c1", round, country, asn, "government", domain, state));
  }
  return results;
}

// Round 1: KE (3 networks) sees a.ke serving, b.ke without AAAA; UG (one
// network: withheld) sees a.ke serving. Round 2: KE sees a.ke lose IPv6
// and b.ke gain it; UG (3 networks) sees a.ke unreachable (a
// disagreement with KE's NO_AAAA) and b.ke serving.
class ReadinessQueriesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_.Add(Seen(1, "KE", {1, 2, 3}, "a.ke", SERVING_V6));
    store_.Add(Seen(1, "KE", {1, 2, 3}, "b.ke", NO_AAAA));
    store_.Add(Seen(1, "UG", {10}, "a.ke", SERVING_V6));
    store_.Add(Seen(2, "KE", {1, 2, 3}, "a.ke", NO_AAAA));
    store_.Add(Seen(2, "KE", {1, 2, 3}, "b.ke", SERVING_V6));
    store_.Add(Seen(2, "UG", {10, 11, 12}, "a.ke", AAAA_UNREACHABLE));
    store_.Add(Seen(2, "UG", {10, 11, 12}, "b.ke", SERVING_V6));
  }

  v6scope::v1::ServiceSharesRequest SharesRequest() const {
    v6scope::v1::ServiceSharesRequest r;
    r.set_campaign_id("c1");
    r.set_service("web");
    return r;
  }

  FakeReadinessRollups store_;
  ReadinessQueries queries_{&store_, [] { return std::string("ds-test"); }};
};

TEST_F(ReadinessQueriesTest, SharesOfTheLatestRoundWithProvenance) {
  absl::StatusOr<v6scope::v1::ServiceSharesResponse> r =
      queries_.Shares(SharesRequest());
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->round(), 2u);
  EXPECT_EQ(r->methodology_version(), "readiness 1");
  EXPECT_EQ(r->aggregation_version(), "readiness aggregates 1");
  EXPECT_EQ(r->dataset_version(), "ds-test");
  EXPECT_EQ(r->min_networks(), 3u);
  ASSERT_EQ(r->cells_size(), 2);  // KE, UG; web only.
  const v6scope::v1::ServiceShareCell& ke = r->cells(0);
  EXPECT_EQ(ke.country(), "KE");
  EXPECT_EQ(ke.service(), "web");
  EXPECT_FALSE(ke.withheld());
  EXPECT_EQ(ke.networks(), 3u);
  EXPECT_EQ(ke.n(), 2u);
  ASSERT_EQ(ke.shares_size(), 10);  // NO_SERVICE .. BROKEN_V4.
  const v6scope::v1::ServiceStateShare& serving = ke.shares(SERVING_V6 - 1);
  EXPECT_EQ(serving.state(), SERVING_V6);
  EXPECT_EQ(serving.domains(), 1u);
  EXPECT_DOUBLE_EQ(serving.value(), 0.5);
  EXPECT_LT(serving.ci_low(), 0.5);
  EXPECT_GT(serving.ci_high(), 0.5);
  EXPECT_EQ(ke.provenance().dataset_version(), "ds-test");
  EXPECT_EQ(ke.provenance().min_networks(), 3u);
}

// The latest round is found round by round from the newest, each read
// alone: a country's report must not read every round of the campaign
// (bench/report). Round 3 has TZ only, so KE's latest round is 2 and its
// change is from round 1.
TEST_F(ReadinessQueriesTest, LatestRoundIsReadAloneNotEveryRound) {
  store_.Add(Seen(3, "TZ", {20, 21, 22}, "a.ke", SERVING_V6));
  v6scope::v1::ServiceSharesRequest req = SharesRequest();
  req.set_country("KE");
  absl::StatusOr<v6scope::v1::ServiceSharesResponse> r = queries_.Shares(req);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->round(), 2u);
  ASSERT_EQ(r->cells_size(), 1);
  EXPECT_EQ(r->cells(0).country(), "KE");
  v6scope::v1::ServiceChangesRequest changes;
  changes.set_campaign_id("c1");
  changes.set_country("KE");
  absl::StatusOr<v6scope::v1::ServiceChangesResponse> c =
      queries_.Changes(changes);
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->from_round(), 1u);
  EXPECT_EQ(c->to_round(), 2u);
  EXPECT_GT(c->changes_size(), 0);
  for (const store::ReadinessRollupQuery& q : store_.queries()) {
    EXPECT_NE(q.round, 0u) << "a query read every round";
  }
  // Without a country the newest round (3, TZ) answers.
  r = queries_.Shares(SharesRequest());
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->round(), 3u);
}

// Up to a round: the latest round at or below it that has rows, as
// Shares answers for that round; a round asked too is refused.
TEST_F(ReadinessQueriesTest, SharesUpToARound) {
  store_.Add(Seen(4, "TZ", {20, 21, 22}, "a.ke", SERVING_V6));
  v6scope::v1::ServiceSharesRequest req = SharesRequest();
  req.set_country("KE");
  absl::StatusOr<v6scope::v1::ServiceSharesResponse> up_to =
      queries_.SharesUpTo(req, 3);  // KE has rounds 1 and 2.
  ASSERT_TRUE(up_to.ok()) << up_to.status();
  EXPECT_EQ(up_to->round(), 2u);
  up_to = queries_.SharesUpTo(req, 1);
  ASSERT_TRUE(up_to.ok()) << up_to.status();
  EXPECT_EQ(up_to->round(), 1u);
  req.set_round(1);
  absl::StatusOr<v6scope::v1::ServiceSharesResponse> exact =
      queries_.Shares(req);
  ASSERT_TRUE(exact.ok()) << exact.status();
  ASSERT_EQ(up_to->cells_size(), exact->cells_size());
  for (int i = 0; i < exact->cells_size(); ++i) {
    EXPECT_EQ(up_to->cells(i).SerializeAsString(),
              exact->cells(i).SerializeAsString());
  }
  EXPECT_TRUE(absl::IsInvalidArgument(queries_.SharesUpTo(req, 2).status()));
  req.clear_round();
  EXPECT_TRUE(absl::IsInvalidArgument(queries_.SharesUpTo(req, 0).status()));
}

TEST_F(ReadinessQueriesTest, CellBelowKIsWithheldWithoutNumbers) {
  v6scope::v1::ServiceSharesRequest req = SharesRequest();
  req.set_round(1);
  req.set_country("ug");
  absl::StatusOr<v6scope::v1::ServiceSharesResponse> r = queries_.Shares(req);
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_EQ(r->cells_size(), 1);
  const v6scope::v1::ServiceShareCell& ug = r->cells(0);
  EXPECT_TRUE(ug.withheld());
  EXPECT_NE(ug.withheld_reason().find("k = 3"), std::string::npos);
  EXPECT_EQ(ug.networks(), 0u);
  EXPECT_EQ(ug.domains(), 0u);
  EXPECT_EQ(ug.shares_size(), 0);
}

TEST_F(ReadinessQueriesTest, LargerKWithholdsMore) {
  v6scope::v1::ServiceSharesRequest req = SharesRequest();
  req.set_min_networks(4);
  absl::StatusOr<v6scope::v1::ServiceSharesResponse> r = queries_.Shares(req);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->min_networks(), 4u);
  for (const auto& cell : r->cells()) EXPECT_TRUE(cell.withheld());
}

TEST_F(ReadinessQueriesTest, FiltersReachTheStore) {
  v6scope::v1::ServiceSharesRequest req = SharesRequest();
  req.set_country("ke");
  req.set_sector("Health");
  req.clear_service();
  absl::StatusOr<v6scope::v1::ServiceSharesResponse> r = queries_.Shares(req);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->cells_size(), 0);
  EXPECT_EQ(r->round(), 0u);
  ASSERT_FALSE(store_.queries().empty());
  EXPECT_EQ(store_.queries().back().country, "KE");
  EXPECT_EQ(store_.queries().back().sector, "health");

  req.set_sector("Government");  // Case and aliases as campaigns read them.
  r = queries_.Shares(req);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->cells_size(), 3);  // web, dns, mail of KE.
}

TEST_F(ReadinessQueriesTest, BadInputNamesTheField) {
  const std::vector<std::pair<std::string, v6scope::v1::ServiceSharesRequest>>
      cases = [&] {
        std::vector<std::pair<std::string, v6scope::v1::ServiceSharesRequest>>
            c;
        v6scope::v1::ServiceSharesRequest r = SharesRequest();
        r.clear_campaign_id();
        c.push_back({"campaign_id", r});
        r = SharesRequest();
        r.set_country("KEN");
        c.push_back({"country", r});
        r = SharesRequest();
        r.set_service("ftp");
        c.push_back({"service", r});
        r = SharesRequest();
        r.set_min_networks(2);
        c.push_back({"min_networks", r});
        r = SharesRequest();
        r.set_methodology("readiness 9");
        c.push_back({"methodology", r});
        r = SharesRequest();
        r.set_sector("farming");
        c.push_back({"sector", r});
        return c;
      }();
  for (const auto& [field, req] : cases) {
    absl::StatusOr<v6scope::v1::ServiceSharesResponse> r = queries_.Shares(req);
    ASSERT_FALSE(r.ok()) << field;
    EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_TRUE(absl::StartsWith(r.status().message(), field)) << r.status();
  }
}

TEST_F(ReadinessQueriesTest, WithoutAStoreUnavailable) {
  ReadinessQueries none(nullptr, [] { return std::string("ds"); });
  absl::StatusOr<v6scope::v1::ServiceSharesResponse> r =
      none.Shares(SharesRequest());
  EXPECT_EQ(r.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(r.status().message(), kNoReadinessRollups);
}

TEST_F(ReadinessQueriesTest, StoreErrorsPass) {
  store_.FailWith(absl::InternalError("disk"));
  EXPECT_EQ(queries_.Shares(SharesRequest()).status().code(),
            absl::StatusCode::kInternal);
}

TEST_F(ReadinessQueriesTest, SeriesHasEveryRound) {
  v6scope::v1::ServiceSeriesRequest req;
  req.set_campaign_id("c1");
  req.set_service("web");
  absl::StatusOr<v6scope::v1::ServiceSeriesResponse> r = queries_.Series(req);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->dataset_version(), "ds-test");
  ASSERT_EQ(r->series_size(), 2);
  const v6scope::v1::ServiceShareSeries& ug = r->series(1);
  EXPECT_EQ(ug.country(), "UG");
  ASSERT_EQ(ug.points_size(), 2);
  EXPECT_EQ(ug.points(0).round(), 1u);
  EXPECT_TRUE(ug.points(0).withheld());  // A gap, not a zero.
  EXPECT_EQ(ug.points(1).round(), 2u);
  EXPECT_FALSE(ug.points(1).withheld());
}

TEST_F(ReadinessQueriesTest, DomainsWithViewsAndDisagreements) {
  v6scope::v1::DomainReadinessRequest req;
  req.set_campaign_id("c1");
  absl::StatusOr<v6scope::v1::DomainReadinessResponse> r =
      queries_.Domains(req);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->round(), 2u);
  ASSERT_EQ(r->domains_size(), 2);
  const v6scope::v1::DomainReadiness& a = r->domains(0);
  EXPECT_EQ(a.domain(), "a.ke");
  ASSERT_EQ(a.countries_size(), 2);
  EXPECT_EQ(a.countries(0).country(), "KE");
  ASSERT_EQ(a.countries(0).services_size(), 3);
  EXPECT_EQ(a.countries(0).services(0).kind(), "state");
  EXPECT_EQ(a.countries(0).services(0).state(), NO_AAAA);
  EXPECT_EQ(a.countries(0).services(0).state_counts(NO_AAAA), 3u);
  ASSERT_EQ(a.disagreements_size(), 1);
  EXPECT_EQ(a.disagreements(0).service(), "web");
  EXPECT_EQ(a.disagreements(0).countries_size(), 2);
  EXPECT_EQ(a.provenance().methodology_version(), "readiness 1");
  EXPECT_EQ(r->domains(1).disagreements_size(), 0);  // Both serve.
}

TEST_F(ReadinessQueriesTest, DomainsPageAndWithhold) {
  v6scope::v1::DomainReadinessRequest req;
  req.set_campaign_id("c1");
  req.set_page_size(1);
  absl::StatusOr<v6scope::v1::DomainReadinessResponse> r =
      queries_.Domains(req);
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_EQ(r->domains_size(), 1);
  EXPECT_EQ(r->domains(0).domain(), "a.ke");
  ASSERT_FALSE(r->next_page_token().empty());
  req.set_page_token(r->next_page_token());
  r = queries_.Domains(req);
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_EQ(r->domains_size(), 1);
  EXPECT_EQ(r->domains(0).domain(), "b.ke");
  EXPECT_TRUE(r->next_page_token().empty());

  req.set_page_token("garbage");
  EXPECT_TRUE(
      absl::StartsWith(queries_.Domains(req).status().message(), "page_token"));

  v6scope::v1::DomainReadinessRequest ug;
  ug.set_campaign_id("c1");
  ug.set_round(1);
  ug.set_country("UG");
  r = queries_.Domains(ug);
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_EQ(r->domains_size(), 1);
  ASSERT_EQ(r->domains(0).countries_size(), 1);
  const v6scope::v1::CountryReadinessView& view = r->domains(0).countries(0);
  EXPECT_TRUE(view.withheld());
  EXPECT_EQ(view.networks(), 0u);
  EXPECT_EQ(view.services_size(), 0);
}

TEST_F(ReadinessQueriesTest, ChangesBetweenTheLatestTwoRounds) {
  v6scope::v1::ServiceChangesRequest req;
  req.set_campaign_id("c1");
  req.set_country("KE");
  req.set_service("web");
  absl::StatusOr<v6scope::v1::ServiceChangesResponse> r = queries_.Changes(req);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->from_round(), 1u);
  EXPECT_EQ(r->to_round(), 2u);
  ASSERT_EQ(r->changes_size(), 1);
  const v6scope::v1::ServiceChangeRecord& ke = r->changes(0);
  EXPECT_EQ(ke.previous_round(), 1u);
  EXPECT_EQ(ke.compared(), 2u);
  ASSERT_EQ(ke.gained_size(), 1);
  EXPECT_EQ(ke.gained(0).domain(), "b.ke");
  EXPECT_EQ(ke.gained(0).before(), NO_AAAA);
  ASSERT_EQ(ke.lost_size(), 1);
  EXPECT_EQ(ke.lost(0).domain(), "a.ke");
  EXPECT_EQ(ke.provenance().aggregation_version(), "readiness aggregates 1");

  req.set_from_round(2);
  req.set_to_round(1);
  EXPECT_TRUE(
      absl::StartsWith(queries_.Changes(req).status().message(), "from_round"));
}

TEST_F(ReadinessQueriesTest, ChangesOfAFirstSweepCompareNothing) {
  v6scope::v1::ServiceChangesRequest req;
  req.set_campaign_id("c1");
  req.set_to_round(1);
  req.set_service("dns");
  absl::StatusOr<v6scope::v1::ServiceChangesResponse> r = queries_.Changes(req);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->from_round(), 0u);
  ASSERT_EQ(r->changes_size(), 2);  // KE, UG.
  for (const auto& c : r->changes()) {
    EXPECT_EQ(c.service(), "dns");
    EXPECT_EQ(c.previous_round(), 0u);
    EXPECT_EQ(c.compared(), 0u);
  }
}

}  // namespace
}  // namespace v6scope::collector::query
