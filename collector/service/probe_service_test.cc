// ProbeService over a real gRPC listener (127.0.0.1, port 0), a SQLite
// store in the test's temp dir and a fake clock: enrolment, the upload
// stream's welcome and acks, duplicates, revocation, back-off and
// malformed batches.
#include "collector/service/probe_service.h"

#include <unistd.h>

#include <memory>
#include <string>
#include <tuple>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "collector/ingest/ingest_writer.h"
#include "collector/ingest/pipeline.h"
#include "collector/ingest/testing/malformed_batches.h"
#include "collector/service/upload_parse.h"
#include "collector/store/sqlite/sqlite_store.h"
#include "common/crypto/secrets.h"
#include "common/time/clock.h"
#include "gmock/gmock.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/security/server_credentials.h"
#include "grpcpp/server_builder.h"
#include "gtest/gtest.h"
#include "sqlite3.h"

namespace v6scope::collector::service {
namespace {

using v6scope::v1::UploadRequest;
using v6scope::v1::UploadResponse;

const absl::Time kNow = absl::FromUnixSeconds(1'750'000'000);
constexpr char kToken[] = "enrolment-token-1";

class ProbeServiceTest : public ::testing::Test {
 protected:
  void SetUp() override { Start(ingest::IngestLimits()); }
  void TearDown() override { Stop(); }

  void Start(ingest::IngestLimits limits,
             UploadStreamLimits stream_limits = UploadStreamLimits()) {
    static int counter = 0;
    db_path_ = absl::StrCat(::testing::TempDir(), "/probe-service-", getpid(),
                            "-", counter++, ".db");
    auto store = store::sqlite::SqliteStore::Open(db_path_);
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = *std::move(store);
    ASSERT_TRUE(store_
                    ->AddEnrolmentToken({crypto::Sha256Hex(kToken), "org", kNow,
                                         kNow + absl::Hours(1)})
                    .ok());
    writer_ = std::make_unique<ingest::IngestWriter>(store_.get());
    pipeline_ = std::make_unique<ingest::IngestPipeline>(writer_.get(), &clock_,
                                                         limits);
    v6scope::v1::Schedule schedule;
    schedule.set_interval_seconds(600);
    service_ = std::make_unique<ProbeServiceImpl>(store_.get(), pipeline_.get(),
                                                  &clock_, schedule, nullptr,
                                                  stream_limits);
    grpc::ServerBuilder builder;
    int port = 0;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(),
                             &port);
    builder.RegisterService(service_.get());
    server_ = builder.BuildAndStart();
    ASSERT_NE(server_, nullptr);
    ASSERT_NE(port, 0);
    channel_ = grpc::CreateChannel(absl::StrCat("127.0.0.1:", port),
                                   grpc::InsecureChannelCredentials());
    stub_ = v6scope::v1::ProbeService::NewStub(channel_);
  }

  void Stop() {
    if (server_ != nullptr) server_->Shutdown();
    writer_.reset();  // Runs the last completions.
    server_.reset();
    service_.reset();
    pipeline_.reset();
    store_.reset();
  }

  v6scope::v1::EnrolResponse Enrol(const std::string& token = kToken) {
    grpc::ClientContext context;
    v6scope::v1::EnrolRequest request;
    request.set_token(token);
    v6scope::v1::EnrolResponse response;
    const grpc::Status s = stub_->Enrol(&context, request, &response);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return response;
  }

  // One upload stream of `credential`.
  struct Stream {
    grpc::ClientContext context;
    std::unique_ptr<grpc::ClientReaderWriter<UploadRequest, UploadResponse>> rw;
    UploadResponse welcome;

    bool Send(const v6scope::v1::Batch& batch) {
      UploadRequest request;
      *request.mutable_batch() = batch;
      return rw->Write(request);
    }
    UploadResponse Next() {
      UploadResponse response;
      if (!rw->Read(&response)) response.Clear();
      return response;
    }
    grpc::Status Close() {
      rw->WritesDone();
      UploadResponse rest;
      while (rw->Read(&rest)) {
      }
      return rw->Finish();
    }
  };

  std::unique_ptr<Stream> Open(const std::string& credential) {
    auto stream = std::make_unique<Stream>();
    stream->context.AddMetadata("authorization",
                                absl::StrCat("Bearer ", credential));
    stream->rw = stub_->Upload(&stream->context);
    stream->rw->Read(&stream->welcome);
    return stream;
  }

  // Makes every later statement on `table` fail inside the store, as a
  // damaged database would, through a second connection.
  void BreakTable(const std::string& table) {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(db_path_.c_str(), &db), SQLITE_OK);
    const std::string sql =
        absl::StrCat("ALTER TABLE ", table, " RENAME TO ", table, "_gone;");
    EXPECT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr),
              SQLITE_OK)
        << sqlite3_errmsg(db);
    sqlite3_close(db);
  }

  std::string db_path_;
  std::shared_ptr<grpc::Channel> channel_;
  time::FakeClock clock_{kNow};
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<ingest::IngestWriter> writer_;
  std::unique_ptr<ingest::IngestPipeline> pipeline_;
  std::unique_ptr<ProbeServiceImpl> service_;
  std::unique_ptr<grpc::Server> server_;
  std::unique_ptr<v6scope::v1::ProbeService::Stub> stub_;
};

TEST_F(ProbeServiceTest, EnrolGivesACredentialAndTheSchedule) {
  v6scope::v1::EnrolResponse enrolled = Enrol();
  EXPECT_TRUE(absl::StartsWith(enrolled.probe_id(), "p-"));
  EXPECT_TRUE(absl::StartsWith(enrolled.credential(),
                               absl::StrCat(enrolled.probe_id(), ".")));
  EXPECT_EQ(enrolled.schedule().interval_seconds(), 600u);
  absl::StatusOr<store::ProbeRecord> probe =
      store_->GetProbe(enrolled.probe_id());
  ASSERT_TRUE(probe.ok()) << probe.status();
  EXPECT_EQ(probe->enrolled_at, kNow);
  EXPECT_EQ(probe->org, "org");
}

TEST_F(ProbeServiceTest, EnrolRefusesBadTokens) {
  v6scope::v1::EnrolResponse enrolled = Enrol();
  grpc::ClientContext again;
  v6scope::v1::EnrolRequest request;
  request.set_token(kToken);
  v6scope::v1::EnrolResponse response;
  EXPECT_EQ(stub_->Enrol(&again, request, &response).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);  // Already used.
  grpc::ClientContext unknown;
  request.set_token("no such token");
  EXPECT_EQ(stub_->Enrol(&unknown, request, &response).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  grpc::ClientContext empty;
  request.set_token("");
  const grpc::Status s = stub_->Enrol(&empty, request, &response);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_TRUE(absl::StrContains(s.error_message(), "token"));
}

// Issue #14: wrong tokens from one address meet a limit, with a retry hint,
// and the address may try again once its bucket has refilled.
TEST_F(ProbeServiceTest, RepeatedWrongTokensAreRateLimitedPerAddress) {
  v6scope::v1::EnrolRequest request;
  request.set_token("wrong token");
  v6scope::v1::EnrolResponse response;
  for (int i = 0; i < EnrolGuard::kDefaultFailuresPerMinute; ++i) {
    grpc::ClientContext context;
    ASSERT_EQ(stub_->Enrol(&context, request, &response).error_code(),
              grpc::StatusCode::UNAUTHENTICATED)
        << i;
  }
  grpc::ClientContext limited;
  request.set_token(kToken);  // Even the right token waits.
  const grpc::Status s = stub_->Enrol(&limited, request, &response);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_TRUE(absl::StrContains(s.error_message(), "retry in"));
  const auto& trailers = limited.GetServerTrailingMetadata();
  auto hint = trailers.find("retry-after");
  ASSERT_NE(hint, trailers.end());
  EXPECT_EQ(std::string(hint->second.data(), hint->second.size()), "6");
  clock_.Advance(absl::Seconds(6));
  Enrol();  // One failure's worth refilled: the right token works.
}

TEST_F(ProbeServiceTest, PeerHostDropsThePort) {
  EXPECT_EQ(PeerHost("ipv4:192.0.2.1:5000"), "192.0.2.1");
  EXPECT_EQ(PeerHost("ipv6:[2001:db8::1]:5000"), "2001:db8::1");
  EXPECT_EQ(PeerHost("ipv6:%5B2001:db8::1%5D:5000"), "2001:db8::1");
  EXPECT_EQ(PeerHost("unix:/x"), "unix:/x");
}

TEST_F(ProbeServiceTest, UploadIsStoredThenAcknowledged) {
  const v6scope::v1::EnrolResponse enrolled = Enrol();
  auto stream = Open(enrolled.credential());
  ASSERT_TRUE(stream->welcome.has_welcome());
  EXPECT_EQ(stream->welcome.welcome().last_stored_seq(), 0u);
  EXPECT_EQ(stream->welcome.welcome().server_time().seconds(),
            absl::ToUnixSeconds(kNow));
  v6scope::v1::Batch batch = ingest::testing::ValidBatch(kNow);
  *batch.add_runs() = ingest::testing::ValidRun(kNow);
  ASSERT_TRUE(stream->Send(batch));
  const UploadResponse ack = stream->Next();
  ASSERT_TRUE(ack.has_ack()) << ack.DebugString();
  EXPECT_EQ(ack.ack().first_seq(), 1u);
  EXPECT_EQ(ack.ack().last_seq(), 2u);
  EXPECT_EQ(ack.ack().stored(), 2u);
  // Acknowledged means stored.
  EXPECT_EQ(*store_->LastStoredSeq(enrolled.probe_id()), 2u);
  EXPECT_TRUE(stream->Close().ok());

  auto next = Open(enrolled.credential());
  EXPECT_EQ(next->welcome.welcome().last_stored_seq(), 2u);
  EXPECT_TRUE(next->Close().ok());
}

TEST_F(ProbeServiceTest, DuplicateBatchIsAcknowledgedWithNothingStored) {
  auto stream = Open(Enrol().credential());
  const v6scope::v1::Batch batch = ingest::testing::ValidBatch(kNow);
  ASSERT_TRUE(stream->Send(batch));
  EXPECT_EQ(stream->Next().ack().stored(), 1u);
  ASSERT_TRUE(stream->Send(batch));
  const UploadResponse again = stream->Next();
  ASSERT_TRUE(again.has_ack()) << again.DebugString();
  EXPECT_EQ(again.ack().first_seq(), 1u);
  EXPECT_EQ(again.ack().stored(), 0u);
  EXPECT_TRUE(stream->Close().ok());
}

TEST_F(ProbeServiceTest, RevokedProbeCannotUpload) {
  const v6scope::v1::EnrolResponse enrolled = Enrol();
  ASSERT_TRUE(store_->RevokeProbe(enrolled.probe_id()).ok());
  auto stream = Open(enrolled.credential());
  EXPECT_FALSE(stream->welcome.has_welcome());
  EXPECT_EQ(stream->Close().error_code(), grpc::StatusCode::UNAUTHENTICATED);
}

TEST_F(ProbeServiceTest, RevocationEndsAnOpenStreamWithoutAck) {
  const v6scope::v1::EnrolResponse enrolled = Enrol();
  auto stream = Open(enrolled.credential());
  ASSERT_TRUE(stream->welcome.has_welcome());
  ASSERT_TRUE(store_->RevokeProbe(enrolled.probe_id()).ok());
  stream->Send(ingest::testing::ValidBatch(kNow));
  EXPECT_FALSE(stream->Next().has_ack());
  const grpc::Status s = stream->Close();
  EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_TRUE(absl::StrContains(s.error_message(), "revoked"));
  EXPECT_EQ(*store_->LastStoredSeq(enrolled.probe_id()), 0u);
}

TEST_F(ProbeServiceTest, UploadWithoutCredentialIsRefused) {
  grpc::ClientContext context;
  auto rw = stub_->Upload(&context);
  UploadResponse response;
  EXPECT_FALSE(rw->Read(&response));
  EXPECT_EQ(rw->Finish().error_code(), grpc::StatusCode::UNAUTHENTICATED);
  auto wrong = Open("p-0000000000000000.secret");
  EXPECT_EQ(wrong->Close().error_code(), grpc::StatusCode::UNAUTHENTICATED);
}

TEST_F(ProbeServiceTest, ProbeOverItsRateGetsABackOffHint) {
  Stop();
  ingest::IngestLimits limits;
  limits.max_runs_per_second_per_probe = 0.5;
  limits.max_burst_runs_per_probe = 2;
  Start(limits);
  const v6scope::v1::EnrolResponse enrolled = Enrol();
  auto stream = Open(enrolled.credential());
  v6scope::v1::Batch batch = ingest::testing::ValidBatch(kNow);
  *batch.add_runs() = ingest::testing::ValidRun(kNow);
  ASSERT_TRUE(stream->Send(batch));
  ASSERT_TRUE(stream->Next().has_ack());
  batch.set_first_seq(3);
  batch.mutable_runs()->RemoveLast();
  stream->Send(batch);
  const UploadResponse back_off = stream->Next();
  ASSERT_TRUE(back_off.has_back_off()) << back_off.DebugString();
  EXPECT_EQ(back_off.back_off().seconds(), 2u);  // 1 run at 0.5 per second.
  const grpc::Status s = stream->Close();
  EXPECT_EQ(s.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_TRUE(absl::StrContains(s.error_message(), "rate limit"));
  EXPECT_EQ(*store_->LastStoredSeq(enrolled.probe_id()), 2u);

  clock_.Advance(absl::Seconds(2));
  auto later = Open(enrolled.credential());
  ASSERT_TRUE(later->Send(batch));
  EXPECT_EQ(later->Next().ack().last_seq(), 3u);
  EXPECT_TRUE(later->Close().ok());
}

TEST_F(ProbeServiceTest, BusyCollectorAsksForBackOff) {
  Stop();
  ingest::IngestLimits limits;
  limits.max_queued_batches = 0;
  limits.back_off_seconds = 45;
  Start(limits);
  auto stream = Open(Enrol().credential());
  stream->Send(ingest::testing::ValidBatch(kNow));
  EXPECT_EQ(stream->Next().back_off().seconds(), 45u);
  EXPECT_EQ(stream->Close().error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
}

// Issue #14: a probe's third concurrent stream is refused with a retry
// hint; closing one frees its slot at once.
TEST_F(ProbeServiceTest, ThirdStreamOfAProbeIsRefusedWithARetryHint) {
  const v6scope::v1::EnrolResponse enrolled = Enrol();
  auto first = Open(enrolled.credential());
  auto second = Open(enrolled.credential());
  ASSERT_TRUE(first->welcome.has_welcome());
  ASSERT_TRUE(second->welcome.has_welcome());
  auto third = Open(enrolled.credential());
  EXPECT_FALSE(third->welcome.has_welcome());
  EXPECT_EQ(third->welcome.back_off().seconds(),
            UploadStreamLimits::kDefaultRetrySeconds);
  const grpc::Status s = third->Close();
  EXPECT_EQ(s.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_TRUE(absl::StrContains(
      s.error_message(),
      absl::StrCat("probe ", enrolled.probe_id(), " already has 2 upload")))
      << s.error_message();
  EXPECT_TRUE(absl::StrContains(s.error_message(), "retry in 30s"));
  const auto& trailers = third->context.GetServerTrailingMetadata();
  auto hint = trailers.find("retry-after");
  ASSERT_NE(hint, trailers.end());
  EXPECT_EQ(std::string(hint->second.data(), hint->second.size()), "30");
  EXPECT_EQ(service_->streams()->active_for(enrolled.probe_id()), 2u);

  EXPECT_TRUE(first->Close().ok());
  auto again = Open(enrolled.credential());  // The slot is free already.
  EXPECT_TRUE(again->welcome.has_welcome());
  EXPECT_TRUE(again->Close().ok());
  EXPECT_TRUE(second->Close().ok());
}

TEST_F(ProbeServiceTest, StreamsBeyondTheGlobalCapAreRefused) {
  Stop();
  UploadStreamLimits stream_limits;
  stream_limits.total = 3;
  Start(ingest::IngestLimits(), stream_limits);
  ASSERT_TRUE(store_
                  ->AddEnrolmentToken({crypto::Sha256Hex("token-2"), "org",
                                       kNow, kNow + absl::Hours(1)})
                  .ok());
  const std::string a = Enrol().credential();
  const std::string b = Enrol("token-2").credential();
  auto a1 = Open(a);
  auto a2 = Open(a);
  auto b1 = Open(b);
  ASSERT_TRUE(b1->welcome.has_welcome());
  auto b2 = Open(b);
  EXPECT_FALSE(b2->welcome.has_welcome());
  const grpc::Status s = b2->Close();
  EXPECT_EQ(s.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_TRUE(absl::StrContains(s.error_message(), "3 upload streams open"))
      << s.error_message();
  EXPECT_EQ(service_->streams()->active(), 3u);
  for (auto* stream : {a1.get(), a2.get(), b1.get()}) {
    EXPECT_TRUE(stream->Close().ok());
  }
  EXPECT_EQ(service_->streams()->active(), 0u);
}

// Issue #14: a stream that sends nothing for the idle timeout is ended
// with a message saying so; activity restarts the timer.
TEST_F(ProbeServiceTest, IdleStreamIsEndedSayingWhy) {
  const v6scope::v1::EnrolResponse enrolled = Enrol();
  auto stream = Open(enrolled.credential());
  ASSERT_TRUE(stream->welcome.has_welcome());
  clock_.Advance(absl::Minutes(4));
  EXPECT_EQ(service_->EndIdleStreams(), 0);
  ASSERT_TRUE(stream->Send(ingest::testing::ValidBatch(kNow)));
  ASSERT_TRUE(stream->Next().has_ack());
  clock_.Advance(absl::Minutes(4));
  EXPECT_EQ(service_->EndIdleStreams(), 0);  // 4 min since the batch.
  clock_.Advance(absl::Minutes(1));
  // The server may not have seen the ack's write complete yet (the client
  // can read it first); a stream with a write out is not idle. Wait,
  // bounded, for that completion rather than assume it.
  int ended = 0;
  const absl::Time give_up = absl::Now() + absl::Seconds(10);
  while ((ended = service_->EndIdleStreams()) == 0 && absl::Now() < give_up) {
    absl::SleepFor(absl::Milliseconds(5));
  }
  EXPECT_EQ(ended, 1);
  EXPECT_EQ(service_->streams()->active(), 0u);
  const grpc::Status s = stream->Close();
  EXPECT_EQ(s.error_code(), grpc::StatusCode::DEADLINE_EXCEEDED);
  EXPECT_TRUE(absl::StrContains(s.error_message(), "no batch for 5m"))
      << s.error_message();
  EXPECT_EQ(*store_->LastStoredSeq(enrolled.probe_id()), 1u);
  EXPECT_EQ(service_->EndIdleStreams(), 0);
}

// Every way a stream ends gives its slot back: refused batches, client
// cancellation, revocation, a clean close.
TEST_F(ProbeServiceTest, EveryEndOfAStreamFreesItsSlot) {
  const v6scope::v1::EnrolResponse enrolled = Enrol();
  v6scope::v1::Batch bad = ingest::testing::ValidBatch(kNow);
  bad.set_first_seq(0);
  for (int i = 0; i < 3; ++i) {
    auto stream = Open(enrolled.credential());
    ASSERT_TRUE(stream->welcome.has_welcome()) << i;
    stream->Send(bad);
    EXPECT_NE(stream->Close().error_code(), grpc::StatusCode::OK);
  }
  for (int i = 0; i < 3; ++i) {
    auto stream = Open(enrolled.credential());
    ASSERT_TRUE(stream->welcome.has_welcome()) << i;
    stream->context.TryCancel();
    EXPECT_EQ(stream->Close().error_code(), grpc::StatusCode::CANCELLED);
  }
  // A cancellation reaches the server after the client has moved on: wait
  // (bounded) for the server to see it rather than assume it has.
  const absl::Time give_up = absl::Now() + absl::Seconds(10);
  while (service_->streams()->active() > 0 && absl::Now() < give_up) {
    absl::SleepFor(absl::Milliseconds(5));
  }
  EXPECT_EQ(service_->streams()->active(), 0u);
  auto stream = Open(enrolled.credential());
  ASSERT_TRUE(stream->welcome.has_welcome());
  ASSERT_TRUE(store_->RevokeProbe(enrolled.probe_id()).ok());
  stream->Send(ingest::testing::ValidBatch(kNow));
  EXPECT_EQ(stream->Close().error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(service_->streams()->active(), 0u);
}

TEST_F(ProbeServiceTest, MalformedBatchIsInvalidArgumentNamingTheField) {
  const std::string credential = Enrol().credential();
  for (const ingest::testing::MalformedCase& c :
       ingest::testing::MalformedCases(kNow)) {
    SCOPED_TRACE(c.name);
    v6scope::v1::Batch batch = ingest::testing::ValidBatch(kNow);
    c.mutate(batch);
    auto stream = Open(credential);
    stream->Send(batch);
    EXPECT_FALSE(stream->Next().has_ack());
    const grpc::Status s = stream->Close();
    EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_TRUE(absl::StrContains(s.error_message(), c.want_path))
        << s.error_message();
  }
}

TEST_F(ProbeServiceTest, RequestWithoutBatchIsInvalidArgument) {
  auto stream = Open(Enrol().credential());
  stream->rw->Write(UploadRequest());
  const grpc::Status s = stream->Close();
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_TRUE(absl::StrContains(s.error_message(), "batch"));
}

}  // namespace
}  // namespace v6scope::collector::service

namespace v6scope::collector::service {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

// A store failure must reach the client as a short message with an error
// id: never SQL, table names or file paths.
void ExpectNoInternals(const grpc::Status& s) {
  EXPECT_THAT(s.error_message(), HasSubstr("error id "));
  for (const char* leak : {"SELECT", "INSERT", "probes", "no such table",
                           "enrolment_tokens", ".db", "/"}) {
    EXPECT_THAT(s.error_message(), Not(HasSubstr(leak))) << s.error_message();
  }
}

TEST_F(ProbeServiceTest, BogusCredentialAfterAStoreErrorGetsNoSql) {
  BreakTable("probes");
  auto stream = Open("p-0123456789abcdef.00");
  const grpc::Status s = stream->Close();
  EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAVAILABLE) << s.error_message();
  ExpectNoInternals(s);
}

TEST_F(ProbeServiceTest, EnrolAfterAStoreErrorGetsNoSql) {
  BreakTable("enrolment_tokens");
  grpc::ClientContext context;
  v6scope::v1::EnrolRequest request;
  request.set_token(kToken);
  v6scope::v1::EnrolResponse response;
  const grpc::Status s = stub_->Enrol(&context, request, &response);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAVAILABLE) << s.error_message();
  ExpectNoInternals(s);
}

}  // namespace
}  // namespace v6scope::collector::service

namespace v6scope::collector::service {
namespace {

TEST_F(ProbeServiceTest, EnrolRefusesTokensAndVersionsOutsideTheirCharset) {
  for (const auto& [token, version, field] :
       {std::tuple<std::string, std::string, std::string>{"tok\nen", "1.0",
                                                          "token"},
        {std::string(129, 't'), "1.0", "token"},
        {kToken, "1.0\x1b[31m", "probe_version"},
        {kToken, std::string(65, 'v'), "probe_version"}}) {
    grpc::ClientContext context;
    v6scope::v1::EnrolRequest request;
    request.set_token(token);
    request.set_probe_version(version);
    v6scope::v1::EnrolResponse response;
    const grpc::Status s = stub_->Enrol(&context, request, &response);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << field;
    EXPECT_TRUE(absl::StartsWith(s.error_message(), field + ":"))
        << s.error_message();
  }
  Enrol();  // The token was not consumed by the refused calls.
}

}  // namespace
}  // namespace v6scope::collector::service

namespace v6scope::collector::service {
namespace {

// Sends `bytes` as the one message of an Upload stream, as a broken or
// hostile client would (the generic stub does no serialization), and
// returns the stream's status.
grpc::Status SendRaw(const std::shared_ptr<grpc::Channel>& channel,
                     const std::string& credential, const std::string& bytes) {
  grpc::GenericStub stub(channel);
  grpc::CompletionQueue cq;
  grpc::ClientContext context;
  context.AddMetadata("authorization", absl::StrCat("Bearer ", credential));
  auto call =
      stub.PrepareCall(&context, "/v6scope.v1.ProbeService/Upload", &cq);
  void* tag = nullptr;
  bool ok = false;
  const auto await = [&] { return cq.Next(&tag, &ok) && ok; };
  call->StartCall(reinterpret_cast<void*>(1));
  await();
  grpc::Slice slice(bytes);
  grpc::ByteBuffer message(&slice, 1);
  call->Write(message, reinterpret_cast<void*>(2));
  await();
  call->WritesDone(reinterpret_cast<void*>(3));
  await();
  grpc::ByteBuffer response;
  do {
    call->Read(&response, reinterpret_cast<void*>(4));
  } while (await());
  grpc::Status status;
  call->Finish(&status, reinterpret_cast<void*>(5));
  await();
  cq.Shutdown();
  while (cq.Next(&tag, &ok)) {
  }
  return status;
}

std::string BatchBytes(const v6scope::v1::Batch& batch) {
  v6scope::v1::UploadRequest request;
  *request.mutable_batch() = batch;
  return request.SerializeAsString();
}

TEST_F(ProbeServiceTest, RawValidBatchIsStored) {
  const std::string credential = Enrol().credential();
  const grpc::Status s = SendRaw(channel_, credential,
                                 BatchBytes(ingest::testing::ValidBatch(kNow)));
  EXPECT_TRUE(s.ok()) << s.error_message();
}

TEST_F(ProbeServiceTest, TruncatedUploadIsInvalidArgumentSayingWhy) {
  const std::string credential = Enrol().credential();
  std::string bytes = BatchBytes(ingest::testing::ValidBatch(kNow));
  bytes.resize(bytes.size() - 7);
  const grpc::Status s = SendRaw(channel_, credential, bytes);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT)
      << s.error_message();
  EXPECT_THAT(s.error_message(), HasSubstr("UploadRequest does not parse: "));
  EXPECT_THAT(s.error_message(), HasSubstr("truncated or malformed"));
}

TEST_F(ProbeServiceTest, InvalidUtf8InAStringIsInvalidArgumentNamingIt) {
  const std::string credential = Enrol().credential();
  v6scope::v1::Batch batch = ingest::testing::ValidBatch(kNow);
  // Same length as the bad text, so the bytes can be swapped in place.
  batch.mutable_runs(0)->mutable_tests(0)->set_error_detail("XXXX");
  std::string bytes = BatchBytes(batch);
  const size_t at = bytes.find("XXXX");
  ASSERT_NE(at, std::string::npos);
  bytes.replace(at, 4, "\xc3\x28\xff!");
  const grpc::Status s = SendRaw(channel_, credential, bytes);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT)
      << s.error_message();
  EXPECT_THAT(s.error_message(),
              HasSubstr("batch.runs[0].tests[0].error_detail: invalid UTF-8"));
}

TEST_F(ProbeServiceTest, GarbageUploadIsInvalidArgument) {
  const std::string credential = Enrol().credential();
  const grpc::Status s = SendRaw(channel_, credential, "\xff\xff\xff\xff");
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT)
      << s.error_message();
}

TEST(UploadParseTest, NamesTheStringFieldWithInvalidUtf8) {
  v6scope::v1::UploadRequest request;
  v6scope::v1::Run* run = request.mutable_batch()->add_runs();
  run->add_tests();
  run->add_tests()->add_resolved_addresses("ok");
  run->mutable_tests(1)->add_resolved_addresses("BAD!");
  std::string bytes = request.SerializeAsString();
  bytes.replace(bytes.find("BAD!"), 4, "\x80\x80\x80\x80");
  EXPECT_EQ(WhyUploadUnparseable(bytes),
            "batch.runs[0].tests[1].resolved_addresses[1]: invalid UTF-8");
  EXPECT_EQ(WhyUploadUnparseable("\x0a\x05\x08"),
            "truncated or malformed protobuf data");
}

}  // namespace
}  // namespace v6scope::collector::service
