// QueryService's readiness calls over gRPC (127.0.0.1, port 0) on a fake
// rollup store: provenance on every answer, the status codes (the field
// named on INVALID_ARGUMENT, UNAVAILABLE without rollups, a store error's
// message kept from the client).
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "collector/query/queries.h"
#include "collector/query/testing/fake_readiness_rollups.h"
#include "collector/query/testing/seeded_store.h"
#include "collector/service/auth.h"
#include "collector/service/query_service.h"
#include "common/time/clock.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "proto/query_service.grpc.pb.h"

namespace v6scope::collector::service {
namespace {

using query::testing::FakeReadinessRollups;
using query::testing::Result;

class QueryServiceReadinessTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<query::testing::MixedVersionsStore> seeded =
        query::testing::SeedMixedVersions("query-service-readiness");
    ASSERT_TRUE(seeded.ok()) << seeded.status();
    seeded_ = *std::move(seeded);
    clock_ = std::make_unique<time::FakeClock>(seeded_.day);
    for (uint32_t asn : {1, 2, 3}) {
      rollups_.Add({Result("c1", 1, "KE", asn, "government", "a.ke",
                           v6scope::v1::SERVING_V6)});
    }
    access_ = std::make_unique<ReadAccess>(seeded_.store.get(), clock_.get(),
                                           "admin-secret",
                                           /*public_queries=*/true);
  }

  void Start(store::ReadinessRollupStore* rollups) {
    queries_ = std::make_unique<query::Queries>(
        seeded_.store.get(), nullptr, clock_.get(), /*min_probes=*/3, rollups);
    service_ =
        std::make_unique<QueryServiceImpl>(queries_.get(), access_.get());
    grpc::ServerBuilder builder;
    int port = 0;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(),
                             &port);
    builder.RegisterService(service_.get());
    server_ = builder.BuildAndStart();
    ASSERT_NE(server_, nullptr);
    stub_ = v6scope::v1::QueryService::NewStub(grpc::CreateChannel(
        absl::StrCat("127.0.0.1:", port), grpc::InsecureChannelCredentials()));
  }

  void TearDown() override {
    if (server_ != nullptr) server_->Shutdown();
  }

  query::testing::MixedVersionsStore seeded_;
  FakeReadinessRollups rollups_;
  std::unique_ptr<time::FakeClock> clock_;
  std::unique_ptr<query::Queries> queries_;
  std::unique_ptr<ReadAccess> access_;
  std::unique_ptr<QueryServiceImpl> service_;
  std::unique_ptr<grpc::Server> server_;
  std::unique_ptr<v6scope::v1::QueryService::Stub> stub_;
};

TEST_F(QueryServiceReadinessTest, EveryAnswerCarriesItsProvenance) {
  Start(&rollups_);
  {
    grpc::ClientContext ctx;
    v6scope::v1::ServiceSharesRequest req;
    req.set_campaign_id("c1");
    v6scope::v1::ServiceSharesResponse resp;
    ASSERT_TRUE(stub_->GetServiceShares(&ctx, req, &resp).ok());
    EXPECT_EQ(resp.methodology_version(), "readiness 1");
    EXPECT_EQ(resp.aggregation_version(), "readiness aggregates 1");
    EXPECT_EQ(resp.dataset_version(), "none");  // No attribution loaded.
    EXPECT_EQ(resp.min_networks(), 3u);
    ASSERT_EQ(resp.cells_size(), 3);
    EXPECT_EQ(resp.cells(0).provenance().methodology_version(), "readiness 1");
  }
  {
    grpc::ClientContext ctx;
    v6scope::v1::ServiceSeriesRequest req;
    req.set_campaign_id("c1");
    v6scope::v1::ServiceSeriesResponse resp;
    ASSERT_TRUE(stub_->GetServiceSeries(&ctx, req, &resp).ok());
    EXPECT_EQ(resp.aggregation_version(), "readiness aggregates 1");
    EXPECT_EQ(resp.series_size(), 3);
  }
  {
    grpc::ClientContext ctx;
    v6scope::v1::DomainReadinessRequest req;
    req.set_campaign_id("c1");
    v6scope::v1::DomainReadinessResponse resp;
    ASSERT_TRUE(stub_->GetDomainReadiness(&ctx, req, &resp).ok());
    EXPECT_EQ(resp.min_networks(), 3u);
    ASSERT_EQ(resp.domains_size(), 1);
    EXPECT_EQ(resp.domains(0).provenance().dataset_version(), "none");
  }
  {
    grpc::ClientContext ctx;
    v6scope::v1::ServiceChangesRequest req;
    req.set_campaign_id("c1");
    v6scope::v1::ServiceChangesResponse resp;
    ASSERT_TRUE(stub_->GetServiceChanges(&ctx, req, &resp).ok());
    EXPECT_EQ(resp.methodology_version(), "readiness 1");
    EXPECT_EQ(resp.to_round(), 1u);
  }
}

TEST_F(QueryServiceReadinessTest, BadInputIsInvalidArgumentNamingTheField) {
  Start(&rollups_);
  grpc::ClientContext ctx;
  v6scope::v1::ServiceSharesRequest req;  // No campaign.
  v6scope::v1::ServiceSharesResponse resp;
  grpc::Status s = stub_->GetServiceShares(&ctx, req, &resp);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_TRUE(absl::StartsWith(s.error_message(), "campaign_id"))
      << s.error_message();

  grpc::ClientContext ctx2;
  v6scope::v1::ServiceChangesRequest changes;
  changes.set_campaign_id("c1");
  changes.set_service("gopher");
  v6scope::v1::ServiceChangesResponse changes_resp;
  s = stub_->GetServiceChanges(&ctx2, changes, &changes_resp);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_TRUE(absl::StartsWith(s.error_message(), "service"));
}

TEST_F(QueryServiceReadinessTest, WithoutRollupsUnavailable) {
  Start(nullptr);
  grpc::ClientContext ctx;
  v6scope::v1::DomainReadinessRequest req;
  req.set_campaign_id("c1");
  v6scope::v1::DomainReadinessResponse resp;
  grpc::Status s = stub_->GetDomainReadiness(&ctx, req, &resp);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_EQ(s.error_message(), "readiness rollups not kept by this store");
}

TEST_F(QueryServiceReadinessTest, StoreErrorKeepsItsCodeNotItsMessage) {
  rollups_.FailWith(absl::InternalError("SELECT failed: /var/lib/x.db"));
  Start(&rollups_);
  grpc::ClientContext ctx;
  v6scope::v1::ServiceSeriesRequest req;
  req.set_campaign_id("c1");
  v6scope::v1::ServiceSeriesResponse resp;
  grpc::Status s = stub_->GetServiceSeries(&ctx, req, &resp);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INTERNAL);
  EXPECT_FALSE(absl::StrContains(s.error_message(), "SELECT"));
  EXPECT_FALSE(absl::StrContains(s.error_message(), "/var/lib"));
}

}  // namespace
}  // namespace v6scope::collector::service
