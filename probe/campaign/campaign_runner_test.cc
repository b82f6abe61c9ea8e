// The runner on a real event loop: with the real DomainChecker over a
// scripted DNS and web, and with a scripted check to hold checks in
// flight (pause, a failing sink, cancellation).
#include "probe/campaign/campaign_runner.h"

#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/time/clock.h"
#include "gtest/gtest.h"
#include "probe/campaign/file_work_book_test_util.h"
#include "probe/loop/event_loop.h"
#include "probe/readiness/connection_gate.h"
#include "probe/readiness/testing/scripted_lookup.h"

namespace v6scope::probe::campaign {
namespace {

namespace v1 = ::v6scope::v1;

// Takes results until told to fail (a full disk).
class FakeSink : public ResultSink {
 public:
  absl::Status Append(const v1::DomainResult& r) override {
    if (fail_) return absl::ResourceExhaustedError("disk full");
    results.push_back(r);
    return absl::OkStatus();
  }
  void set_fail(bool fail) { fail_ = fail; }
  std::vector<v1::DomainResult> results;

 private:
  bool fail_ = false;
};

// Checks that end only when the test says so.
struct HeldChecks {
  std::vector<std::pair<std::string, CampaignRunner::Done>> pending;
  std::vector<std::string> started;
  CampaignRunner::CheckFn Fn() {
    return [this](const std::string& domain, CampaignRunner::Done done) {
      started.push_back(domain);
      pending.emplace_back(domain, std::move(done));
    };
  }
  // Finishes the oldest pending check (on the loop, as a checker would).
  void FinishOne(loop::EventLoop* loop) {
    auto [domain, done] = std::move(pending.front());
    pending.erase(pending.begin());
    loop->Post([domain, done] {
      v1::DomainCheck c;
      c.set_domain(domain);
      done(std::move(c));
    });
  }
};

class CampaignRunnerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto loop = loop::EventLoop::Create();
    ASSERT_TRUE(loop.ok());
    loop_ = *std::move(loop);
    BookOptions o;
    o.dir = FreshTestDir() + "/campaigns";
    o.clock = &clock_;
    auto book = FileWorkBook::Open(o);
    ASSERT_TRUE(book.ok()) << book.status();
    book_ = *std::move(book);
  }
  void Offer(v1::Assignment a) {
    v1::WorkOffer offer;
    *offer.add_assignments() = std::move(a);
    ASSERT_TRUE(book_->ApplyOffer(book_->BuildPoll(), offer).ok());
  }
  bool RunUntil(std::function<bool()> pred) {
    return loop_->RunUntil(std::move(pred), absl::Seconds(30));
  }
  uint32_t Done() { return book_->BuildPoll().held(0).done(); }

  time::FakeClock clock_{absl::FromUnixSeconds(1'800'000'000)};
  std::unique_ptr<loop::EventLoop> loop_;
  std::unique_ptr<FileWorkBook> book_;
  FakeSink sink_;
  HeldChecks checks_;
};

TEST_F(CampaignRunnerTest, RealCheckerRunsAnAssignmentToTheSink) {
  readiness::testing::ScriptedLookup dns(loop_.get());
  readiness::testing::ScriptedFetcher fetcher(loop_.get());
  readiness::ConnectionGate gate(loop_.get(), &clock_, absl::ZeroDuration());
  v1::Assignment a = MakeAssignment(1, 20, clock_.Now());
  a.mutable_budget()->set_concurrency(4);
  for (const auto& d : a.domains()) {
    dns.SetAddresses("www." + d.name(), {"11.0.0.1", "3ffe::1"});
    fetcher.SetPage("https://www." + d.name() + "/", v1::IPV4, 200, d.name());
  }
  dns.set_delay(absl::Milliseconds(1));
  CheckerDeps deps{loop_.get(), &dns, &fetcher, &gate, &clock_, {}};
  CampaignRunner runner(book_.get(), &sink_, deps);
  runner.Start();
  size_t max_in_flight = 0;
  Offer(a);  // After Start: the book's listener wakes the runner.
  ASSERT_TRUE(RunUntil([&] {
    max_in_flight = std::max(max_in_flight, runner.in_flight());
    return sink_.results.size() == 20;
  }));
  EXPECT_LE(max_in_flight, 4u);
  std::set<uint32_t> items;
  for (const v1::DomainResult& r : sink_.results) {
    EXPECT_EQ(r.assignment_id(), AssignmentId(1));
    EXPECT_EQ(r.check().domain(), a.domains(r.item()).name());
    items.insert(r.item());
  }
  EXPECT_EQ(items.size(), 20u);
  EXPECT_EQ(Done(), 20u);
  EXPECT_TRUE(runner.Idle());
}

TEST_F(CampaignRunnerTest, PauseLetsChecksInFlightFinishAndStartsNothing) {
  v1::Assignment a = MakeAssignment(1, 10, clock_.Now());
  a.mutable_budget()->set_concurrency(3);
  Offer(a);
  CampaignRunner runner(book_.get(), &sink_, loop_.get(), &clock_,
                        checks_.Fn());
  runner.Start();
  ASSERT_TRUE(RunUntil([&] { return checks_.pending.size() == 3; }));
  int idle_calls = 0;
  runner.Pause([&] { ++idle_calls; });
  EXPECT_FALSE(runner.Idle());
  while (!checks_.pending.empty()) checks_.FinishOne(loop_.get());
  ASSERT_TRUE(RunUntil([&] { return runner.Idle(); }));
  loop_->RunUntil([] { return false; }, absl::Milliseconds(20));
  EXPECT_EQ(idle_calls, 1);
  EXPECT_EQ(checks_.started.size(), 3u);  // Nothing new while paused.
  EXPECT_EQ(sink_.results.size(), 3u);
  EXPECT_EQ(Done(), 3u);
  runner.Resume();
  EXPECT_EQ(checks_.pending.size(), 3u);
}

TEST_F(CampaignRunnerTest, FullDiskBlocksThenRetriesWithoutLosingResults) {
  v1::Assignment a = MakeAssignment(1, 6, clock_.Now());
  a.mutable_budget()->set_concurrency(2);
  Offer(a);
  RunnerOptions o;
  o.sink_retry = absl::Milliseconds(5);
  CampaignRunner runner(book_.get(), &sink_, loop_.get(), &clock_, checks_.Fn(),
                        o);
  runner.Start();
  ASSERT_TRUE(RunUntil([&] { return checks_.pending.size() == 2; }));
  sink_.set_fail(true);
  checks_.FinishOne(loop_.get());
  ASSERT_TRUE(RunUntil([&] { return runner.blocked(); }));
  checks_.FinishOne(loop_.get());
  ASSERT_TRUE(RunUntil([&] { return runner.waiting_results() == 2; }));
  loop_->RunUntil([] { return false; }, absl::Milliseconds(20));
  EXPECT_TRUE(checks_.pending.empty());  // Blocked: nothing new started.
  EXPECT_EQ(Done(), 0u);                 // Nothing marked before taken.
  sink_.set_fail(false);
  ASSERT_TRUE(RunUntil([&] { return !runner.blocked(); }));
  EXPECT_EQ(sink_.results.size(), 2u);
  EXPECT_EQ(Done(), 2u);
  ASSERT_TRUE(RunUntil([&] { return checks_.pending.size() == 2; }));
}

TEST_F(CampaignRunnerTest, CancelledAssignmentStartsNoMoreButSendsInFlight) {
  v1::Assignment a = MakeAssignment(1, 10, clock_.Now());
  a.mutable_budget()->set_concurrency(2);
  Offer(a);
  CampaignRunner runner(book_.get(), &sink_, loop_.get(), &clock_,
                        checks_.Fn());
  runner.Start();
  ASSERT_TRUE(RunUntil([&] { return checks_.pending.size() == 2; }));
  const std::vector<std::string> ids = {AssignmentId(1)};
  ASSERT_TRUE(book_->Cancel(ids).ok());
  while (!checks_.pending.empty()) checks_.FinishOne(loop_.get());
  ASSERT_TRUE(RunUntil([&] { return sink_.results.size() == 2; }));
  loop_->RunUntil([] { return false; }, absl::Milliseconds(20));
  EXPECT_EQ(checks_.started.size(), 2u);
  EXPECT_TRUE(runner.Idle());
}

}  // namespace
}  // namespace v6scope::probe::campaign
