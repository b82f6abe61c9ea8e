#include "api/readiness_params.h"

#include "absl/strings/match.h"
#include "gtest/gtest.h"

namespace v6scope::api {
namespace {

TEST(ReadinessParamsTest, SharesTakeTheirParameters) {
  absl::StatusOr<v6scope::v1::ServiceSharesRequest> r =
      ParseServiceSharesRequest({{"campaign_id", "c1"},
                                 {"round", "2"},
                                 {"country", "KE"},
                                 {"sector", "health"},
                                 {"service", "web"},
                                 {"methodology", "readiness 1"},
                                 {"min_networks", "5"},
                                 {"format", "csv"}});
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->campaign_id(), "c1");
  EXPECT_EQ(r->round(), 2u);
  EXPECT_EQ(r->country(), "KE");
  EXPECT_EQ(r->sector(), "health");
  EXPECT_EQ(r->service(), "web");
  EXPECT_EQ(r->methodology(), "readiness 1");
  EXPECT_EQ(r->min_networks(), 5u);
}

TEST(ReadinessParamsTest, ErrorsNameTheParameter) {
  EXPECT_TRUE(absl::StartsWith(
      ParseServiceSharesRequest({{"round", "x"}}).status().message(),
      "round: expected a number"));
  EXPECT_EQ(ParseServiceSeriesRequest({{"round", "1"}}).status().message(),
            "unknown parameter 'round'");
  EXPECT_EQ(ParseServiceChangesRequest({{"domain", "a"}}).status().message(),
            "unknown parameter 'domain'");
  EXPECT_TRUE(absl::StartsWith(
      ParseDomainReadinessRequest({{"page_size", "-1"}}).status().message(),
      "page_size"));
}

TEST(ReadinessParamsTest, DomainsAndChanges) {
  absl::StatusOr<v6scope::v1::DomainReadinessRequest> d =
      ParseDomainReadinessRequest({{"campaign_id", "c1"},
                                   {"domain", "a.ke"},
                                   {"page_size", "10"},
                                   {"page_token", "t"}});
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(d->domain(), "a.ke");
  EXPECT_EQ(d->page_size(), 10u);
  EXPECT_EQ(d->page_token(), "t");
  absl::StatusOr<v6scope::v1::ServiceChangesRequest> c =
      ParseServiceChangesRequest(
          {{"campaign_id", "c1"}, {"from_round", "1"}, {"to_round", "3"}});
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->from_round(), 1u);
  EXPECT_EQ(c->to_round(), 3u);
}

}  // namespace
}  // namespace v6scope::api
