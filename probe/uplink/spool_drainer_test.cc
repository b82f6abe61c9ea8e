// SpoolDrainer on a real spool with a fake sender and a fake clock:
// deletes only what was acknowledged, splits batches at sequence gaps,
// reports quota drops once, and backs off (with the collector's hint as a
// floor) after a failure.
#include "probe/uplink/spool_drainer.h"

#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/fs/files.h"
#include "common/metrics/metrics.h"
#include "common/time/clock.h"
#include "gtest/gtest.h"
#include "probe/spool/quarantine.h"
#include "probe/spool/spool.h"
#include "probe/uplink/backoff.h"
#include "probe/uplink/testing/fake_sender.h"

namespace v6scope::probe::uplink {
namespace {

using testing::FakeSender;
using Seqs = std::vector<uint64_t>;

std::string FreshDir(const std::string& name) {
  static int n = 0;
  const char* tmp = std::getenv("TEST_TMPDIR");
  return absl::StrCat(tmp != nullptr ? tmp : "/tmp", "/drainer-", name, "-",
                      ++n);
}

class SpoolDrainerTest : public ::testing::Test {
 protected:
  void Open(uint64_t max_bytes = 64 << 20, uint64_t segment_bytes = 4 << 20) {
    spool::SpoolOptions o;
    o.dir = FreshDir(
        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    o.max_bytes = max_bytes;
    o.segment_bytes = segment_bytes;
    auto s = spool::Spool::Open(o);
    ASSERT_TRUE(s.ok()) << s.status();
    spool_ = *std::move(s);
    drainer_ = std::make_unique<SpoolDrainer>(spool_.get(), &sender_, &backoff_,
                                              &clock_, options_);
  }
  void Append(uint64_t seq) {
    v6scope::v1::Run run;
    run.set_target_set(std::string(200, 'x'));
    ASSERT_TRUE(spool_->Append(seq, run).ok());
  }
  uint64_t pending() const { return spool_->stats().pending_records; }

  time::FakeClock clock_{absl::FromUnixSeconds(1'700'000'000)};
  double uniform_ = 1.0;  // Top of each back-off window.
  Backoff backoff_{absl::Seconds(1), absl::Seconds(60),
                   [this] { return uniform_; }};
  FakeSender sender_;
  SpoolDrainer::Options options_;
  std::unique_ptr<spool::Spool> spool_;
  std::unique_ptr<SpoolDrainer> drainer_;
};

TEST_F(SpoolDrainerTest, NothingPendingIsOkWithoutACall) {
  Open();
  EXPECT_FALSE(drainer_->has_pending());
  EXPECT_TRUE(drainer_->DrainOnce().ok());
  EXPECT_TRUE(sender_.calls().empty());
}

TEST_F(SpoolDrainerTest, AcknowledgedRunsLeaveTheSpool) {
  Open();
  for (uint64_t s = 1; s <= 5; ++s) Append(s);
  ASSERT_TRUE(drainer_->DrainOnce().ok());
  EXPECT_EQ(sender_.acked(), (Seqs{1, 2, 3, 4, 5}));
  EXPECT_EQ(pending(), 0u);
  EXPECT_EQ(drainer_->next_attempt(), clock_.Now());  // Go on at once.
}

TEST_F(SpoolDrainerTest, BatchesSplitAtSequenceGaps) {
  Open();
  for (uint64_t s : {1, 2, 5, 6, 9}) Append(s);
  ASSERT_TRUE(drainer_->DrainOnce().ok());
  const std::vector<FakeSender::Call> calls = sender_.calls();
  ASSERT_EQ(calls.size(), 3u);
  EXPECT_EQ(calls[0].seqs, (Seqs{1, 2}));
  EXPECT_EQ(calls[1].seqs, (Seqs{5, 6}));
  EXPECT_EQ(calls[2].seqs, (Seqs{9}));
}

TEST_F(SpoolDrainerTest, OneAttemptIsBounded) {
  options_.max_runs_per_attempt = 3;
  Open();
  for (uint64_t s = 1; s <= 7; ++s) Append(s);
  ASSERT_TRUE(drainer_->DrainOnce().ok());
  EXPECT_EQ(sender_.acked(), (Seqs{1, 2, 3}));
  EXPECT_EQ(pending(), 4u);
  EXPECT_TRUE(drainer_->has_pending());
}

TEST_F(SpoolDrainerTest, FailureKeepsTheRunsAndBacksOff) {
  Open();
  Append(1);
  Append(2);
  sender_.SetMode(FakeSender::Mode::kFail);
  const absl::Time t0 = clock_.Now();
  EXPECT_TRUE(absl::IsUnavailable(drainer_->DrainOnce()));
  EXPECT_EQ(pending(), 2u);
  EXPECT_EQ(drainer_->next_attempt(), t0 + absl::Seconds(1));
  EXPECT_FALSE(drainer_->DrainOnce().ok());  // The window doubles.
  EXPECT_EQ(drainer_->next_attempt(), t0 + absl::Seconds(2));
  sender_.SetMode(FakeSender::Mode::kAccept);
  clock_.Advance(absl::Seconds(2));
  ASSERT_TRUE(drainer_->DrainOnce().ok());
  EXPECT_EQ(pending(), 0u);
  sender_.SetMode(FakeSender::Mode::kFail);  // Back to the first window.
  Append(3);
  EXPECT_FALSE(drainer_->DrainOnce().ok());
  EXPECT_EQ(drainer_->next_attempt(), clock_.Now() + absl::Seconds(1));
}

TEST_F(SpoolDrainerTest, CollectorHintIsAFloorOnTheDelay) {
  Open();
  Append(1);
  uniform_ = 0.0;  // Full jitter would retry at once...
  sender_.SetMode(FakeSender::Mode::kFail, absl::ResourceExhaustedError("busy"),
                  absl::Seconds(45));
  EXPECT_FALSE(drainer_->DrainOnce().ok());
  // ...but the collector asked for 45 s.
  EXPECT_EQ(drainer_->next_attempt(), clock_.Now() + absl::Seconds(45));
}

TEST_F(SpoolDrainerTest, QuotaDropsAreReportedOnceWhenAcknowledged) {
  Open(/*max_bytes=*/2048, /*segment_bytes=*/1024);
  for (uint64_t s = 1; s <= 20; ++s) Append(s);
  const uint64_t dropped = spool_->unreported_dropped();
  ASSERT_GT(dropped, 0u);
  sender_.SetMode(FakeSender::Mode::kFail);
  EXPECT_FALSE(drainer_->DrainOnce().ok());
  EXPECT_EQ(sender_.calls().back().dropped_runs, dropped);
  EXPECT_EQ(spool_->unreported_dropped(), dropped);  // Not acknowledged.
  sender_.SetMode(FakeSender::Mode::kAccept);
  clock_.Advance(absl::Minutes(1));
  ASSERT_TRUE(drainer_->DrainOnce().ok());
  EXPECT_EQ(spool_->unreported_dropped(), 0u);
  Append(21);
  ASSERT_TRUE(drainer_->DrainOnce().ok());
  EXPECT_EQ(sender_.calls().back().dropped_runs, 0u);  // Reported once.
}

// Run 3 of 5 refused: 1, 2, 4, 5 are delivered in order, 3 goes to the
// quarantine, leaves the spool counted as dropped and is reported with the
// next batch; the attempt succeeds (nothing waits for a retry).
TEST_F(SpoolDrainerTest, ARefusedRunIsPutAsideAndTheRestGoOn) {
  metrics::Registry registry;
  options_.registry = &registry;
  Open();
  spool::QuarantineOptions qo;
  qo.dir = spool_->dir() + "/quarantine";
  auto quarantine = spool::Quarantine::Open(qo);
  ASSERT_TRUE(quarantine.ok()) << quarantine.status();
  options_.quarantine = quarantine->get();
  drainer_ = std::make_unique<SpoolDrainer>(spool_.get(), &sender_, &backoff_,
                                            &clock_, options_);
  for (uint64_t s = 1; s <= 5; ++s) Append(s);
  sender_.Refuse(3);
  ASSERT_TRUE(drainer_->DrainOnce().ok());
  EXPECT_EQ(sender_.acked(), (Seqs{1, 2, 4, 5}));
  const std::vector<FakeSender::Call> calls = sender_.calls();
  ASSERT_EQ(calls.size(), 3u);
  EXPECT_EQ(calls[0].seqs, (Seqs{1, 2, 3, 4, 5}));  // Refused: runs[2].
  EXPECT_EQ(calls[1].seqs, (Seqs{1, 2}));
  EXPECT_EQ(calls[2].seqs, (Seqs{4, 5}));
  EXPECT_EQ(calls[2].dropped_runs, 1u);  // The collector learns of 3.
  EXPECT_EQ(pending(), 0u);
  EXPECT_EQ(spool_->dropped_records(), 1u);
  EXPECT_EQ(spool_->unreported_dropped(), 0u);
  EXPECT_EQ(drainer_->next_attempt(), clock_.Now());
  const absl::StatusOr<std::string> file =
      fs::ReadFile(qo.dir + "/00000000000000000003.run.txt");
  ASSERT_TRUE(file.ok()) << file.status();
  EXPECT_NE(file->find("# reason: runs[2].tests[0].error_detail"),
            std::string::npos);
  EXPECT_NE(registry.Render().find("v6scope_probe_runs_refused_total 1"),
            std::string::npos)
      << registry.Render();
}

// Without a run named, the batch is narrowed down one run at a time.
TEST_F(SpoolDrainerTest, AnUnnamedRefusalIsNarrowedDownRunByRun) {
  Open();
  for (uint64_t s = 1; s <= 4; ++s) Append(s);
  sender_.Refuse(2, "UploadRequest does not parse: truncated", false);
  sender_.Refuse(4, "UploadRequest does not parse: truncated", false);
  ASSERT_TRUE(drainer_->DrainOnce().ok());
  EXPECT_EQ(sender_.acked(), (Seqs{1, 3}));
  EXPECT_EQ(pending(), 0u);
  EXPECT_EQ(spool_->dropped_records(), 2u);
}

// A refusal of the batch itself, or another final error, blames no run:
// everything stays spooled and the attempt is retried later.
TEST_F(SpoolDrainerTest, BatchRefusalsAndRevocationPutNothingAside) {
  Open();
  for (uint64_t s = 1; s <= 3; ++s) Append(s);
  sender_.SetMode(
      FakeSender::Mode::kFail,
      absl::InvalidArgumentError("dropped_runs: implausibly large"));
  EXPECT_TRUE(absl::IsInvalidArgument(drainer_->DrainOnce()));
  EXPECT_EQ(pending(), 3u);
  sender_.SetMode(FakeSender::Mode::kFail,
                  absl::UnauthenticatedError("probe p1 has been revoked"));
  EXPECT_TRUE(absl::IsUnauthenticated(drainer_->DrainOnce()));
  EXPECT_EQ(pending(), 3u);
  EXPECT_EQ(spool_->dropped_records(), 0u);
  EXPECT_GT(drainer_->next_attempt(), clock_.Now());
}

TEST_F(SpoolDrainerTest, CancelMakesTheNextAttemptFail) {
  Open();
  Append(1);
  drainer_->Cancel();
  EXPECT_TRUE(absl::IsCancelled(drainer_->DrainOnce()));
  EXPECT_EQ(pending(), 1u);  // Stays spooled for the next start.
}

}  // namespace
}  // namespace v6scope::probe::uplink
