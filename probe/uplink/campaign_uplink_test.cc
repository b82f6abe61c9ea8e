// Campaign work over the Upload stream, end to end on the probe side:
// SpoolDrainer over a real Uplink against the in-process fake collector,
// with a run spool, a readiness spool and a fake work book. Results are
// acknowledged and deleted, resent after a broken stream, duplicates are
// harmless, a refused result is quarantined, polls apply the offer,
// DomainAck.cancelled reaches the book, an old collector means "no
// campaigns" for an hour, and the uplink worker wakes for a due poll.
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "common/fs/files.h"
#include "common/metrics/metrics.h"
#include "common/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "probe/campaign/work_book.h"
#include "probe/spool/domain_spool.h"
#include "probe/spool/quarantine.h"
#include "probe/spool/spool.h"
#include "probe/uplink/backoff.h"
#include "probe/uplink/spool_drainer.h"
#include "probe/uplink/testing/fake_probe_service.h"
#include "probe/uplink/uplink.h"
#include "probe/uplink/uplink_worker.h"

namespace v6scope::probe::uplink {
namespace {

using ::testing::ElementsAre;
using testing::FakeProbeService;

constexpr absl::Duration kPatience = absl::Seconds(30);

// Records what the uplink asks of it; polls are due at `next_poll_`.
class FakeWorkBook : public campaign::WorkBook {
 public:
  explicit FakeWorkBook(const time::Clock* clock) : clock_(clock) {}
  v6scope::v1::WorkPoll BuildPoll() override {
    absl::MutexLock lock(&mu_);
    v6scope::v1::WorkPoll poll;
    poll.set_free_slots(4);
    return poll;
  }
  absl::Status ApplyOffer(const v6scope::v1::WorkPoll&,
                          const v6scope::v1::WorkOffer& offer) override {
    absl::MutexLock lock(&mu_);
    offers_.push_back(offer);
    next_poll_ = clock_->Now() + absl::Seconds(offer.poll_after_seconds());
    return absl::OkStatus();
  }
  absl::Status Cancel(absl::Span<const std::string> ids) override {
    absl::MutexLock lock(&mu_);
    cancelled_.insert(cancelled_.end(), ids.begin(), ids.end());
    return absl::OkStatus();
  }
  absl::Time NextPollAt() const override {
    absl::MutexLock lock(&mu_);
    return next_poll_;
  }
  void SetNextPollAt(absl::Time t) {
    absl::MutexLock lock(&mu_);
    next_poll_ = t;
  }
  std::vector<v6scope::v1::WorkOffer> offers() const {
    absl::MutexLock lock(&mu_);
    return offers_;
  }
  std::vector<std::string> cancelled() const {
    absl::MutexLock lock(&mu_);
    return cancelled_;
  }

 private:
  const time::Clock* const clock_;
  mutable absl::Mutex mu_;
  absl::Time next_poll_ = absl::InfiniteFuture();
  std::vector<v6scope::v1::WorkOffer> offers_;
  std::vector<std::string> cancelled_;
};

v6scope::v1::DomainResult Result(const std::string& assignment, uint32_t item) {
  v6scope::v1::DomainResult r;
  r.set_assignment_id(assignment);
  r.set_item(item);
  r.mutable_check()->set_domain(absl::StrCat("d", item, ".example"));
  return r;
}

class CampaignUplinkTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto fake = FakeProbeService::Start();
    ASSERT_TRUE(fake.ok()) << fake.status();
    fake_ = *std::move(fake);
    const char* tmp = std::getenv("TEST_TMPDIR");
    dir_ = absl::StrCat(
        tmp != nullptr ? tmp : "/tmp", "/campaign-",
        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    spool::SpoolOptions o;
    o.dir = dir_ + "/spool";
    auto runs = spool::Spool::Open(o);
    ASSERT_TRUE(runs.ok()) << runs.status();
    runs_ = *std::move(runs);
    o.dir = dir_ + "/readiness-spool";
    auto results = spool::DomainSpool::Open(o);
    ASSERT_TRUE(results.ok()) << results.status();
    results_ = *std::move(results);
    spool::QuarantineOptions qo;
    qo.dir = dir_ + "/readiness-spool/quarantine";
    auto q = spool::Quarantine::Open(qo);
    ASSERT_TRUE(q.ok()) << q.status();
    quarantine_ = *std::move(q);
    uplink_ = std::make_unique<Uplink>(
        std::vector<std::string>{fake_->address()}, rpc::ChannelOptions(),
        "p-fake.secret", absl::Seconds(10), &clock_);
  }

  // A drainer with the readiness spool and, if `with_book`, the book.
  std::unique_ptr<SpoolDrainer> Drainer(bool with_book) {
    SpoolDrainer::Options o;
    o.domain_spool = results_.get();
    o.result_quarantine = quarantine_.get();
    o.work_book = with_book ? &book_ : nullptr;
    o.registry = &registry_;
    return std::make_unique<SpoolDrainer>(runs_.get(), uplink_.get(), &backoff_,
                                          &clock_, o);
  }
  void AddRuns(uint64_t first, uint64_t last) {
    for (uint64_t seq = first; seq <= last; ++seq) {
      ASSERT_TRUE(runs_->Append(seq, v6scope::v1::Run()).ok());
    }
  }
  void AddResults(uint64_t first, uint64_t last) {
    for (uint64_t seq = first; seq <= last; ++seq) {
      ASSERT_TRUE(
          results_->Append(seq, Result("a-1", static_cast<uint32_t>(seq)))
              .ok());
    }
  }
  uint64_t PendingResults() const { return results_->stats().pending_records; }

  time::FakeClock clock_{absl::FromUnixSeconds(1'700'000'000)};
  Backoff backoff_{absl::Seconds(10), absl::Seconds(20), [] { return 1.0; }};
  metrics::Registry registry_;
  std::unique_ptr<FakeProbeService> fake_;
  std::string dir_;
  std::unique_ptr<spool::Spool> runs_;
  std::unique_ptr<spool::DomainSpool> results_;
  std::unique_ptr<spool::Quarantine> quarantine_;
  std::unique_ptr<Uplink> uplink_;
  FakeWorkBook book_{&clock_};
};

TEST_F(CampaignUplinkTest, RunsThenResultsOnOneStreamAckedAndDeleted) {
  AddRuns(1, 3);
  AddResults(1, 5);
  auto drainer = Drainer(/*with_book=*/false);
  ASSERT_TRUE(drainer->DrainOnce().ok());
  EXPECT_THAT(fake_->stored_seqs(), ElementsAre(1, 2, 3));
  EXPECT_THAT(fake_->stored_domain_seqs(), ElementsAre(1, 2, 3, 4, 5));
  EXPECT_THAT(fake_->streams(), ElementsAre("bd"));
  EXPECT_EQ(PendingResults(), 0u);
  EXPECT_EQ(drainer->NextDue(), absl::InfiniteFuture());
}

TEST_F(CampaignUplinkTest, ADuePollAppliesTheOfferOnTheSameStream) {
  v6scope::v1::WorkOffer offer;
  offer.add_assignments()->set_assignment_id("a-0000000000000001");
  offer.set_poll_after_seconds(300);
  fake_->SetOffer(offer);
  book_.SetNextPollAt(absl::InfinitePast());
  AddRuns(1, 1);
  AddResults(1, 1);
  auto drainer = Drainer(/*with_book=*/true);
  ASSERT_TRUE(drainer->DrainOnce().ok());
  EXPECT_THAT(fake_->streams(), ElementsAre("bdp"));
  ASSERT_EQ(fake_->polls().size(), 1u);
  EXPECT_EQ(fake_->polls()[0].free_slots(), 4u);
  ASSERT_EQ(book_.offers().size(), 1u);
  EXPECT_EQ(book_.offers()[0].assignments(0).assignment_id(),
            "a-0000000000000001");
  // The next poll when the book says (poll_after_seconds), not before.
  EXPECT_EQ(drainer->NextDue(), clock_.Now() + absl::Seconds(300));
  ASSERT_TRUE(drainer->DrainOnce().ok());
  EXPECT_EQ(fake_->polls().size(), 1u);
  clock_.Advance(absl::Seconds(300));
  ASSERT_TRUE(drainer->DrainOnce().ok());
  EXPECT_EQ(fake_->polls().size(), 2u);
  EXPECT_THAT(fake_->streams(), ElementsAre("bdp", "p"));
}

TEST_F(CampaignUplinkTest, ResultsAreResentAfterABrokenStream) {
  AddResults(1, 3);
  fake_->BreakAfterNextDomainBatch();
  auto drainer = Drainer(/*with_book=*/false);
  EXPECT_TRUE(absl::IsUnavailable(drainer->DrainOnce()));
  // Stored, but not acknowledged: nothing leaves the spool.
  EXPECT_THAT(fake_->stored_domain_seqs(), ElementsAre(1, 2, 3));
  EXPECT_EQ(PendingResults(), 3u);
  EXPECT_GT(drainer->NextDue(), clock_.Now());
  clock_.Advance(absl::Seconds(20));
  ASSERT_TRUE(drainer->DrainOnce().ok());
  // Resent as duplicates: acknowledged, stored once.
  EXPECT_EQ(PendingResults(), 0u);
  EXPECT_THAT(fake_->stored_domain_seqs(), ElementsAre(1, 2, 3));
}

TEST_F(CampaignUplinkTest, ARepeatedCheckIsADuplicate) {
  // Seq 2 repeats (assignment, item) of seq 1, as after a crash.
  ASSERT_TRUE(results_->Append(1, Result("a-1", 7)).ok());
  ASSERT_TRUE(results_->Append(2, Result("a-1", 7)).ok());
  auto drainer = Drainer(/*with_book=*/false);
  ASSERT_TRUE(drainer->DrainOnce().ok());
  EXPECT_THAT(fake_->stored_domain_seqs(), ElementsAre(1));
  EXPECT_EQ(PendingResults(), 0u);
}

TEST_F(CampaignUplinkTest, CancelledAssignmentsReachTheWorkBook) {
  fake_->CancelAssignment("a-1");
  AddResults(1, 2);
  auto drainer = Drainer(/*with_book=*/true);
  ASSERT_TRUE(drainer->DrainOnce().ok());
  EXPECT_THAT(book_.cancelled(), ElementsAre("a-1"));
}

TEST_F(CampaignUplinkTest, ARefusedResultIsQuarantinedAndReported) {
  AddResults(1, 3);
  fake_->RefuseResult(2);
  auto drainer = Drainer(/*with_book=*/false);
  ASSERT_TRUE(drainer->DrainOnce().ok());
  EXPECT_THAT(fake_->stored_domain_seqs(), ElementsAre(1, 3));
  EXPECT_EQ(fake_->dropped_results_reported(), 1u);
  EXPECT_EQ(PendingResults(), 0u);
  EXPECT_TRUE(fs::ReadFile(dir_ + "/readiness-spool/quarantine/"
                                  "00000000000000000002.result.txt")
                  .ok());
  EXPECT_NE(registry_.Render().find("v6scope_probe_results_refused_total 1"),
            std::string::npos);
}

TEST_F(CampaignUplinkTest, AnOldCollectorMeansNoCampaignsForAnHour) {
  fake_->SetMode(FakeProbeService::Mode::kOld);
  book_.SetNextPollAt(absl::InfinitePast());
  AddRuns(1, 2);
  AddResults(1, 2);
  auto drainer = Drainer(/*with_book=*/true);
  ASSERT_TRUE(drainer->DrainOnce().ok());
  EXPECT_THAT(fake_->stored_seqs(), ElementsAre(1, 2));
  // Nothing refused, nothing quarantined, no poll answered.
  EXPECT_EQ(PendingResults(), 2u);
  EXPECT_EQ(results_->unreported_dropped(), 0u);
  EXPECT_TRUE(book_.offers().empty());
  EXPECT_THAT(fake_->streams(), ElementsAre("bd"));
  EXPECT_GE(drainer->NextDue(), clock_.Now() + absl::Hours(1));
  clock_.Advance(absl::Minutes(30));
  ASSERT_TRUE(drainer->DrainOnce().ok());
  EXPECT_EQ(fake_->streams().size(), 1u);  // Left alone.
  // An hour later the collector (upgraded) is asked again.
  fake_->SetMode(FakeProbeService::Mode::kAccept);
  clock_.Advance(absl::Minutes(31));
  ASSERT_TRUE(drainer->DrainOnce().ok());
  EXPECT_EQ(PendingResults(), 0u);
  EXPECT_EQ(book_.offers().size(), 1u);
  EXPECT_THAT(fake_->streams(), ElementsAre("bd", "dp"));
}

TEST_F(CampaignUplinkTest, TheWorkerWakesForADuePollWithNothingPending) {
  auto drainer = Drainer(/*with_book=*/true);
  UplinkWorker worker(drainer.get(), &clock_, UplinkWorker::Options());
  absl::Mutex mu;
  int attempts = 0;
  worker.OnProgress([&] {
    absl::MutexLock lock(&mu);
    ++attempts;
  });
  book_.SetNextPollAt(absl::InfinitePast());
  worker.Start();
  {
    absl::MutexLock lock(&mu);
    auto done = [&] { return attempts >= 1; };
    ASSERT_TRUE(mu.AwaitWithTimeout(absl::Condition(&done), kPatience));
  }
  worker.Stop(absl::ZeroDuration());
  EXPECT_EQ(fake_->polls().size(), 1u);
  EXPECT_EQ(book_.offers().size(), 1u);
}

}  // namespace
}  // namespace v6scope::probe::uplink
