// The Upload stream's campaign exchanges over a real gRPC listener
// (127.0.0.1, port 0): WorkPoll -> WorkOffer, DomainBatch -> DomainAck
// (with cancelled), back-off and refusals, the Welcome's domain sequence,
// and a collector without campaign work. Runs and enrolment on a SQLite
// store; campaign work on the in-memory fakes.
#include <unistd.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "collector/campaign/assignment_planner.h"
#include "collector/campaign/testing/fake_work_store.h"
#include "collector/ingest/ingest_writer.h"
#include "collector/ingest/pipeline.h"
#include "collector/service/probe_service.h"
#include "collector/service/testing/fake_readiness_ingest.h"
#include "collector/store/sqlite/sqlite_store.h"
#include "common/crypto/secrets.h"
#include "common/time/clock.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/security/server_credentials.h"
#include "grpcpp/server_builder.h"
#include "gtest/gtest.h"

namespace v6scope::collector::service {
namespace {

using v6scope::v1::UploadRequest;
using v6scope::v1::UploadResponse;

const absl::Time kNow = absl::FromUnixSeconds(1'750'000'000);
constexpr char kToken[] = "enrolment-token-1";

class CampaignStreamTest : public ::testing::Test {
 protected:
  void Start(bool with_campaigns) {
    auto store = store::sqlite::SqliteStore::Open(
        absl::StrCat(::testing::TempDir(), "/campaign-stream-", getpid(), "-",
                     counter_++, ".db"));
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = *std::move(store);
    ASSERT_TRUE(store_
                    ->AddEnrolmentToken({crypto::Sha256Hex(kToken), "org", kNow,
                                         kNow + absl::Hours(1)})
                    .ok());
    writer_ = std::make_unique<ingest::IngestWriter>(store_.get());
    pipeline_ = std::make_unique<ingest::IngestPipeline>(
        writer_.get(), &clock_, ingest::IngestLimits());
    CampaignWork work;
    if (with_campaigns) {
      work.planner = &planner_;
      work.ingest = &ingest_;
      work.readiness = &work_;
    }
    v6scope::v1::Schedule schedule;
    schedule.set_interval_seconds(600);
    service_ = std::make_unique<ProbeServiceImpl>(store_.get(), pipeline_.get(),
                                                  &clock_, schedule, nullptr,
                                                  UploadStreamLimits(), work);
    grpc::ServerBuilder builder;
    int port = 0;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(),
                             &port);
    builder.RegisterService(service_.get());
    server_ = builder.BuildAndStart();
    ASSERT_NE(server_, nullptr);
    stub_ = v6scope::v1::ProbeService::NewStub(grpc::CreateChannel(
        absl::StrCat("127.0.0.1:", port), grpc::InsecureChannelCredentials()));
    Enrol();
  }

  void TearDown() override {
    if (server_ != nullptr) server_->Shutdown();
    writer_.reset();
    server_.reset();
    service_.reset();
  }

  void Enrol() {
    grpc::ClientContext context;
    v6scope::v1::EnrolRequest request;
    request.set_token(kToken);
    v6scope::v1::EnrolResponse response;
    ASSERT_TRUE(stub_->Enrol(&context, request, &response).ok());
    probe_id_ = response.probe_id();
    credential_ = response.credential();
    campaign::ProbeVantage v;
    v.probe_id = probe_id_;
    work_.AddVantage(v);
  }

  void AddCampaign(const std::string& id, int names) {
    v6scope::v1::Campaign c;
    c.set_id(id);
    c.set_state(v6scope::v1::CAMPAIGN_ACTIVE);
    c.mutable_created_at()->set_seconds(absl::ToUnixSeconds(kNow));
    c.mutable_budget()->set_domains_per_day(2000);
    c.mutable_list()->set_names(names);
    c.mutable_selector()->add_probe_ids(probe_id_);
    std::vector<campaign::DomainEntry> list;
    for (int i = 0; i < names; ++i) {
      list.push_back({absl::StrCat("d", i, ".example"),
                      campaign::Sector::kGovernment, i + 1});
    }
    work_.AddCampaign(c, list);
  }

  struct Stream {
    grpc::ClientContext context;
    std::unique_ptr<grpc::ClientReaderWriter<UploadRequest, UploadResponse>> rw;
    UploadResponse welcome;

    UploadResponse Exchange(const UploadRequest& request) {
      UploadResponse response;
      if (!rw->Write(request) || !rw->Read(&response)) response.Clear();
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

  std::unique_ptr<Stream> Open() {
    auto stream = std::make_unique<Stream>();
    stream->context.AddMetadata("authorization",
                                absl::StrCat("Bearer ", credential_));
    stream->rw = stub_->Upload(&stream->context);
    stream->rw->Read(&stream->welcome);
    return stream;
  }

  static UploadRequest PollRequest(uint32_t free_slots) {
    UploadRequest r;
    r.mutable_work_poll()->set_free_slots(free_slots);
    return r;
  }

  static UploadRequest Results(const std::string& assignment_id,
                               uint64_t first_seq, int n) {
    UploadRequest r;
    r.mutable_domain_batch()->set_first_seq(first_seq);
    for (int i = 0; i < n; ++i) {
      v6scope::v1::DomainResult* d = r.mutable_domain_batch()->add_results();
      d->set_assignment_id(assignment_id);
      d->set_item(i);
      d->mutable_check()->set_domain(absl::StrCat("d", i, ".example"));
    }
    return r;
  }

  static int counter_;
  time::FakeClock clock_{kNow};
  campaign::testing::FakeWorkStore work_;
  campaign::AssignmentPlanner planner_{&work_, &work_, &clock_,
                                       campaign::RandomAssignmentId};
  testing::FakeReadinessIngest ingest_{&work_};
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<ingest::IngestWriter> writer_;
  std::unique_ptr<ingest::IngestPipeline> pipeline_;
  std::unique_ptr<ProbeServiceImpl> service_;
  std::unique_ptr<grpc::Server> server_;
  std::unique_ptr<v6scope::v1::ProbeService::Stub> stub_;
  std::string probe_id_;
  std::string credential_;
};

int CampaignStreamTest::counter_ = 0;

TEST_F(CampaignStreamTest, WelcomeCarriesTheLastStoredDomainSeq) {
  Start(true);
  work_.SetLastDomainSeq(probe_id_, 41);
  auto stream = Open();
  EXPECT_EQ(stream->welcome.welcome().last_stored_domain_seq(), 41u);
  EXPECT_TRUE(stream->Close().ok());
}

TEST_F(CampaignStreamTest, PollGetsAnOfferThenResultsGetAnAck) {
  Start(true);
  AddCampaign("c-1", 5);
  auto stream = Open();
  const UploadResponse offer = stream->Exchange(PollRequest(4));
  ASSERT_TRUE(offer.has_work_offer()) << offer.DebugString();
  ASSERT_EQ(offer.work_offer().assignments_size(), 1);
  const v6scope::v1::Assignment& a = offer.work_offer().assignments(0);
  EXPECT_EQ(a.domains_size(), 5);
  EXPECT_EQ(offer.work_offer().poll_after_seconds(), 300u);
  const UploadResponse ack = stream->Exchange(Results(a.assignment_id(), 1, 3));
  ASSERT_TRUE(ack.has_domain_ack()) << ack.DebugString();
  EXPECT_EQ(ack.domain_ack().first_seq(), 1u);
  EXPECT_EQ(ack.domain_ack().last_seq(), 3u);
  EXPECT_EQ(ack.domain_ack().stored(), 3u);
  EXPECT_EQ(ack.domain_ack().cancelled_size(), 0);
  EXPECT_TRUE(stream->Close().ok());
  EXPECT_EQ(*work_.LastStoredDomainSeq(probe_id_), 3u);
}

TEST_F(CampaignStreamTest, EachRequestGetsItsReplyInOrder) {
  Start(true);
  AddCampaign("c-1", 5);
  auto stream = Open();
  const UploadResponse offer = stream->Exchange(PollRequest(1));
  ASSERT_TRUE(offer.has_work_offer());
  const std::string id = offer.work_offer().assignments(0).assignment_id();
  ASSERT_TRUE(stream->rw->Write(Results(id, 1, 2)));
  ASSERT_TRUE(stream->rw->Write(PollRequest(0)));
  UploadResponse first, second;
  ASSERT_TRUE(stream->rw->Read(&first));
  ASSERT_TRUE(stream->rw->Read(&second));
  EXPECT_TRUE(first.has_domain_ack());
  EXPECT_TRUE(second.has_work_offer());
  EXPECT_TRUE(stream->Close().ok());
}

TEST_F(CampaignStreamTest, TheAckNamesAssignmentsOfAPausedCampaign) {
  Start(true);
  AddCampaign("c-1", 5);
  auto stream = Open();
  const UploadResponse offer = stream->Exchange(PollRequest(1));
  const std::string id = offer.work_offer().assignments(0).assignment_id();
  ASSERT_TRUE(work_.SetCampaignState("c-1", v6scope::v1::CAMPAIGN_PAUSED).ok());
  const UploadResponse ack = stream->Exchange(Results(id, 1, 2));
  ASSERT_TRUE(ack.has_domain_ack());
  EXPECT_EQ(ack.domain_ack().stored(), 2u);  // Kept all the same.
  ASSERT_EQ(ack.domain_ack().cancelled_size(), 1);
  EXPECT_EQ(ack.domain_ack().cancelled(0), id);
  EXPECT_TRUE(stream->Close().ok());
}

TEST_F(CampaignStreamTest, ABusyIngestBacksTheProbeOff) {
  Start(true);
  ingest_.RefuseWith(absl::ResourceExhaustedError("readiness queue full"));
  auto stream = Open();
  const UploadResponse reply = stream->Exchange(Results("a-1", 1, 1));
  EXPECT_TRUE(reply.has_back_off()) << reply.DebugString();
  EXPECT_EQ(stream->Close().error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
}

TEST_F(CampaignStreamTest, AnInvalidBatchEndsTheStreamNamingTheField) {
  Start(true);
  ingest_.RefuseWith(
      absl::InvalidArgumentError("results[0].check.domain: not a host name"));
  auto stream = Open();
  stream->rw->Write(Results("a-1", 1, 1));
  const grpc::Status s = stream->Close();
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_TRUE(absl::StrContains(s.error_message(), "results[0].check.domain"));
}

TEST_F(CampaignStreamTest, AStoreFailureInThePlannerIsUnavailable) {
  Start(true);
  auto stream = Open();
  work_.FailWith(absl::InternalError("SELECT went wrong"));
  stream->rw->Write(PollRequest(1));
  const grpc::Status s = stream->Close();
  EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_TRUE(absl::StrContains(s.error_message(), "error id"));
  EXPECT_FALSE(absl::StrContains(s.error_message(), "SELECT"));
}

TEST_F(CampaignStreamTest, ABadPollIsInvalidArgument) {
  Start(true);
  auto stream = Open();
  stream->rw->Write(PollRequest(9));
  const grpc::Status s = stream->Close();
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_TRUE(absl::StrContains(s.error_message(), "free_slots"));
}

TEST_F(CampaignStreamTest, WithoutCampaignWorkPollsWaitADayAndResultsFail) {
  Start(false);
  AddCampaign("c-1", 5);
  auto stream = Open();
  EXPECT_EQ(stream->welcome.welcome().last_stored_domain_seq(), 0u);
  const UploadResponse offer = stream->Exchange(PollRequest(4));
  ASSERT_TRUE(offer.has_work_offer());
  EXPECT_EQ(offer.work_offer().assignments_size(), 0);
  EXPECT_EQ(offer.work_offer().poll_after_seconds(), 86400u);
  stream->rw->Write(Results("a-1", 1, 1));
  const grpc::Status s = stream->Close();
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(s.error_message(), "this collector takes no campaign results");
}

}  // namespace
}  // namespace v6scope::collector::service
