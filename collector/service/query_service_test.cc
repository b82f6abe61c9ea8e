// QueryService over gRPC (127.0.0.1, port 0) on methodology 1 and 2 runs
// side by side: the methodology filter, its INVALID_ARGUMENT, and runs
// keeping their own verdicts with explanations.
#include "collector/service/query_service.h"

#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "collector/query/queries.h"
#include "collector/query/testing/seeded_store.h"
#include "collector/service/auth.h"
#include "common/time/clock.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "proto/query_service.grpc.pb.h"

namespace v6scope::collector::service {
namespace {

class QueryServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<query::testing::MixedVersionsStore> seeded =
        query::testing::SeedMixedVersions("query-service");
    ASSERT_TRUE(seeded.ok()) << seeded.status();
    seeded_ = *std::move(seeded);
    clock_ = std::make_unique<time::FakeClock>(seeded_.day + absl::Hours(20));
    queries_ = std::make_unique<query::Queries>(seeded_.store.get(), nullptr,
                                                clock_.get(), /*min_probes=*/3);
    access_ = std::make_unique<ReadAccess>(seeded_.store.get(), clock_.get(),
                                           "admin-secret",
                                           /*public_queries=*/true);
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

  grpc::Status Aggregates(const std::string& methodology,
                          v6scope::v1::AggregatesResponse* response) {
    grpc::ClientContext context;
    v6scope::v1::AggregatesRequest request;
    request.set_group_by(v6scope::v1::GLOBAL);
    request.set_methodology(methodology);
    return stub_->GetAggregates(&context, request, response);
  }

  query::testing::MixedVersionsStore seeded_;
  std::unique_ptr<time::FakeClock> clock_;
  std::unique_ptr<query::Queries> queries_;
  std::unique_ptr<ReadAccess> access_;
  std::unique_ptr<QueryServiceImpl> service_;
  std::unique_ptr<grpc::Server> server_;
  std::unique_ptr<v6scope::v1::QueryService::Stub> stub_;
};

TEST_F(QueryServiceTest, AggregatesCountEveryVersionOrTheOneAsked) {
  v6scope::v1::AggregatesResponse all;
  ASSERT_TRUE(Aggregates("", &all).ok());
  EXPECT_EQ(all.methodology_version(), query::MethodologyVersion());
  ASSERT_EQ(all.groups_size(), 1);
  EXPECT_EQ(all.groups(0).probes(), 7u);
  ASSERT_EQ(all.groups(0).methodology_versions_size(), 2);
  EXPECT_EQ(all.groups(0).v4_broken().count(), 1u);
  for (const v6scope::v1::CauseCount& c : all.groups(0).causes()) {
    EXPECT_EQ(c.share().total(), 7u) << c.cause();
  }

  v6scope::v1::AggregatesResponse v2;
  ASSERT_TRUE(Aggregates("2", &v2).ok());
  ASSERT_EQ(v2.groups_size(), 1);
  EXPECT_EQ(v2.groups(0).probes(), 4u);
  ASSERT_EQ(v2.groups(0).methodology_versions_size(), 1);
  EXPECT_EQ(v2.groups(0).methodology_versions(0).version(), "2");
}

TEST_F(QueryServiceTest, UnknownMethodologyIsInvalidArgumentNamingIt) {
  v6scope::v1::AggregatesResponse response;
  const grpc::Status status = Aggregates("3", &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(status.error_message().rfind("methodology: unknown version '3'", 0),
            0u)
      << status.error_message();
}

TEST_F(QueryServiceTest, ListProbesTakesSilentFor) {
  grpc::ClientContext ok_context;
  v6scope::v1::ListProbesRequest request;
  request.set_silent_for("2h");
  v6scope::v1::ListProbesResponse response;
  const grpc::Status ok = stub_->ListProbes(&ok_context, request, &response);
  EXPECT_TRUE(ok.ok()) << ok.error_message();

  grpc::ClientContext bad_context;
  request.set_silent_for("2 h");
  const grpc::Status bad = stub_->ListProbes(&bad_context, request, &response);
  EXPECT_EQ(bad.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(bad.error_message().rfind("silent_for: '2 h' is not a duration", 0),
            0u)
      << bad.error_message();
}

TEST_F(QueryServiceTest, RunsKeepTheirOwnVerdictsAndExplanations) {
  grpc::ClientContext context;
  v6scope::v1::ListRunsRequest request;
  v6scope::v1::ListRunsResponse response;
  ASSERT_TRUE(stub_->ListRuns(&context, request, &response).ok());
  ASSERT_EQ(response.runs_size(), 7);
  int v1 = 0, v2 = 0;
  for (const v6scope::v1::StoredRun& run : response.runs()) {
    const v6scope::v1::Verdict& v = run.run().verdict();
    if (v.methodology_version() == "1") {
      ++v1;
      EXPECT_EQ(v.explanations_size(), 0) << run.probe_id();
    } else {
      ++v2;
      ASSERT_EQ(v.explanations_size(), 2) << run.probe_id();
      EXPECT_EQ(v.explanations(0).label(),
                v6scope::v1::Capability_Name(v.capability()));
    }
  }
  EXPECT_EQ(v1, 3);
  EXPECT_EQ(v2, 4);
}

}  // namespace
}  // namespace v6scope::collector::service
