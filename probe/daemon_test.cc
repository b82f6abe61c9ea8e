// The daemon with a fake clock, a fake suite and a fake collector link:
// runs start on schedule even while the collector never answers; the
// final drain ends when the spool is empty or at its deadline; a signal
// stops the schedule and the daemon exits cleanly. Time moves only when
// the daemon waits (FakeWaiter), so nothing here sleeps.
#include "probe/daemon.h"

#include <cstdlib>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "common/metrics/metrics.h"
#include "common/time/clock.h"
#include "gtest/gtest.h"
#include "probe/campaign/pausable.h"
#include "probe/spool/spool.h"
#include "probe/state/probe_state.h"
#include "probe/suite/suite.h"
#include "probe/uplink/backoff.h"
#include "probe/uplink/spool_drainer.h"
#include "probe/uplink/testing/fake_sender.h"
#include "probe/uplink/uplink_worker.h"
#include "probe/waiter.h"

namespace v6scope::probe {
namespace {

using uplink::testing::FakeSender;

const absl::Time kStart = absl::FromUnixSeconds(1'700'000'000);

// Waiting moves the fake clock straight to the deadline, unless a wake-up
// is pending or the scripted signal comes first. Without a deadline (an
// endless final drain) it blocks until the uplink thread wakes it.
class FakeWaiter : public Waiter {
 public:
  explicit FakeWaiter(time::FakeClock* clock) : clock_(clock) {}

  void SignalAt(absl::Time at) { signal_at_ = at; }
  // Called as each wait starts: what the event loop would dispatch then.
  std::function<void()> on_wait;

  Result WaitUntil(absl::Time deadline) override {
    if (on_wait) on_wait();
    absl::MutexLock lock(&mu_);
    if (!signal_.empty()) return Result::kSignal;
    if (woken_) {
      woken_ = false;
      return Result::kWoken;
    }
    if (signal_at_ != absl::InfiniteFuture() && signal_at_ <= deadline) {
      clock_->Set(std::max(clock_->Now(), signal_at_));
      signal_ = "SIGTERM";
      return Result::kSignal;
    }
    if (deadline == absl::InfiniteFuture()) {
      // Bounded only so that a broken daemon fails instead of hanging.
      EXPECT_TRUE(
          mu_.AwaitWithTimeout(absl::Condition(&woken_), absl::Seconds(60)));
      woken_ = false;
      return Result::kWoken;
    }
    clock_->Set(std::max(clock_->Now(), deadline));
    return Result::kDeadline;
  }
  void Wake() override {
    absl::MutexLock lock(&mu_);
    woken_ = true;
  }
  std::string signal() const override {
    absl::MutexLock lock(&mu_);
    return signal_;
  }

 private:
  time::FakeClock* const clock_;
  absl::Time signal_at_ = absl::InfiniteFuture();
  mutable absl::Mutex mu_;
  bool woken_ ABSL_GUARDED_BY(mu_) = false;
  std::string signal_ ABSL_GUARDED_BY(mu_);
};

// Records when each run starts; each run takes `run_time` of fake time.
// `before_run` (optional) is called as each run starts.
class FakeSuite : public suite::Suite {
 public:
  FakeSuite(time::FakeClock* clock, absl::Duration run_time)
      : clock_(clock), run_time_(run_time) {}
  std::function<void()> before_run;
  absl::StatusOr<v6scope::v1::Run> RunOnce() override {
    if (before_run) before_run();
    starts_.push_back(clock_->Now());
    clock_->Advance(run_time_);
    v6scope::v1::Run run;
    v6scope::v1::TestResult* t = run.add_tests();
    t->set_kind(v6scope::v1::HTTP_V6_ONLY);
    t->set_outcome(v6scope::v1::OK);
    return run;
  }
  const std::vector<absl::Time>& starts() const { return starts_; }

 private:
  time::FakeClock* const clock_;
  const absl::Duration run_time_;
  std::vector<absl::Time> starts_;
};

// Campaign checks as the event loop would run them: each wait of the
// daemon is one dispatch, which finishes the checks in flight and, unless
// paused, starts `per_dispatch` new ones. `stuck`: checks never finish.
class FakeCampaign : public campaign::Pausable {
 public:
  void Pause(std::function<void()> on_idle) override {
    paused_ = true;
    on_idle_ = std::move(on_idle);
    events.push_back("pause");
  }
  void Resume() override {
    paused_ = false;
    events.push_back("resume");
  }
  bool Idle() const override { return in_flight_ == 0; }

  void Dispatch() {
    if (!stuck && in_flight_ > 0) {
      finished += in_flight_;
      in_flight_ = 0;
      if (paused_ && on_idle_) on_idle_();
    }
    if (!paused_) {
      in_flight_ += per_dispatch;
      started += per_dispatch;
    }
  }
  bool paused() const { return paused_; }
  int in_flight() const { return in_flight_; }
  void set_in_flight(int n) { in_flight_ = n; }

  int per_dispatch = 2;
  bool stuck = false;
  int started = 0;
  int finished = 0;
  std::vector<std::string> events;

 private:
  bool paused_ = false;
  int in_flight_ = 0;
  std::function<void()> on_idle_;
};

class DaemonTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* tmp = std::getenv("TEST_TMPDIR");
    const std::string dir = absl::StrCat(
        tmp != nullptr ? tmp : "/tmp", "/daemon-",
        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    auto state = state::ProbeState::Open(dir);
    ASSERT_TRUE(state.ok()) << state.status();
    state_ = std::make_unique<state::ProbeState>(*std::move(state));
    spool::SpoolOptions o;
    o.dir = dir + "/spool";
    auto spool = spool::Spool::Open(o);
    ASSERT_TRUE(spool.ok()) << spool.status();
    spool_ = *std::move(spool);
    drainer_ = std::make_unique<uplink::SpoolDrainer>(spool_.get(), &sender_,
                                                      &backoff_, &clock_);
    worker_ = std::make_unique<uplink::UplinkWorker>(
        drainer_.get(), &clock_, uplink::UplinkWorker::Options(), &registry_);
  }

  absl::Status RunDaemon(DaemonOptions options,
                         campaign::Pausable* campaign = nullptr) {
    DaemonDeps deps;
    deps.campaign = campaign;
    deps.suite = &suite_;
    deps.spool = spool_.get();
    deps.state = state_.get();
    deps.uplink = worker_.get();
    deps.waiter = &waiter_;
    deps.registry = &registry_;
    deps.clock = &clock_;
    deps.uniform = [this] {
      const double u = offsets_[next_offset_ % offsets_.size()];
      ++next_offset_;
      return u;
    };
    return Daemon(options, std::move(deps)).Run();
  }
  uint64_t pending() const { return spool_->stats().pending_records; }

  time::FakeClock clock_{kStart};
  FakeWaiter waiter_{&clock_};
  FakeSuite suite_{&clock_, absl::Seconds(30)};
  FakeSender sender_;
  // An hour at least: the uplink thread's real waits never run out here.
  uplink::Backoff backoff_{absl::Hours(1), absl::Hours(2), [] { return 1.0; }};
  std::vector<double> offsets_ = {0.5, 0.25, 0.0, 0.75};
  size_t next_offset_ = 0;
  std::unique_ptr<state::ProbeState> state_;
  std::unique_ptr<spool::Spool> spool_;
  std::unique_ptr<uplink::SpoolDrainer> drainer_;
  // After spool_: its scrapes read the spool (see DaemonDeps::registry).
  metrics::Registry registry_;
  std::unique_ptr<uplink::UplinkWorker> worker_;
};

TEST_F(DaemonTest, CollectorBlackHoledRunsStillStartOnSchedule) {
  sender_.SetMode(FakeSender::Mode::kBlackHole);
  DaemonOptions o;
  o.interval = absl::Minutes(10);
  o.spread = absl::Minutes(2);
  o.max_runs = 5;
  o.final_drain = absl::Minutes(1);
  o.shutdown_grace = absl::ZeroDuration();
  // From the second run on, the uplink thread is stuck in a call that
  // never returns: the runs must start on time all the same.
  suite_.before_run = [this] {
    if (!suite_.starts().empty()) {
      ASSERT_TRUE(sender_.WaitForHeld(absl::Seconds(60)));
    }
  };
  ASSERT_TRUE(RunDaemon(o).ok());
  // Slot k at k * 10 min, plus spread * the k-th offset after the first.
  const std::vector<absl::Time> want = {
      kStart,
      kStart + absl::Minutes(10) + absl::Seconds(60),  // 0.5 * 2 min
      kStart + absl::Minutes(20) + absl::Seconds(30),  // 0.25
      kStart + absl::Minutes(30),                      // 0.0
      kStart + absl::Minutes(40) + absl::Seconds(90),  // 0.75
  };
  EXPECT_EQ(suite_.starts(), want);
  // The uplink was stuck in its first call the whole time...
  EXPECT_EQ(sender_.calls().size(), 1u);
  // ...was abandoned at the stop, and every run is still spooled.
  EXPECT_TRUE(sender_.cancelled());
  EXPECT_EQ(pending(), 5u);
  // The final drain lasted its minute after the last run's end.
  EXPECT_EQ(clock_.Now(), want.back() + absl::Seconds(30) + absl::Minutes(1));
}

TEST_F(DaemonTest, FinalDrainEndsWhenTheSpoolIsEmpty) {
  DaemonOptions o;
  o.interval = absl::Minutes(1);
  o.spread = absl::ZeroDuration();
  o.max_runs = 3;
  o.final_drain = absl::InfiniteDuration();  // Only an empty spool ends it.
  ASSERT_TRUE(RunDaemon(o).ok());
  EXPECT_EQ(suite_.starts().size(), 3u);
  EXPECT_EQ(sender_.acked(), (std::vector<uint64_t>{1, 2, 3}));
  EXPECT_EQ(pending(), 0u);
  EXPECT_FALSE(sender_.cancelled());
}

TEST_F(DaemonTest, FinalDrainGivesUpAtItsDeadline) {
  sender_.SetMode(FakeSender::Mode::kFail);  // Collector down.
  DaemonOptions o;
  o.interval = absl::Minutes(1);
  o.spread = absl::ZeroDuration();
  o.max_runs = 2;
  o.final_drain = absl::Seconds(45);
  ASSERT_TRUE(RunDaemon(o).ok());
  EXPECT_EQ(pending(), 2u);  // Kept for the next start.
  EXPECT_EQ(clock_.Now(),
            kStart + absl::Minutes(1) + absl::Seconds(30) + absl::Seconds(45));
}

TEST_F(DaemonTest, SignalStopsTheScheduleAndTheDaemonExitsCleanly) {
  DaemonOptions o;
  o.interval = absl::Minutes(10);
  o.spread = absl::ZeroDuration();
  o.max_runs = 0;  // Until a signal.
  waiter_.SignalAt(kStart + absl::Minutes(25));
  ASSERT_TRUE(RunDaemon(o).ok());
  const std::vector<absl::Time> want = {kStart, kStart + absl::Minutes(10),
                                        kStart + absl::Minutes(20)};
  EXPECT_EQ(suite_.starts(), want);
  EXPECT_EQ(clock_.Now(), kStart + absl::Minutes(25));
  const std::string metrics = registry_.Render();
  EXPECT_NE(metrics.find("\nv6scope_probe_runs_total 3\n"), std::string::npos)
      << metrics;
  EXPECT_NE(metrics.find("v6scope_probe_tests_total{kind=\"HTTP_V6_ONLY\","
                         "outcome=\"OK\"} 3"),
            std::string::npos)
      << metrics;
  EXPECT_NE(metrics.find("\nv6scope_probe_spool_pending_runs "),
            std::string::npos)
      << metrics;
}

TEST_F(DaemonTest, AnOverrunningRunPushesTheNextOneBack) {
  FakeSuite slow(&clock_, absl::Minutes(15));  // Longer than the interval.
  DaemonDeps deps;
  deps.suite = &slow;
  deps.spool = spool_.get();
  deps.state = state_.get();
  deps.uplink = worker_.get();
  deps.waiter = &waiter_;
  deps.clock = &clock_;
  deps.uniform = [] { return 0.0; };
  DaemonOptions o;
  o.interval = absl::Minutes(10);
  o.max_runs = 3;
  o.final_drain = absl::InfiniteDuration();
  ASSERT_TRUE(Daemon(o, std::move(deps)).Run().ok());
  const std::vector<absl::Time> want = {kStart, kStart + absl::Minutes(15),
                                        kStart + absl::Minutes(30)};
  EXPECT_EQ(slow.starts(), want);
}

TEST_F(DaemonTest, CampaignChecksNeverOverlapARunAndProgressBetweenRuns) {
  FakeCampaign campaign;
  campaign.set_in_flight(2);  // Checks running when the daemon starts.
  waiter_.on_wait = [&] { campaign.Dispatch(); };
  int checks_at_run_start = 0;
  suite_.before_run = [&] {
    EXPECT_TRUE(campaign.paused());
    EXPECT_EQ(campaign.in_flight(), 0);
    campaign.events.push_back("run");
    checks_at_run_start = campaign.started;
  };
  DaemonOptions o;
  o.interval = absl::Minutes(10);
  o.spread = absl::ZeroDuration();
  o.max_runs = 3;
  o.final_drain = absl::ZeroDuration();
  ASSERT_TRUE(RunDaemon(o, &campaign).ok());
  // The first run waited for the two checks in flight (woken when idle,
  // not at the limit), then started on time.
  ASSERT_EQ(suite_.starts().size(), 3u);
  EXPECT_EQ(suite_.starts()[0], kStart);
  EXPECT_EQ(suite_.starts()[1], kStart + absl::Minutes(10));
  const std::vector<std::string> want = {"pause",  "run",    "resume", "pause",
                                         "run",    "resume", "pause",  "run",
                                         "resume", "pause"};
  EXPECT_EQ(campaign.events, want);
  // Checks ran while the daemon waited between runs...
  EXPECT_GT(campaign.started, 0);
  EXPECT_GE(campaign.finished, 2);
  // ...and none started during the last run (it is the last dispatch).
  EXPECT_EQ(campaign.started, checks_at_run_start);
}

TEST_F(DaemonTest, StuckCampaignChecksHoldARunBackAtMostTheLimit) {
  FakeCampaign campaign;
  campaign.stuck = true;
  campaign.set_in_flight(1);
  waiter_.on_wait = [&] { campaign.Dispatch(); };
  DaemonOptions o;
  o.spread = absl::ZeroDuration();
  o.max_runs = 1;
  o.final_drain = absl::ZeroDuration();
  o.campaign_pause_limit = absl::Seconds(25);
  ASSERT_TRUE(RunDaemon(o, &campaign).ok());
  ASSERT_EQ(suite_.starts().size(), 1u);
  EXPECT_EQ(suite_.starts()[0], kStart + absl::Seconds(25));
}

TEST_F(DaemonTest, ASignalWhileWaitingForChecksStartsNoRun) {
  FakeCampaign campaign;
  campaign.stuck = true;
  campaign.set_in_flight(1);
  waiter_.on_wait = [&] { campaign.Dispatch(); };
  waiter_.SignalAt(kStart + absl::Seconds(5));
  DaemonOptions o;
  o.max_runs = 1;
  ASSERT_TRUE(RunDaemon(o, &campaign).ok());
  EXPECT_TRUE(suite_.starts().empty());
}

}  // namespace
}  // namespace v6scope::probe
