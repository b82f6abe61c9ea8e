// `v6scope services` against a QueryService of the test's own on
// 127.0.0.1 port 0 (the CLI sees only proto/ and api/): the request the
// flags make, every page of domains, the formats, and a refusal passed
// on.
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "cli/services_commands.h"
#include "cli/table.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "proto/query_service.grpc.pb.h"

namespace v6scope::cli {
namespace {

// Answers shares with one cell, domains two to a page, changes with a
// refusal.
class FakeQueryService final : public v6scope::v1::QueryService::Service {
 public:
  grpc::Status GetServiceShares(
      grpc::ServerContext*, const v6scope::v1::ServiceSharesRequest* request,
      v6scope::v1::ServiceSharesResponse* response) override {
    {
      absl::MutexLock lock(&mu_);
      shares_requests_.push_back(*request);
    }
    response->set_round(4);
    response->set_methodology_version("readiness 1");
    response->set_dataset_version("ds-9");
    v6scope::v1::ServiceShareCell* cell = response->add_cells();
    cell->set_campaign_id(request->campaign_id());
    cell->set_country("KE");
    cell->set_service("web");
    cell->set_withheld(true);
    cell->mutable_provenance()->set_dataset_version("ds-9");
    return grpc::Status::OK;
  }

  grpc::Status GetDomainReadiness(
      grpc::ServerContext*, const v6scope::v1::DomainReadinessRequest* request,
      v6scope::v1::DomainReadinessResponse* response) override {
    const int page = request->page_token().empty() ? 0 : 1;
    for (int i = 0; i < 2; ++i) {
      v6scope::v1::DomainReadiness* d = response->add_domains();
      d->set_domain(absl::StrCat("d", page * 2 + i, ".ke"));
      d->add_countries()->set_country("KE");
    }
    if (page == 0) response->set_next_page_token("next");
    response->set_round(2);
    return grpc::Status::OK;
  }

  grpc::Status GetServiceChanges(
      grpc::ServerContext*, const v6scope::v1::ServiceChangesRequest*,
      v6scope::v1::ServiceChangesResponse*) override {
    return grpc::Status(grpc::StatusCode::UNAVAILABLE,
                        "readiness rollups not kept by this store");
  }

  std::vector<v6scope::v1::ServiceSharesRequest> shares_requests() {
    absl::MutexLock lock(&mu_);
    return shares_requests_;
  }

 private:
  absl::Mutex mu_;
  std::vector<v6scope::v1::ServiceSharesRequest> shares_requests_;
};

class ServicesCommandTest : public ::testing::Test {
 protected:
  void SetUp() override {
    grpc::ServerBuilder builder;
    int port = 0;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(),
                             &port);
    builder.RegisterService(&service_);
    server_ = builder.BuildAndStart();
    ASSERT_NE(server_, nullptr);
    channel_ = grpc::CreateChannel(absl::StrCat("127.0.0.1:", port),
                                   grpc::InsecureChannelCredentials());
  }

  void TearDown() override {
    if (server_ != nullptr) server_->Shutdown();
  }

  FakeQueryService service_;
  std::unique_ptr<grpc::Server> server_;
  std::shared_ptr<grpc::Channel> channel_;
};

TEST_F(ServicesCommandTest, SharesSendTheFlagsAndPrintEachFormat) {
  ServicesOptions o;
  o.campaign = "c1";
  o.round = 4;
  o.country = "ke";
  o.service = "web";
  std::ostringstream out;
  absl::StatusOr<Table> table =
      ServicesCommand(channel_, "shares", o, "table", out);
  ASSERT_TRUE(table.ok()) << table.status();
  EXPECT_TRUE(
      absl::StrContains(table->Render(OutputFormat::kTable), "withheld"));
  ASSERT_EQ(service_.shares_requests().size(), 1u);
  const v6scope::v1::ServiceSharesRequest sent = service_.shares_requests()[0];
  EXPECT_EQ(sent.campaign_id(), "c1");
  EXPECT_EQ(sent.round(), 4u);
  EXPECT_EQ(sent.country(), "ke");
  EXPECT_EQ(sent.service(), "web");

  table = ServicesCommand(channel_, "shares", o, "csv", out);
  ASSERT_TRUE(table.ok()) << table.status();
  EXPECT_EQ(table->columns(), 0u);  // Written already.
  EXPECT_TRUE(absl::StartsWith(out.str(), "campaign_id,round,")) << out.str();
  EXPECT_TRUE(absl::StrContains(out.str(), "ds-9")) << out.str();

  std::ostringstream json;
  ASSERT_TRUE(ServicesCommand(channel_, "shares", o, "json", json).ok());
  EXPECT_TRUE(absl::StartsWith(json.str(), "{\"cells\":[")) << json.str();
  EXPECT_TRUE(absl::StrContains(json.str(), "\"dataset_version\":\"ds-9\""));
}

TEST_F(ServicesCommandTest, DomainsBringEveryPage) {
  ServicesOptions o;
  o.campaign = "c1";
  std::ostringstream out;
  ASSERT_TRUE(ServicesCommand(channel_, "domains", o, "jsonl", out).ok());
  const std::string text = out.str();
  for (const char* d : {"d0.ke", "d1.ke", "d2.ke", "d3.ke"}) {
    EXPECT_TRUE(absl::StrContains(text, d)) << text;
  }
}

TEST_F(ServicesCommandTest, RefusalsPassOn) {
  ServicesOptions o;
  o.campaign = "c1";
  std::ostringstream out;
  absl::StatusOr<Table> table =
      ServicesCommand(channel_, "changes", o, "table", out);
  EXPECT_EQ(table.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(table.status().message(),
            "readiness rollups not kept by this store");
}

}  // namespace
}  // namespace v6scope::cli
