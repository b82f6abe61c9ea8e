// The readiness endpoints of the JSON API on a real listener (127.0.0.1,
// port 0) over a fake rollup store: JSON with provenance, the csv and
// jsonl records, bad parameters named, the access check, and 503 without
// rollups.
#include "collector/http/services_api.h"

#include <google/protobuf/util/json_util.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "collector/http/api.h"
#include "collector/query/queries.h"
#include "collector/query/testing/fake_readiness_rollups.h"
#include "collector/query/testing/seeded_store.h"
#include "common/http/mhd_server.h"
#include "common/time/clock.h"
#include "gtest/gtest.h"
#include "httplib.h"

namespace v6scope::collector::http {
namespace {

using query::testing::FakeReadinessRollups;
using query::testing::Result;

template <typename Message>
Message FromJson(const std::string& json) {
  Message message;
  const auto parsed =
      google::protobuf::util::JsonStringToMessage(json, &message);
  EXPECT_TRUE(parsed.ok()) << parsed.message() << " in " << json;
  return message;
}

class ServicesApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<query::testing::MixedVersionsStore> seeded =
        query::testing::SeedMixedVersions(absl::StrCat(
            "services-api-",
            ::testing::UnitTest::GetInstance()->current_test_info()->name()));
    ASSERT_TRUE(seeded.ok()) << seeded.status();
    seeded_ = *std::move(seeded);
    clock_ = std::make_unique<time::FakeClock>(seeded_.day);
    for (uint32_t round : {1, 2}) {
      for (uint32_t asn : {1, 2, 3}) {
        rollups_.Add({Result(
            "c1", round, "KE", asn, "government", "a.ke",
            round == 1 ? v6scope::v1::NO_AAAA : v6scope::v1::SERVING_V6)});
      }
    }
  }

  void Start(store::ReadinessRollupStore* rollups,
             ApiAuthorizer authorize = nullptr) {
    queries_ = std::make_unique<query::Queries>(
        seeded_.store.get(), nullptr, clock_.get(), /*min_probes=*/3, rollups);
    auto server = v6scope::http::MhdServer::Start(
        "127.0.0.1:0", ApiRoutes(queries_.get(), std::move(authorize)));
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = *std::move(server);
    client_ = std::make_unique<httplib::Client>("127.0.0.1", server_->port());
  }

  void TearDown() override { server_.reset(); }  // Before its queries.

  httplib::Result Get(const std::string& path) {
    httplib::Result res = client_->Get(path);
    EXPECT_TRUE(res) << path << ": " << httplib::to_string(res.error());
    return res;
  }

  query::testing::MixedVersionsStore seeded_;
  FakeReadinessRollups rollups_;
  std::unique_ptr<time::FakeClock> clock_;
  std::unique_ptr<query::Queries> queries_;
  std::unique_ptr<v6scope::http::MhdServer> server_;
  std::unique_ptr<httplib::Client> client_;
};

TEST_F(ServicesApiTest, SharesAsJsonWithProvenance) {
  Start(&rollups_);
  httplib::Result res =
      Get("/api/v1/services/shares?campaign_id=c1&service=web");
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  EXPECT_EQ(res->get_header_value("Content-Type"), "application/json");
  auto answer = FromJson<v6scope::v1::ServiceSharesResponse>(res->body);
  EXPECT_EQ(answer.round(), 2u);
  EXPECT_EQ(answer.methodology_version(), "readiness 1");
  EXPECT_EQ(answer.dataset_version(), "none");
  ASSERT_EQ(answer.cells_size(), 1);
  EXPECT_EQ(answer.cells(0).shares(v6scope::v1::SERVING_V6 - 1).domains(), 1u);
  EXPECT_EQ(answer.cells(0).provenance().aggregation_version(),
            "readiness aggregates 1");
}

TEST_F(ServicesApiTest, EveryEndpointAnswersInEveryFormat) {
  Start(&rollups_);
  for (const char* endpoint : {"shares", "series", "domains", "changes"}) {
    for (const char* format : {"json", "csv", "jsonl"}) {
      SCOPED_TRACE(absl::StrCat(endpoint, " ", format));
      httplib::Result res = Get(absl::StrCat(
          "/api/v1/services/", endpoint, "?campaign_id=c1&format=", format));
      ASSERT_TRUE(res);
      ASSERT_EQ(res->status, 200) << res->body;
      EXPECT_TRUE(absl::StrContains(res->body, "readiness aggregates 1"))
          << res->body;
      if (std::string(format) == "csv") {
        EXPECT_EQ(res->get_header_value("Content-Type"),
                  "text/csv; charset=utf-8");
        EXPECT_TRUE(absl::StartsWith(res->body, "campaign_id,"));
      }
    }
  }
}

TEST_F(ServicesApiTest, ChangesListTheGainedDomains) {
  Start(&rollups_);
  httplib::Result res =
      Get("/api/v1/services/changes?campaign_id=c1&service=web&format=csv");
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  std::vector<std::string> lines = absl::StrSplit(res->body, '\n');
  ASSERT_EQ(lines.size(), 3u) << res->body;
  EXPECT_TRUE(absl::StartsWith(
      lines[1], "c1,1,2,KE,web,1,0,gained,government,a.ke,NO_AAAA,SERVING_V6"))
      << lines[1];
}

TEST_F(ServicesApiTest, BadParametersAre400NamingThem) {
  Start(&rollups_);
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"/api/v1/services/shares", "campaign_id"},
      {"/api/v1/services/shares?campaign_id=c1&round=x", "round"},
      {"/api/v1/services/series?campaign_id=c1&service=ftp", "service"},
      {"/api/v1/services/domains?campaign_id=c1&page_token=zz", "page_token"},
      {"/api/v1/services/changes?campaign_id=c1&from_round=3&to_round=2",
       "from_round"},
      {"/api/v1/services/shares?campaign_id=c1&format=xml", "format"},
      {"/api/v1/services/shares?campaign_id=c1&colour=red", "colour"},
  };
  for (const auto& [path, parameter] : cases) {
    SCOPED_TRACE(path);
    httplib::Result res = Get(path);
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 400) << res->body;
    EXPECT_TRUE(absl::StrContains(res->body, "INVALID_ARGUMENT"));
    EXPECT_TRUE(absl::StrContains(res->body, parameter)) << res->body;
  }
}

TEST_F(ServicesApiTest, WithoutRollups503SaysWhy) {
  Start(nullptr);
  httplib::Result res = Get("/api/v1/services/domains?campaign_id=c1");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 503);
  EXPECT_TRUE(
      absl::StrContains(res->body, "readiness rollups not kept by this store"))
      << res->body;
}

TEST_F(ServicesApiTest, BehindTheReadKeyCheck) {
  Start(&rollups_, [](bool, absl::string_view) {
    return absl::UnauthenticatedError("a read key is required");
  });
  httplib::Result res = Get("/api/v1/services/shares?campaign_id=c1");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 401) << res->body;
  EXPECT_EQ(res->get_header_value("WWW-Authenticate"), "Bearer");
}

}  // namespace
}  // namespace v6scope::collector::http
