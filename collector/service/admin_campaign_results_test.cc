// GetCampaignProgress and ExportCampaignResults over gRPC (127.0.0.1,
// port 0) on the in-memory campaign store.
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "collector/campaign/testing/fake_work_store.h"
#include "collector/service/admin_service.h"
#include "common/time/clock.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "proto/admin_service.grpc.pb.h"

namespace v6scope::collector::service {
namespace {

using store::AssignmentRecord;
using store::AssignmentState;

const absl::Time kNow = absl::FromUnixSeconds(1'800'000'000);

class AdminCampaignResultsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    v6scope::v1::Campaign c;
    c.set_id("c-1");
    c.set_state(v6scope::v1::CAMPAIGN_ACTIVE);
    c.mutable_list()->set_names(3000);
    c.mutable_selector()->add_countries("KE");
    store_.AddCampaign(c, {});
    store_.AddVantage({"p-ke", false, true, 33771, "KE"});
    store_.AddVantage({"p-de", false, true, 3320, "DE"});
    service_ = std::make_unique<AdminServiceImpl>(nullptr, nullptr, &store_,
                                                  &clock_, "secret", &store_);
    grpc::ServerBuilder builder;
    int port = 0;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(),
                             &port);
    builder.RegisterService(service_.get());
    server_ = builder.BuildAndStart();
    ASSERT_NE(server_, nullptr);
    stub_ = v6scope::v1::AdminService::NewStub(grpc::CreateChannel(
        absl::StrCat("127.0.0.1:", port), grpc::InsecureChannelCredentials()));
  }

  void TearDown() override { server_->Shutdown(); }

  void Assign(const std::string& id, const std::string& probe, uint32_t round,
              AssignmentState state, const std::string& refusal = "") {
    AssignmentRecord a;
    a.assignment_id = id;
    a.campaign_id = "c-1";
    a.probe_id = probe;
    a.round = round;
    a.count = 1000;
    a.state = state;
    a.refusal = refusal;
    a.offered_at = kNow + absl::Seconds(store_.puts());
    ASSERT_TRUE(store_.PutAssignment(a).ok());
  }

  void Result(const std::string& probe, uint32_t round, uint64_t index) {
    v6scope::v1::StoredDomainResult r;
    r.set_probe_id(probe);
    r.set_round(round);
    r.set_list_index(index);
    r.mutable_check()->set_domain(absl::StrCat("d", index, ".example"));
    store_.AddResult(r, "c-1");
  }

  grpc::Status Progress(const std::string& id,
                        v6scope::v1::CampaignProgressResponse* out) {
    grpc::ClientContext ctx;
    ctx.AddMetadata("authorization", "Bearer secret");
    v6scope::v1::CampaignIdRequest req;
    req.set_campaign_id(id);
    return stub_->GetCampaignProgress(&ctx, req, out);
  }

  grpc::Status Export(const v6scope::v1::ExportCampaignResultsRequest& req,
                      std::vector<int>* page_sizes,
                      std::vector<v6scope::v1::StoredDomainResult>* all,
                      bool authorize = true) {
    grpc::ClientContext ctx;
    if (authorize) ctx.AddMetadata("authorization", "Bearer secret");
    auto reader = stub_->ExportCampaignResults(&ctx, req);
    v6scope::v1::ExportCampaignResultsResponse page;
    while (reader->Read(&page)) {
      page_sizes->push_back(page.results_size());
      for (const auto& r : page.results()) all->push_back(r);
    }
    return reader->Finish();
  }

  time::FakeClock clock_{kNow};
  campaign::testing::FakeWorkStore store_;
  std::unique_ptr<AdminServiceImpl> service_;
  std::unique_ptr<grpc::Server> server_;
  std::unique_ptr<v6scope::v1::AdminService::Stub> stub_;
};

TEST_F(AdminCampaignResultsTest, ProgressPerSelectedProbe) {
  Assign("a-1", "p-ke", 1, AssignmentState::kFinished);
  Assign("a-2", "p-ke", 1, AssignmentState::kHeld);
  Assign("a-3", "p-ke", 1, AssignmentState::kRefused, "domains[3]: bad");
  Assign("a-4", "p-old", 1, AssignmentState::kEnded);  // No longer selected.
  for (uint64_t i = 0; i < 5; ++i) Result("p-ke", 1, i);
  store::ProbeWorkState w;
  w.probe_id = "p-ke";
  w.last_poll = kNow;
  ASSERT_TRUE(store_.PutProbeWorkState(w).ok());
  v6scope::v1::CampaignProgressResponse resp;
  ASSERT_TRUE(Progress("c-1", &resp).ok());
  EXPECT_EQ(resp.campaign().id(), "c-1");
  EXPECT_EQ(resp.results_stored(), 5u);
  ASSERT_EQ(resp.probes_size(), 2);  // p-ke (selected), p-old (assignments).
  const v6scope::v1::ProbeProgress& ke = resp.probes(0);
  EXPECT_EQ(ke.probe_id(), "p-ke");
  EXPECT_EQ(ke.round(), 1u);
  EXPECT_EQ(ke.offered(), 3000u);
  EXPECT_EQ(ke.stored(), 5u);
  EXPECT_EQ(ke.outstanding(), 1u);
  EXPECT_EQ(ke.refused(), 1u);
  EXPECT_EQ(ke.last_refusal(), "domains[3]: bad");
  EXPECT_EQ(ke.last_poll().seconds(), absl::ToUnixSeconds(kNow));
  EXPECT_EQ(resp.probes(1).probe_id(), "p-old");
}

TEST_F(AdminCampaignResultsTest, ProgressOfAnUnknownCampaignIsNotFound) {
  v6scope::v1::CampaignProgressResponse resp;
  EXPECT_EQ(Progress("c-none", &resp).error_code(),
            grpc::StatusCode::NOT_FOUND);
}

TEST_F(AdminCampaignResultsTest, ExportPagesInOrderAndFilters) {
  for (uint64_t i = 0; i < 1200; ++i) Result("p-ke", 1, i);
  for (uint64_t i = 0; i < 300; ++i) Result("p-de", 1, i);
  Result("p-ke", 2, 0);
  v6scope::v1::ExportCampaignResultsRequest req;
  req.set_campaign_id("c-1");
  std::vector<int> pages;
  std::vector<v6scope::v1::StoredDomainResult> all;
  ASSERT_TRUE(Export(req, &pages, &all).ok());
  EXPECT_EQ(pages, (std::vector<int>{1000, 501}));
  ASSERT_EQ(all.size(), 1501u);
  EXPECT_EQ(all[0].probe_id(), "p-de");  // (round, probe, index) order.
  EXPECT_EQ(all[300].probe_id(), "p-ke");
  EXPECT_EQ(all[1500].round(), 2u);
  req.set_round(1);
  req.set_probe_id("p-ke");
  pages.clear();
  all.clear();
  ASSERT_TRUE(Export(req, &pages, &all).ok());
  EXPECT_EQ(all.size(), 1200u);
  EXPECT_EQ(all[1199].list_index(), 1199u);
}

TEST_F(AdminCampaignResultsTest, ExportRefusesUnknownAndUnauthorized) {
  v6scope::v1::ExportCampaignResultsRequest req;
  req.set_campaign_id("c-none");
  std::vector<int> pages;
  std::vector<v6scope::v1::StoredDomainResult> all;
  EXPECT_EQ(Export(req, &pages, &all).error_code(),
            grpc::StatusCode::NOT_FOUND);
  req.set_campaign_id("c-1");
  EXPECT_EQ(Export(req, &pages, &all, false).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
}

}  // namespace
}  // namespace v6scope::collector::service
