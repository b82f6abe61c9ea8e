// Every malformed batch of collector/ingest/testing/malformed_batches.h
// sent over real loopback gRPC: the stream ends with INVALID_ARGUMENT
// naming the field, and the store is unchanged. Plus the cases that are
// not errors (replayed batches, duplicate sequence numbers) and an
// oversized message.
#include <cstdint>
#include <limits>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "cli/commands.h"
#include "collector/ingest/testing/malformed_batches.h"
#include "collector/server.h"
#include "common/fs/files.h"
#include "common/rpc/channel.h"
#include "gmock/gmock.h"
#include "google/protobuf/unknown_field_set.h"
#include "gtest/gtest.h"
#include "probe/uplink/collector_client.h"
#include "proto/admin_service.grpc.pb.h"
#include "proto/probe_service.grpc.pb.h"
#include "proto/query_service.grpc.pb.h"
#include "tests/integration/enrolled_probe.h"

namespace v6scope::tests::integration {
namespace {

// Unknown fields of a proto3 message, through reflection.
google::protobuf::UnknownFieldSet* Unknown(google::protobuf::Message* m) {
  return m->GetReflection()->MutableUnknownFields(m);
}
const google::protobuf::UnknownFieldSet& UnknownOf(
    const google::protobuf::Message& m) {
  return m.GetReflection()->GetUnknownFields(m);
}

using ::v6scope::collector::ApplyDefaultsAndValidate;
using ::v6scope::collector::CollectorOptions;
using ::v6scope::collector::CollectorServer;
using ::v6scope::collector::store::RunBatch;

using collector::ingest::testing::MalformedCase;
using ::testing::HasSubstr;

// The collector's (fake) clock stands still at the time the test started,
// so validation windows and token lifetimes are fixed for the whole run.
const absl::Time kNow = absl::FromUnixSeconds(absl::ToUnixSeconds(absl::Now()));

// One collector and one enrolled probe shared by all cases.
class IngestRejectionTest : public ::testing::TestWithParam<MalformedCase> {
 protected:
  static void SetUpTestSuite() {
    clock_ = new time::FakeClock(kNow);
    CollectorOptions o;
    o.config.set_grpc_listen("[::1]:0");
    // Each suite (the parameterised one and the plain one) gets its own.
    static int suites = 0;
    o.config.set_data_dir(
        absl::StrCat(::testing::TempDir(), "/ingest_rejection_", ++suites));
    o.clock = clock_;
    auto server = CollectorServer::Start(o);
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = server->release();
    auto enrol = EnrolProbe(*server_);
    ASSERT_TRUE(enrol.ok()) << enrol.status();
    channel_ = new std::shared_ptr<grpc::Channel>(enrol->channel);
    probe_id_ = new std::string(enrol->probe_id);
    credential_ = new std::string(enrol->credential);
    probe::uplink::CollectorClient client(*channel_, absl::Seconds(10));
    // One valid run stored first, so "unchanged" is not just "empty".
    ASSERT_TRUE(client
                    .Upload(*credential_, 1,
                            {collector::ingest::testing::ValidRun(kNow)})
                    .ok());
  }

  static void TearDownTestSuite() {
    delete channel_;
    delete server_;
    delete clock_;
    delete probe_id_;
    delete credential_;
    channel_ = nullptr;
    server_ = nullptr;
    clock_ = nullptr;
    probe_id_ = credential_ = nullptr;
  }

  // Sends one batch on its own stream; returns the stream's final status.
  static grpc::Status Send(const v6scope::v1::Batch& batch) {
    auto stub = v6scope::v1::ProbeService::NewStub(*channel_);
    grpc::ClientContext ctx;
    ctx.AddMetadata("authorization", "Bearer " + *credential_);
    auto stream = stub->Upload(&ctx);
    v6scope::v1::UploadRequest req;
    *req.mutable_batch() = batch;
    stream->Write(req);
    stream->WritesDone();
    v6scope::v1::UploadResponse resp;
    while (stream->Read(&resp)) {
    }
    return stream->Finish();
  }

  static size_t StoredRuns() {
    auto page = server_->store()->ListRuns({}, 1000, "");
    EXPECT_TRUE(page.ok());
    return page.ok() ? page->runs.size() : 0;
  }

  static time::FakeClock* clock_;
  static CollectorServer* server_;
  static std::shared_ptr<grpc::Channel>* channel_;
  static std::string* probe_id_;
  static std::string* credential_;
};

time::FakeClock* IngestRejectionTest::clock_;
CollectorServer* IngestRejectionTest::server_;
std::shared_ptr<grpc::Channel>* IngestRejectionTest::channel_;
std::string* IngestRejectionTest::probe_id_;
std::string* IngestRejectionTest::credential_;

TEST_P(IngestRejectionTest, InvalidArgumentNamingTheFieldAndStoreUnchanged) {
  const size_t before = StoredRuns();
  v6scope::v1::Batch batch = collector::ingest::testing::ValidBatch(kNow);
  batch.set_first_seq(2);
  GetParam().mutate(batch);
  grpc::Status s = Send(batch);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT)
      << s.error_message();
  EXPECT_THAT(s.error_message(), HasSubstr(GetParam().want_path));
  EXPECT_EQ(StoredRuns(), before);
  EXPECT_EQ(*server_->store()->LastStoredSeq(*probe_id_), 1u);
}

INSTANTIATE_TEST_SUITE_P(
    Cases, IngestRejectionTest,
    ::testing::ValuesIn(collector::ingest::testing::MalformedCases(kNow)),
    [](const ::testing::TestParamInfo<MalformedCase>& info) {
      return info.param.name;
    });

TEST_F(IngestRejectionTest, ReplayedBatchIsAcknowledgedAndStoredOnce) {
  const size_t before = StoredRuns();
  v6scope::v1::Batch batch =
      collector::ingest::testing::ValidBatch(kNow);  // seq 1: stored.
  EXPECT_TRUE(Send(batch).ok());
  EXPECT_TRUE(Send(batch).ok());
  EXPECT_EQ(StoredRuns(), before);
}

TEST_F(IngestRejectionTest, OversizedMessageIsResourceExhausted) {
  const size_t before = StoredRuns();
  v6scope::v1::Batch batch = collector::ingest::testing::ValidBatch(kNow);
  batch.set_first_seq(1000);
  v6scope::v1::Run big = collector::ingest::testing::ValidRun(kNow);
  big.mutable_tests(0)->set_error_detail(std::string(255, 'x'));
  while (big.tests_size() < 64) *big.add_tests() = big.tests(0);
  batch.clear_runs();
  for (int i = 0; i < 300; ++i) *batch.add_runs() = big;  // > 4 MiB.
  ASSERT_GT(batch.ByteSizeLong(), 4u << 20);
  grpc::Status s = Send(batch);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_EQ(StoredRuns(), before);
}

TEST_F(IngestRejectionTest, WrongCredentialIsUnauthenticatedAndStoresNothing) {
  const size_t before = StoredRuns();
  auto stub = v6scope::v1::ProbeService::NewStub(*channel_);
  grpc::ClientContext ctx;
  ctx.AddMetadata("authorization", "Bearer " + *probe_id_ + ".00");
  auto stream = stub->Upload(&ctx);
  v6scope::v1::UploadRequest req;
  *req.mutable_batch() = collector::ingest::testing::ValidBatch(kNow);
  req.mutable_batch()->set_first_seq(5);
  stream->Write(req);
  stream->WritesDone();
  v6scope::v1::UploadResponse resp;
  while (stream->Read(&resp)) {
  }
  EXPECT_EQ(stream->Finish().error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(StoredRuns(), before);
}

// A run within every per-field limit and close to the stored-run size
// limit (collector/ingest/prepare_run.h kMaxStoredRunBytes, 64 KiB): 64
// tests with long targets and details and 16 resolved addresses each.
v6scope::v1::Run LargeRun(size_t target_bytes) {
  v6scope::v1::Run run = collector::ingest::testing::ValidRun(kNow);
  v6scope::v1::TestResult* t = run.mutable_tests(0);
  t->set_error_detail(std::string(255, 'd'));
  t->clear_resolved_addresses();
  for (int i = 0; i < 16; ++i) {
    t->add_resolved_addresses(
        absl::StrCat("2001:db8:1234:5678:9abc:def0:1:", i));
  }
  while (run.tests_size() < 64) *run.add_tests() = *t;
  // Every test's target padded alike until the run has the size asked.
  for (int len = 0; len < 250 && run.ByteSizeLong() < target_bytes; ++len) {
    for (auto& test : *run.mutable_tests()) {
      test.set_target(
          absl::StrCat("https://v6.example.net/", std::string(len, 'p')));
    }
  }
  return run;
}

TEST_F(IngestRejectionTest, MaxSizeRunsFillPagesThatAlwaysFitAResponse) {
  // Near-maximum runs: 60 KiB each before the collector's attribution.
  const v6scope::v1::Run big = LargeRun(60 << 10);
  ASSERT_GT(big.ByteSizeLong(), 58u << 10);
  ASSERT_LT(big.ByteSizeLong(), 63u << 10);
  const size_t before = StoredRuns();
  const int kRuns = 80;  // 80 x 60 KiB = 4.7 MiB: more than one page.
  for (int first = 0; first < kRuns; first += 20) {
    v6scope::v1::Batch batch;
    batch.set_first_seq(100 + first);
    for (int i = 0; i < 20; ++i) *batch.add_runs() = big;
    grpc::Status s = Send(batch);
    ASSERT_TRUE(s.ok()) << s.error_message();
  }
  auto stub = v6scope::v1::QueryService::NewStub(*channel_);
  std::string token;
  size_t listed = 0;
  int pages = 0;
  do {
    grpc::ClientContext ctx;
    v6scope::v1::ListRunsRequest req;
    req.set_page_size(1000);
    req.set_page_token(token);
    v6scope::v1::ListRunsResponse resp;
    grpc::Status s = stub->ListRuns(&ctx, req, &resp);
    ASSERT_TRUE(s.ok()) << s.error_message();
    EXPECT_LE(resp.ByteSizeLong(), 4u << 20);
    EXPECT_GT(resp.runs_size(), 0);
    listed += resp.runs_size();
    token = resp.next_page_token();
    ++pages;
  } while (!token.empty() && pages < 10);
  EXPECT_EQ(listed, before + kRuns);
  EXPECT_GE(pages, 2);  // The byte budget split the listing.
}

TEST_F(IngestRejectionTest, RunOverTheStoredSizeLimitIsInvalidArgument) {
  const size_t before = StoredRuns();
  v6scope::v1::Batch batch;
  batch.set_first_seq(500);
  *batch.add_runs() = LargeRun(66 << 10);
  ASSERT_GT(batch.runs(0).ByteSizeLong(), 64u << 10);
  grpc::Status s = Send(batch);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT)
      << s.error_message();
  EXPECT_THAT(s.error_message(), HasSubstr("runs[0]"));
  EXPECT_THAT(s.error_message(), HasSubstr("65536"));
  EXPECT_EQ(StoredRuns(), before);
}

TEST_F(IngestRejectionTest, UnknownFieldsAreNotStored) {
  v6scope::v1::Batch batch = collector::ingest::testing::ValidBatch(kNow);
  batch.set_first_seq(600);
  Unknown(batch.mutable_runs(0))
      ->AddLengthDelimited(999, std::string(100000, 'u'));
  Unknown(batch.mutable_runs(0)->mutable_tests(0))->AddVarint(77, 1);
  grpc::Status s = Send(batch);
  ASSERT_TRUE(s.ok()) << s.error_message();
  auto page = server_->store()->ListRuns({}, 1, "");
  ASSERT_TRUE(page.ok()) << page.status();
  ASSERT_EQ(page->runs.size(), 1u);
  EXPECT_EQ(page->runs[0].seq(), 600u);
  EXPECT_EQ(UnknownOf(page->runs[0].run()).field_count(), 0);
  EXPECT_EQ(UnknownOf(page->runs[0].run().tests(0)).field_count(), 0);
  EXPECT_LT(page->runs[0].ByteSizeLong(), 2000u);
}

TEST_F(IngestRejectionTest, SeqPastInt64IsInvalidArgumentNotUnavailable) {
  v6scope::v1::Batch batch = collector::ingest::testing::ValidBatch(kNow);
  batch.set_first_seq(uint64_t{INT64_MAX});
  *batch.add_runs() = collector::ingest::testing::ValidRun(kNow);
  grpc::Status s = Send(batch);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT)
      << s.error_message();
  EXPECT_THAT(s.error_message(), HasSubstr("first_seq"));
}

TEST_F(IngestRejectionTest, TokenExpiryOutOfRangeIsInvalidArgument) {
  absl::StatusOr<std::string> secret = AdminSecret(*server_);
  ASSERT_TRUE(secret.ok()) << secret.status();
  auto stub = v6scope::v1::AdminService::NewStub(*channel_);
  for (int64_t seconds : {int64_t{253402300800}, int64_t{1} << 50, int64_t{-1},
                          std::numeric_limits<int64_t>::min()}) {
    grpc::ClientContext ctx;
    ctx.AddMetadata("authorization", "Bearer " + *secret);
    v6scope::v1::CreateEnrolmentTokenRequest req;
    req.set_org("org");
    req.mutable_expires_at()->set_seconds(seconds);
    v6scope::v1::CreateEnrolmentTokenResponse resp;
    grpc::Status s = stub->CreateEnrolmentToken(&ctx, req, &resp);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << seconds;
    EXPECT_THAT(s.error_message(), HasSubstr("expires_at: ")) << seconds;
    EXPECT_TRUE(resp.token().empty());  // Nothing made, nothing stored.
  }
}

TEST_F(IngestRejectionTest, QueryTimesOutsideTheTimestampRange) {
  auto stub = v6scope::v1::QueryService::NewStub(*channel_);
  grpc::ClientContext ctx;
  v6scope::v1::AggregatesRequest req;
  req.mutable_at()->set_seconds(int64_t{1} << 50);
  v6scope::v1::AggregatesResponse resp;
  grpc::Status s = stub->GetAggregates(&ctx, req, &resp);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(s.error_message(), HasSubstr("at: "));
  // Export bounds beyond either end include or exclude everything.
  grpc::ClientContext export_ctx;
  v6scope::v1::ExportRunsRequest export_req;
  export_req.mutable_since()->set_seconds(std::numeric_limits<int64_t>::min());
  export_req.mutable_until()->set_seconds(std::numeric_limits<int64_t>::max());
  auto reader = stub->ExportRuns(&export_ctx, export_req);
  v6scope::v1::ExportRunsChunk chunk;
  size_t runs = 0;
  while (reader->Read(&chunk)) runs += chunk.runs_size();
  EXPECT_TRUE(reader->Finish().ok());
  EXPECT_GT(runs, 0u);
}

}  // namespace
}  // namespace v6scope::tests::integration
