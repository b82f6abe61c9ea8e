// CollectorClient against an in-process fake ProbeService: enrolment,
// batching and acknowledgements, the collector's back-off, its errors, a
// black-holed collector (deadline) and cancellation from another thread.
#include "probe/uplink/collector_client.h"

#include <memory>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "common/rpc/channel.h"
#include "gtest/gtest.h"
#include "probe/uplink/testing/fake_probe_service.h"

namespace v6scope::probe::uplink {
namespace {

using testing::FakeProbeService;

std::vector<v6scope::v1::Run> Runs(size_t n) {
  return std::vector<v6scope::v1::Run>(n);
}

class CollectorClientTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto fake = FakeProbeService::Start();
    ASSERT_TRUE(fake.ok()) << fake.status();
    fake_ = *std::move(fake);
    auto channel = rpc::MakeChannel(fake_->address(), rpc::ChannelOptions());
    ASSERT_TRUE(channel.ok()) << channel.status();
    channel_ = *std::move(channel);
  }

  std::unique_ptr<FakeProbeService> fake_;
  std::shared_ptr<grpc::Channel> channel_;
};

TEST_F(CollectorClientTest, EnrolReturnsIdentityAndSchedule) {
  CollectorClient client(channel_, absl::Seconds(10));
  auto resp = client.Enrol("et-good", "test");
  ASSERT_TRUE(resp.ok()) << resp.status();
  EXPECT_EQ(resp->probe_id(), "p-fake");
  EXPECT_EQ(resp->schedule().interval_seconds(), 600u);
  EXPECT_TRUE(absl::IsUnauthenticated(client.Enrol("et-bad", "t").status()));
}

TEST_F(CollectorClientTest, UploadSendsBatchesAndReturnsTheAcks) {
  fake_->SetLastStoredSeq(9);
  CollectorClient client(channel_, absl::Seconds(10));
  // 450 runs: three batches (200, 200, 50) on one stream.
  auto r = client.Upload("p-fake.secret", 10, Runs(450), /*dropped_runs=*/3);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->last_stored_seq_before, 9u);
  EXPECT_EQ(r->acked_through, 459u);
  EXPECT_EQ(r->stored, 450u);
  EXPECT_EQ(fake_->stored_seqs().size(), 450u);
  EXPECT_EQ(fake_->dropped_reported(), 3u);  // Once, with the first batch.
  EXPECT_EQ(fake_->upload_calls(), 1);
  EXPECT_EQ(fake_->last_authorization(), "Bearer p-fake.secret");
  EXPECT_EQ(client.back_off_hint(), absl::ZeroDuration());
}

TEST_F(CollectorClientTest, DuplicatesAreAcknowledgedButNotStored) {
  fake_->SetLastStoredSeq(5);
  CollectorClient client(channel_, absl::Seconds(10));
  auto r = client.Upload("c", 4, Runs(4));  // 4..7: 4 and 5 are known.
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->acked_through, 7u);
  EXPECT_EQ(r->stored, 2u);
}

TEST_F(CollectorClientTest, CollectorErrorsComeBackAsTheyAre) {
  fake_->SetMode(FakeProbeService::Mode::kFail,
                 absl::UnauthenticatedError("probe revoked"));
  CollectorClient client(channel_, absl::Seconds(10));
  absl::Status s = client.Upload("c", 1, Runs(1)).status();
  EXPECT_TRUE(absl::IsUnauthenticated(s)) << s;
  EXPECT_NE(s.message().find("revoked"), absl::string_view::npos);
}

TEST_F(CollectorClientTest, BackOffIsAnErrorWithAHint) {
  fake_->SetMode(FakeProbeService::Mode::kBackOff,
                 absl::ResourceExhaustedError("busy"), 42);
  CollectorClient client(channel_, absl::Seconds(10));
  absl::Status s = client.Upload("c", 1, Runs(2)).status();
  EXPECT_TRUE(absl::IsResourceExhausted(s)) << s;
  EXPECT_EQ(client.back_off_hint(), absl::Seconds(42));
  EXPECT_TRUE(fake_->stored_seqs().empty());
}

TEST_F(CollectorClientTest, BlackHoledCollectorEndsAtTheCallTimeout) {
  fake_->SetMode(FakeProbeService::Mode::kBlackHole);
  CollectorClient client(channel_, absl::Milliseconds(200));
  absl::Status s = client.Upload("c", 1, Runs(1)).status();
  EXPECT_TRUE(absl::IsDeadlineExceeded(s)) << s;
}

TEST_F(CollectorClientTest, CancelFromAnotherThreadEndsAHeldCall) {
  fake_->SetMode(FakeProbeService::Mode::kBlackHole);
  // A call timeout far beyond the test's: only the cancel can end it.
  CollectorClient client(channel_, absl::Hours(1));
  absl::Status s;
  std::thread uploader([&] { s = client.Upload("c", 1, Runs(1)).status(); });
  ASSERT_TRUE(fake_->WaitForHeldCall(absl::Seconds(30)));
  client.Cancel();
  uploader.join();
  EXPECT_TRUE(absl::IsCancelled(s)) << s;
  // Cancelled for good: the next call fails at once.
  EXPECT_TRUE(absl::IsCancelled(client.Upload("c", 1, Runs(1)).status()));
  EXPECT_EQ(fake_->upload_calls(), 1);
}

}  // namespace
}  // namespace v6scope::probe::uplink
