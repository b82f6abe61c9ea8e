// Uplink against in-process fake collectors: failover in the configured
// order, final errors that stop it, the largest back-off hint, a
// black-holed collector (timeout, then the next one), and Cancel.
#include "probe/uplink/uplink.h"

#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "gtest/gtest.h"
#include "probe/uplink/testing/fake_probe_service.h"

namespace v6scope::probe::uplink {
namespace {

using testing::FakeProbeService;
using Mode = FakeProbeService::Mode;

std::vector<v6scope::v1::Run> Runs(size_t n) {
  return std::vector<v6scope::v1::Run>(n);
}

class UplinkTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const char* name : {"a", "b", "c"}) {
      auto fake = FakeProbeService::Start(name);
      ASSERT_TRUE(fake.ok()) << fake.status();
      fakes_.push_back(*std::move(fake));
    }
  }
  std::vector<std::string> Addresses() const {
    std::vector<std::string> out;
    for (const auto& f : fakes_) out.push_back(f->address());
    return out;
  }
  std::unique_ptr<Uplink> MakeUplink(
      absl::Duration timeout = absl::Seconds(10)) {
    return std::make_unique<Uplink>(Addresses(), rpc::ChannelOptions(),
                                    "p.secret", timeout);
  }

  std::vector<std::unique_ptr<FakeProbeService>> fakes_;
};

TEST_F(UplinkTest, TheFirstCollectorThatAnswersGetsTheRuns) {
  auto uplink = MakeUplink();
  auto r = uplink->Send(1, Runs(3));
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->acked_through, 3u);
  EXPECT_EQ(fakes_[0]->stored_seqs().size(), 3u);
  EXPECT_EQ(fakes_[1]->upload_calls(), 0);
  EXPECT_EQ(fakes_[2]->upload_calls(), 0);
}

TEST_F(UplinkTest, RetryableErrorsFailOverInOrder) {
  fakes_[0]->SetMode(Mode::kFail, absl::UnavailableError("down"));
  fakes_[1]->SetMode(Mode::kFail, absl::InternalError("broken"));
  auto uplink = MakeUplink();
  auto r = uplink->Send(1, Runs(2));
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(fakes_[0]->upload_calls(), 1);
  EXPECT_EQ(fakes_[1]->upload_calls(), 1);
  EXPECT_EQ(fakes_[2]->stored_seqs(), (std::vector<uint64_t>{1, 2}));
}

TEST_F(UplinkTest, AllDownReturnsTheLastError) {
  for (auto& f : fakes_) f->SetMode(Mode::kFail, absl::UnavailableError("x"));
  fakes_[2]->SetMode(Mode::kFail, absl::AbortedError("last"));
  auto uplink = MakeUplink();
  absl::Status s = uplink->Send(1, Runs(1)).status();
  EXPECT_TRUE(absl::IsAborted(s)) << s;
  for (auto& f : fakes_) EXPECT_EQ(f->upload_calls(), 1);
}

TEST_F(UplinkTest, FinalErrorsDoNotFailOver) {
  const absl::Status finals[] = {
      absl::UnauthenticatedError("revoked"),
      absl::PermissionDeniedError("no"),
      absl::InvalidArgumentError("bad batch"),
      absl::FailedPreconditionError("gap"),
  };
  for (const absl::Status& final_status : finals) {
    fakes_[0]->SetMode(Mode::kFail, final_status);
    auto uplink = MakeUplink();
    absl::Status s = uplink->Send(1, Runs(1)).status();
    EXPECT_EQ(s.code(), final_status.code()) << s;
  }
  EXPECT_EQ(fakes_[1]->upload_calls(), 0);  // Never asked: it would agree.
}

TEST_F(UplinkTest, BackOffHintIsTheLargestAskedFor) {
  fakes_[0]->SetMode(Mode::kBackOff, absl::ResourceExhaustedError("busy"), 30);
  fakes_[1]->SetMode(Mode::kBackOff, absl::ResourceExhaustedError("busy"), 90);
  fakes_[2]->SetMode(Mode::kBackOff, absl::ResourceExhaustedError("busy"), 10);
  auto uplink = MakeUplink();
  EXPECT_TRUE(absl::IsResourceExhausted(uplink->Send(1, Runs(1)).status()));
  EXPECT_EQ(uplink->back_off_hint(), absl::Seconds(90));
  // The next Send starts from no hint.
  for (auto& f : fakes_) f->SetMode(Mode::kAccept);
  ASSERT_TRUE(uplink->Send(1, Runs(1)).ok());
  EXPECT_EQ(uplink->back_off_hint(), absl::ZeroDuration());
}

TEST_F(UplinkTest, BlackHoledCollectorTimesOutThenTheNextOneServes) {
  fakes_[0]->SetMode(Mode::kBlackHole);
  auto uplink = MakeUplink(absl::Milliseconds(300));
  auto r = uplink->Send(1, Runs(1));
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(fakes_[1]->stored_seqs(), (std::vector<uint64_t>{1}));
}

TEST_F(UplinkTest, UnreachableCollectorFailsOver) {
  // A port nothing listens on: the fake's, after it is gone.
  const std::string gone = fakes_[0]->address();
  fakes_[0].reset();
  Uplink uplink({gone, fakes_[1]->address()}, rpc::ChannelOptions(), "p.s",
                absl::Seconds(10));
  ASSERT_TRUE(uplink.Send(1, Runs(1)).ok());
  EXPECT_EQ(fakes_[1]->stored_seqs().size(), 1u);
}

TEST_F(UplinkTest, CancelAbandonsTheCallInFlightAndLaterOnes) {
  fakes_[0]->SetMode(Mode::kBlackHole);
  auto uplink = MakeUplink(absl::Hours(1));
  absl::Status s;
  std::thread sender([&] { s = uplink->Send(1, Runs(1)).status(); });
  ASSERT_TRUE(fakes_[0]->WaitForHeldCall(absl::Seconds(30)));
  uplink->Cancel();
  sender.join();
  EXPECT_TRUE(absl::IsCancelled(s)) << s;
  EXPECT_EQ(fakes_[1]->upload_calls(), 0);  // Cancelled is final.
  EXPECT_TRUE(absl::IsCancelled(uplink->Send(1, Runs(1)).status()));
}

TEST(UplinkNoCollectorTest, NoCollectorIsFinal) {
  Uplink uplink({}, rpc::ChannelOptions(), "p.s");
  EXPECT_TRUE(absl::IsFailedPrecondition(uplink.Send(1, Runs(1)).status()));
}

}  // namespace
}  // namespace v6scope::probe::uplink
