// AdminService's campaign calls over gRPC (127.0.0.1, port 0) on a SQLite
// store: creation over the client stream, the bad inputs of issue 16
// (an error at line 500,000, no probe selected, too large, no secret) each
// leaving no campaign, the state calls, and the collector's vantage probe
// (its token, its selection, the warning while there is none).
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "collector/ingest/prepare_run.h"
#include "collector/service/admin_service.h"
#include "collector/service/campaign_creation.h"
#include "collector/service/campaign_progress.h"
#include "collector/store/sqlite/sqlite_store.h"
#include "common/crypto/secrets.h"
#include "common/time/clock.h"
#include "google/protobuf/util/time_util.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "proto/admin_service.grpc.pb.h"
#include "proto/results.pb.h"

namespace v6scope::collector::service {
namespace {

using v6scope::v1::CampaignResponse;
using v6scope::v1::CampaignSpec;
using v6scope::v1::CreateCampaignRequest;
using v6scope::v1::CreateCampaignResponse;

const absl::Time kNow = absl::FromUnixSeconds(1'800'000'000);

v6scope::v1::Run RunFrom(uint32_t asn, const std::string& country) {
  v6scope::v1::Run run;
  *run.mutable_started_at() =
      google::protobuf::util::TimeUtil::SecondsToTimestamp(1'799'999'000);
  run.mutable_verdict()->set_capability(v6scope::v1::V6_PREFERRED);
  run.mutable_verdict()->set_methodology_version("1");
  run.mutable_attribution()->set_asn(asn);
  run.mutable_attribution()->set_country(country);
  return run;
}

class AdminCampaignsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::unique_ptr<store::sqlite::SqliteStore>> st =
        store::sqlite::SqliteStore::Open(absl::StrCat(
            ::testing::TempDir(), "/",
            ::testing::UnitTest::GetInstance()->current_test_info()->name(),
            ".db"));
    ASSERT_TRUE(st.ok()) << st.status();
    store_ = *std::move(st);
    Enrol("p-ke", 33771, "KE");
    Enrol("p-de", 3320, "DE");
    service_ = std::make_unique<AdminServiceImpl>(
        store_.get(), store_.get(), store_.get(), &clock_, "secret");
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

  void TearDown() override {
    if (server_ != nullptr) server_->Shutdown();
  }

  void Enrol(const std::string& id, uint32_t asn, const std::string& cc) {
    ASSERT_TRUE(
        store_
            ->AddEnrolmentToken({"h-" + id, "org", kNow, kNow + absl::Hours(1)})
            .ok());
    store::ProbeRecord p;
    p.probe_id = id;
    p.credential_hash = "c-" + id;
    p.probe_version = "1";
    p.enrolled_at = kNow;
    ASSERT_TRUE(store_->ConsumeEnrolmentToken("h-" + id, kNow, p).ok());
    store::RunBatch batch;
    batch.probe_id = id;
    batch.first_seq = 1;
    batch.received_at = kNow;
    batch.runs.push_back(*ingest::PrepareRun(RunFrom(asn, cc)));
    ASSERT_TRUE(store_->StoreBatches({batch}).ok());
  }

  void Authorize(grpc::ClientContext& ctx) {
    ctx.AddMetadata("authorization", "Bearer secret");
  }

  // Streams `spec`, then `list` in chunks of `chunk` bytes.
  grpc::Status Create(const CampaignSpec& spec, const std::string& list,
                      CreateCampaignResponse* resp, size_t chunk = 1 << 20,
                      bool authorize = true) {
    grpc::ClientContext ctx;
    if (authorize) Authorize(ctx);
    auto writer = stub_->CreateCampaign(&ctx, resp);
    CreateCampaignRequest req;
    *req.mutable_spec() = spec;
    bool ok = writer->Write(req);
    for (size_t i = 0; ok && i < list.size(); i += chunk) {
      req.set_list_chunk(list.substr(i, chunk));
      ok = writer->Write(req);
    }
    writer->WritesDone();
    return writer->Finish();
  }

  std::vector<v6scope::v1::Campaign> List(bool include_deleted = true) {
    grpc::ClientContext ctx;
    Authorize(ctx);
    v6scope::v1::ListCampaignsRequest req;
    req.set_include_deleted(include_deleted);
    v6scope::v1::ListCampaignsResponse resp;
    grpc::Status s = stub_->ListCampaigns(&ctx, req, &resp);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return {resp.campaigns().begin(), resp.campaigns().end()};
  }

  time::FakeClock clock_{kNow};
  std::unique_ptr<store::sqlite::SqliteStore> store_;
  std::unique_ptr<AdminServiceImpl> service_;
  std::unique_ptr<grpc::Server> server_;
  std::unique_ptr<v6scope::v1::AdminService::Stub> stub_;
};

CampaignSpec KenyaSpec() {
  CampaignSpec spec;
  spec.mutable_campaign()->set_name("Kenya public services");
  spec.mutable_campaign()->mutable_selector()->add_countries("ke");
  spec.mutable_campaign()->set_created_by("itu-nairobi");
  spec.set_file_name("kenya.csv");
  return spec;
}

TEST_F(AdminCampaignsTest, CreateShowPauseResumeDelete) {
  CreateCampaignResponse created;
  grpc::Status s = Create(KenyaSpec(),
                          "domain,sector\nict.go.ke,government\n"
                          "kcb.co.ke,bank\nwww.ict.go.ke,government\n",
                          &created, /*chunk=*/7);
  ASSERT_TRUE(s.ok()) << s.error_message();
  const v6scope::v1::Campaign& c = created.campaign();
  EXPECT_EQ(c.id().substr(0, 2), "c-");
  EXPECT_EQ(c.state(), v6scope::v1::CAMPAIGN_ACTIVE);
  EXPECT_EQ(c.selected_probes(), 1u);
  EXPECT_EQ(c.list().names(), 2u);
  EXPECT_EQ(c.list().format(), "csv");
  EXPECT_EQ(c.created_by(), "itu-nairobi");
  ASSERT_EQ(c.sectors_size(), 2);  // The list's own.
  EXPECT_EQ(c.sectors(0), "government");
  ASSERT_EQ(created.warnings_size(), 1);
  EXPECT_NE(created.warnings(0).find("line 4"), std::string::npos);
  EXPECT_EQ(store_->ReadCampaignDomains(c.id(), 0, 10)->size(), 2u);

  v6scope::v1::CampaignIdRequest id;
  id.set_campaign_id(c.id());
  CampaignResponse resp;
  for (auto call : {&v6scope::v1::AdminService::Stub::PauseCampaign,
                    &v6scope::v1::AdminService::Stub::ResumeCampaign,
                    &v6scope::v1::AdminService::Stub::DeleteCampaign}) {
    grpc::ClientContext ctx;
    Authorize(ctx);
    s = ((*stub_).*call)(&ctx, id, &resp);
    ASSERT_TRUE(s.ok()) << s.error_message();
  }
  EXPECT_EQ(resp.campaign().state(), v6scope::v1::CAMPAIGN_DELETED);
  grpc::ClientContext ctx;
  Authorize(ctx);
  s = stub_->ResumeCampaign(&ctx, id, &resp);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_TRUE(List(/*include_deleted=*/false).empty());
  EXPECT_EQ(List().size(), 1u);  // Kept.
}

TEST_F(AdminCampaignsTest, ErrorAtLine500000LeavesNoCampaign) {
  std::string list;
  for (int i = 1; i < 500'000; ++i) absl::StrAppend(&list, "d", i, ".ke\n");
  list += "https://bad.example.ke/\n";
  for (int i = 0; i < 1000; ++i) absl::StrAppend(&list, "e", i, ".ke\n");
  CampaignSpec spec = KenyaSpec();
  spec.set_file_name("kenya.txt");
  CreateCampaignResponse resp;
  grpc::Status s = Create(spec, list, &resp);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(s.error_message().find("kenya.txt: line 500000: "),
            std::string::npos)
      << s.error_message();
  EXPECT_TRUE(List().empty());
}

TEST_F(AdminCampaignsTest, NoProbeSelectedSaysSoAndCreatesNothing) {
  CampaignSpec spec = KenyaSpec();
  spec.mutable_campaign()->mutable_selector()->clear_countries();
  spec.mutable_campaign()->mutable_selector()->add_regions("lacnic");
  spec.set_file_name("kenya.txt");
  CreateCampaignResponse resp;
  grpc::Status s = Create(spec, "ict.go.ke\n", &resp);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_NE(s.error_message().find("selects no probe"), std::string::npos)
      << s.error_message();
  EXPECT_TRUE(List().empty());
  // The collector as the only vantage point is a valid campaign, even
  // before its vantage probe is enrolled: created, with a warning saying
  // how to enrol one.
  spec.mutable_campaign()->mutable_selector()->set_include_collector(true);
  s = Create(spec, "ict.go.ke\n", &resp);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(resp.campaign().selected_probes(), 0u);
  ASSERT_EQ(resp.warnings_size(), 1);
  EXPECT_NE(resp.warnings(0).find("no collector vantage probe is enrolled"),
            std::string::npos)
      << resp.warnings(0);
  EXPECT_NE(resp.warnings(0).find("vantage-token"), std::string::npos);
}

// A token created with collector_vantage enrols a probe marked so; a
// campaign including the collector selects it wherever it is, without a
// warning, and its progress marks it.
TEST_F(AdminCampaignsTest, CollectorVantageTokenProbeIsSelectedAndMarked) {
  v6scope::v1::CreateEnrolmentTokenRequest req;
  req.set_org("office");
  req.set_collector_vantage(true);
  v6scope::v1::CreateEnrolmentTokenResponse token;
  {
    grpc::ClientContext ctx;
    Authorize(ctx);
    grpc::Status s = stub_->CreateEnrolmentToken(&ctx, req, &token);
    ASSERT_TRUE(s.ok()) << s.error_message();
  }
  store::ProbeRecord p;
  p.probe_id = "p-own";
  p.credential_hash = "c-own";
  p.probe_version = "1";
  p.enrolled_at = kNow;
  absl::StatusOr<store::ProbeRecord> enrolled =
      store_->ConsumeEnrolmentToken(crypto::Sha256Hex(token.token()), kNow, p);
  ASSERT_TRUE(enrolled.ok()) << enrolled.status();
  EXPECT_TRUE(enrolled->collector_vantage);
  EXPECT_EQ(enrolled->org, "office");
  // An ordinary token enrols an ordinary probe.
  req.set_collector_vantage(false);
  {
    grpc::ClientContext ctx;
    Authorize(ctx);
    ASSERT_TRUE(stub_->CreateEnrolmentToken(&ctx, req, &token).ok());
  }
  p.probe_id = "p-plain";
  enrolled =
      store_->ConsumeEnrolmentToken(crypto::Sha256Hex(token.token()), kNow, p);
  ASSERT_TRUE(enrolled.ok()) << enrolled.status();
  EXPECT_FALSE(enrolled->collector_vantage);

  CampaignSpec spec = KenyaSpec();  // KE: p-ke; and the collector.
  spec.mutable_campaign()->mutable_selector()->set_include_collector(true);
  spec.set_file_name("kenya.txt");
  CreateCampaignResponse resp;
  grpc::Status s = Create(spec, "ict.go.ke\n", &resp);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(resp.campaign().selected_probes(), 2u);  // p-ke, p-own.
  EXPECT_EQ(resp.warnings_size(), 0);

  absl::StatusOr<v6scope::v1::CampaignProgressResponse> progress =
      CampaignProgress(resp.campaign().id(), *store_, *store_);
  ASSERT_TRUE(progress.ok()) << progress.status();
  ASSERT_EQ(progress->probes_size(), 2);
  EXPECT_EQ(progress->probes(0).probe_id(), "p-ke");
  EXPECT_FALSE(progress->probes(0).collector_vantage());
  EXPECT_EQ(progress->probes(1).probe_id(), "p-own");
  EXPECT_TRUE(progress->probes(1).collector_vantage());
}

TEST_F(AdminCampaignsTest, BadSpecsAreNamed) {
  CreateCampaignResponse resp;
  CampaignSpec spec = KenyaSpec();
  spec.set_format("xlsx");
  grpc::Status s = Create(spec, "ict.go.ke\n", &resp);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(s.error_message().find("format"), std::string::npos);
  spec = KenyaSpec();
  spec.mutable_campaign()->mutable_selector()->add_probe_ids("p-nope");
  s = Create(spec, "ict.go.ke\n", &resp);
  EXPECT_NE(s.error_message().find("p-nope"), std::string::npos);
  EXPECT_TRUE(List().empty());
}

TEST_F(AdminCampaignsTest, TooLargeListIsRefused) {
  const std::string mib(1 << 20, 'a');
  std::string list;
  for (size_t i = 0; i <= kMaxCampaignListBytes >> 20; ++i) list += mib;
  CreateCampaignResponse resp;
  grpc::Status s = Create(KenyaSpec(), list, &resp);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_NE(s.error_message().find("64 MiB"), std::string::npos);
  EXPECT_TRUE(List().empty());
}

TEST_F(AdminCampaignsTest, WithoutTheSecretIsUnauthenticated) {
  CreateCampaignResponse resp;
  grpc::Status s = Create(KenyaSpec(), "ict.go.ke\n", &resp, 1 << 20,
                          /*authorize=*/false);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  grpc::ClientContext ctx;
  v6scope::v1::ListCampaignsResponse list;
  s = stub_->ListCampaigns(&ctx, {}, &list);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_TRUE(List().empty());
}

}  // namespace
}  // namespace v6scope::collector::service
