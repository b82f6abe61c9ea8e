// UplinkWorker: the uplink thread drains the spool when told a run was
// appended, retries per back-off, counts failures, and at Stop abandons a
// call to a black-holed collector after the grace, keeping the run.
#include "probe/uplink/uplink_worker.h"

#include <cstdlib>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "common/metrics/metrics.h"
#include "common/time/clock.h"
#include "gtest/gtest.h"
#include "probe/spool/spool.h"
#include "probe/uplink/backoff.h"
#include "probe/uplink/spool_drainer.h"
#include "probe/uplink/testing/fake_sender.h"

namespace v6scope::probe::uplink {
namespace {

using testing::FakeSender;

// Generous: the worker answers within milliseconds; this only bounds a
// broken test.
constexpr absl::Duration kPatience = absl::Seconds(30);

class UplinkWorkerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    spool::SpoolOptions o;
    const char* tmp = std::getenv("TEST_TMPDIR");
    o.dir = absl::StrCat(
        tmp != nullptr ? tmp : "/tmp", "/worker-",
        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    auto s = spool::Spool::Open(o);
    ASSERT_TRUE(s.ok()) << s.status();
    spool_ = *std::move(s);
    drainer_ = std::make_unique<SpoolDrainer>(spool_.get(), &sender_, &backoff_,
                                              &clock_);
    worker_ = std::make_unique<UplinkWorker>(
        drainer_.get(), &clock_, UplinkWorker::Options(), &registry_);
    worker_->OnProgress([this] {
      absl::MutexLock lock(&mu_);
      ++attempts_;
    });
    worker_->Start();
  }
  void TearDown() override { worker_->Stop(absl::ZeroDuration()); }

  void AppendAndNotify(uint64_t seq) {
    ASSERT_TRUE(spool_->Append(seq, v6scope::v1::Run()).ok());
    worker_->Notify();
  }
  // Re-checked after every attempt (the progress callback takes mu_).
  bool WaitForEmptySpool() {
    absl::MutexLock lock(&mu_);
    auto empty = [&] { return spool_->stats().pending_records == 0; };
    return mu_.AwaitWithTimeout(absl::Condition(&empty), kPatience);
  }
  bool WaitForAttempts(int n) {
    absl::MutexLock lock(&mu_);
    auto done = [&]()
                    ABSL_SHARED_LOCKS_REQUIRED(mu_) { return attempts_ >= n; };
    return mu_.AwaitWithTimeout(absl::Condition(&done), kPatience);
  }
  double Metric(const std::string& name) {
    const std::string text = registry_.Render();
    const size_t at = text.find("\n" + name + " ");
    if (at == std::string::npos) return -1;
    return std::strtod(text.c_str() + at + name.size() + 2, nullptr);
  }

  time::FakeClock clock_{absl::FromUnixSeconds(1'700'000'000)};
  // An hour at least: the worker's real-time waits never run out here,
  // so only the fake clock and Notify() move it.
  Backoff backoff_{absl::Hours(1), absl::Hours(2), [] { return 1.0; }};
  FakeSender sender_;
  metrics::Registry registry_;
  std::unique_ptr<spool::Spool> spool_;
  std::unique_ptr<SpoolDrainer> drainer_;
  std::unique_ptr<UplinkWorker> worker_;
  absl::Mutex mu_;
  int attempts_ ABSL_GUARDED_BY(mu_) = 0;
};

TEST_F(UplinkWorkerTest, DrainsWhatTheMeasuringThreadAppends) {
  AppendAndNotify(1);
  ASSERT_TRUE(sender_.WaitForAcked(1, kPatience));
  AppendAndNotify(2);
  AppendAndNotify(3);
  ASSERT_TRUE(sender_.WaitForAcked(3, kPatience));
  EXPECT_EQ(sender_.acked(), (std::vector<uint64_t>{1, 2, 3}));
  ASSERT_TRUE(WaitForEmptySpool());
  worker_->Stop(absl::Seconds(5));  // Joins: its last metric update is in.
  EXPECT_EQ(Metric("v6scope_probe_last_ack_timestamp_seconds"), 1.7e9);
  EXPECT_EQ(Metric("v6scope_probe_upload_failures_total"), 0);
}

TEST_F(UplinkWorkerTest, RetriesOnlyOnceTheBackOffHasPassed) {
  sender_.SetMode(FakeSender::Mode::kFail);
  AppendAndNotify(1);
  ASSERT_TRUE(WaitForAttempts(1));
  EXPECT_EQ(Metric("v6scope_probe_upload_failures_total"), 1);
  sender_.SetMode(FakeSender::Mode::kAccept);
  AppendAndNotify(2);  // A new run does not cut the back-off short...
  clock_.Advance(absl::Hours(1));
  worker_->Notify();  // ...but its end does.
  ASSERT_TRUE(sender_.WaitForAcked(2, kPatience));
  // One failed call, one that sent both runs: no retry in between.
  ASSERT_EQ(sender_.calls().size(), 2u);
  EXPECT_EQ(sender_.calls()[1].seqs, (std::vector<uint64_t>{1, 2}));
}

TEST_F(UplinkWorkerTest, StopAbandonsABlackHoledCallAfterTheGrace) {
  sender_.SetMode(FakeSender::Mode::kBlackHole);
  AppendAndNotify(1);
  ASSERT_TRUE(sender_.WaitForHeld(kPatience));
  worker_->Stop(absl::Milliseconds(50));  // Returns: the call was cancelled.
  EXPECT_TRUE(sender_.cancelled());
  EXPECT_EQ(spool_->stats().pending_records, 1u);  // Kept for next time.
}

TEST_F(UplinkWorkerTest, StopWhileIdleCancelsNothing) {
  AppendAndNotify(1);
  ASSERT_TRUE(sender_.WaitForAcked(1, kPatience));
  worker_->Stop(absl::Seconds(5));
  EXPECT_FALSE(sender_.cancelled());
}

}  // namespace
}  // namespace v6scope::probe::uplink
