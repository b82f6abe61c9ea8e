// The work book: offers, refusals, slots, progress and budgets, and what a
// crash or a damaged file leaves behind (reopen after truncating or
// corrupting the files).
#include "probe/campaign/file_work_book.h"

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/fs/files.h"
#include "common/time/clock.h"
#include "gtest/gtest.h"
#include "probe/campaign/file_work_book_test_util.h"

namespace v6scope::probe::campaign {
namespace {

namespace v1 = ::v6scope::v1;

// 2027-01-15 08:00 UTC.
const absl::Time kStart = absl::FromUnixSeconds(1'800'000'000);

class FileWorkBookTest : public ::testing::Test {
 protected:
  void SetUp() override { dir_ = FreshTestDir() + "/campaigns"; }

  std::unique_ptr<FileWorkBook> Open() {
    BookOptions o;
    o.dir = dir_;
    o.participation = participation_;
    o.clock = &clock_;
    auto book = FileWorkBook::Open(o);
    EXPECT_TRUE(book.ok()) << book.status();
    return book.ok() ? *std::move(book) : nullptr;
  }

  // One poll/offer exchange carrying `assignments`.
  static void Offer(FileWorkBook& book, std::vector<v1::Assignment> as,
                    uint32_t poll_after = 300) {
    const v1::WorkPoll poll = book.BuildPoll();
    v1::WorkOffer offer;
    for (auto& a : as) *offer.add_assignments() = a;
    offer.set_poll_after_seconds(poll_after);
    ASSERT_TRUE(book.ApplyOffer(poll, offer).ok());
  }

  // Takes and finishes up to `n` items; returns how many.
  static int Work(FileWorkBook& book, int n, uint64_t bytes = 100) {
    int done = 0;
    for (; done < n; ++done) {
      NextWork w = book.TakeNext();
      if (!w.item.has_value()) break;
      EXPECT_TRUE(book.Finish(*w.item, bytes).ok());
    }
    return done;
  }

  size_t Quarantined() const {
    const std::string q = dir_ + "/quarantine";
    if (!std::filesystem::exists(q)) return 0;
    auto it = std::filesystem::directory_iterator(q);
    return static_cast<size_t>(std::distance(begin(it), end(it)));
  }

  std::string dir_;
  Participation participation_;
  time::FakeClock clock_{kStart};
};

TEST_F(FileWorkBookTest, AcceptedWorkAndProgressSurviveAReopen) {
  {
    auto book = Open();
    EXPECT_EQ(book->NextPollAt(), absl::InfinitePast());
    v1::WorkPoll first = book->BuildPoll();
    EXPECT_EQ(first.free_slots(), 4u);
    EXPECT_EQ(first.max_domains_per_day(), 2000u);
    EXPECT_EQ(first.max_concurrency(), 8u);
    Offer(*book, {MakeAssignment(1, 5, kStart), MakeAssignment(2, 3, kStart)});
    EXPECT_EQ(book->held(), 2u);
    EXPECT_EQ(Work(*book, 4), 4);
  }
  auto book = Open();
  v1::WorkPoll poll = book->BuildPoll();
  ASSERT_EQ(poll.held_size(), 2);
  EXPECT_EQ(poll.held(0).assignment_id(), AssignmentId(1));
  EXPECT_EQ(poll.held(0).done(), 4u);
  EXPECT_EQ(poll.held(1).done(), 0u);
  EXPECT_EQ(poll.free_slots(), 2u);
  NextWork w = book->TakeNext();
  ASSERT_TRUE(w.item.has_value());
  EXPECT_EQ(w.item->assignment_id, AssignmentId(1));
  EXPECT_EQ(w.item->item, 4u);
  EXPECT_EQ(w.item->domain, "d4.a1.example");
  EXPECT_EQ(book->UsageToday().domains, 4u);  // Rebuilt from the logs.
}

TEST_F(FileWorkBookTest, RefusalsAreSentOnceAndSlotsAreBounded) {
  auto book = Open();
  v1::Assignment bad = MakeAssignment(9, 4, kStart);
  bad.mutable_domains(3)->set_name("a..b");
  std::vector<v1::Assignment> offer = {bad};
  for (int i = 1; i <= 5; ++i) offer.push_back(MakeAssignment(i, 2, kStart));
  Offer(*book, offer);
  EXPECT_EQ(book->held(), 4u);
  v1::WorkPoll poll = book->BuildPoll();
  ASSERT_EQ(poll.refused_size(), 2);
  EXPECT_EQ(poll.refused(0).assignment_id(), AssignmentId(9));
  EXPECT_EQ(poll.refused(0).reason(),
            "domains[3]: \"a..b\" is not a host name");
  EXPECT_EQ(poll.refused(1).reason(), "no free slot (4 held)");
  EXPECT_EQ(poll.free_slots(), 0u);
  ASSERT_TRUE(book->ApplyOffer(poll, v1::WorkOffer()).ok());
  EXPECT_EQ(book->BuildPoll().refused_size(), 0);
}

TEST_F(FileWorkBookTest, FinishedIsReportedThenDroppedAndOfferedAgainIgnored) {
  auto book = Open();
  Offer(*book, {MakeAssignment(1, 2, kStart)});
  EXPECT_EQ(Work(*book, 10), 2);
  EXPECT_FALSE(book->TakeNext().item.has_value());
  v1::WorkPoll poll = book->BuildPoll();
  ASSERT_EQ(poll.held_size(), 1);
  EXPECT_EQ(poll.held(0).done(), 2u);
  EXPECT_EQ(poll.free_slots(), 4u);  // The finished one goes with this poll.
  v1::WorkOffer offer;
  *offer.add_assignments() = MakeAssignment(2, 1, kStart);
  ASSERT_TRUE(book->ApplyOffer(poll, offer).ok());
  EXPECT_EQ(book->held(), 1u);
  EXPECT_FALSE(std::filesystem::exists(
      absl::StrCat(dir_, "/", AssignmentId(1), ".assignment")));
  Offer(*book, {MakeAssignment(2, 1, kStart)});  // Same id again: no-op.
  EXPECT_EQ(book->held(), 1u);
  EXPECT_EQ(book->BuildPoll().refused_size(), 0);
}

TEST_F(FileWorkBookTest, CancelStopsNewItemsAndFinishOfCancelledIsIgnored) {
  auto book = Open();
  Offer(*book, {MakeAssignment(1, 5, kStart)});
  NextWork w = book->TakeNext();
  ASSERT_TRUE(w.item.has_value());
  const std::vector<std::string> ids = {AssignmentId(1), "a-unknown"};
  ASSERT_TRUE(book->Cancel(ids).ok());
  EXPECT_FALSE(book->TakeNext().item.has_value());
  EXPECT_TRUE(book->Finish(*w.item, 10).ok());
  EXPECT_EQ(book->held(), 0u);
  EXPECT_EQ(Open()->held(), 0u);
}

TEST_F(FileWorkBookTest, OfferCancelsAndExpiryDrops) {
  auto book = Open();
  v1::Assignment soon = MakeAssignment(2, 3, kStart);
  soon.mutable_expires_at()->set_seconds(absl::ToUnixSeconds(kStart) + 60);
  Offer(*book, {MakeAssignment(1, 3, kStart), soon});
  v1::WorkOffer cancel;
  cancel.add_cancelled(AssignmentId(1));
  ASSERT_TRUE(book->ApplyOffer(book->BuildPoll(), cancel).ok());
  EXPECT_EQ(book->held(), 1u);
  clock_.Advance(absl::Minutes(2));
  EXPECT_EQ(book->BuildPoll().held_size(), 0);
  EXPECT_EQ(Open()->held(), 0u);
}

TEST_F(FileWorkBookTest, ConcurrencyIsTheSmallerOfCampaignAndHost) {
  participation_.max_concurrency = 3;
  auto book = Open();
  v1::Assignment a = MakeAssignment(1, 10, kStart);
  a.mutable_budget()->set_concurrency(2);
  Offer(*book, {a, MakeAssignment(2, 10, kStart, /*campaign=*/2)});
  std::vector<WorkItem> taken;
  for (NextWork w = book->TakeNext(); w.item; w = book->TakeNext()) {
    taken.push_back(*w.item);
  }
  ASSERT_EQ(taken.size(), 3u);  // Host cap.
  EXPECT_EQ(taken[0].campaign_id, "c-00000001");
  EXPECT_EQ(taken[1].campaign_id, "c-00000001");
  EXPECT_EQ(taken[2].campaign_id, "c-00000002");  // Campaign 1 at its 2.
  ASSERT_TRUE(book->Finish(taken[0], 1).ok());
  NextWork w = book->TakeNext();
  ASSERT_TRUE(w.item.has_value());
  EXPECT_EQ(w.item->campaign_id, "c-00000001");
}

TEST_F(FileWorkBookTest, OptedOutSectorsAreSkippedWithoutACheck) {
  participation_.opt_out_sectors = {"banking"};
  auto book = Open();
  v1::Assignment a = MakeAssignment(1, 4, kStart);
  a.mutable_domains(0)->set_sector("banking");
  a.mutable_domains(2)->set_sector("banking");
  Offer(*book, {a});
  std::vector<uint32_t> items;
  for (NextWork w = book->TakeNext(); w.item; w = book->TakeNext()) {
    items.push_back(w.item->item);
    ASSERT_TRUE(book->Finish(*w.item, 1).ok());
  }
  EXPECT_EQ(items, (std::vector<uint32_t>{1, 3}));
  EXPECT_EQ(book->BuildPoll().held(0).done(), 4u);
  EXPECT_EQ(book->UsageToday().domains, 2u);
}

TEST_F(FileWorkBookTest, DailyBudgetsHoldAcrossARestartAndResetNextDay) {
  participation_.max_domains_per_day = 3;
  {
    auto book = Open();
    Offer(*book, {MakeAssignment(1, 10, kStart)});
    EXPECT_EQ(Work(*book, 10), 3);
    NextWork w = book->TakeNext();
    EXPECT_FALSE(w.item.has_value());
    EXPECT_EQ(w.retry_at,
              absl::FromUnixSeconds(1'800'000'000 / 86400 * 86400 + 86400));
  }
  EXPECT_FALSE(Open()->TakeNext().item.has_value());  // Not reset.
  clock_.Advance(absl::Hours(24));
  EXPECT_EQ(Work(*Open(), 10), 3);
}

TEST_F(FileWorkBookTest, CampaignBytesBudgetAndCarriedUsageOfDroppedWork) {
  auto book = Open();
  v1::Assignment a = MakeAssignment(1, 10, kStart);
  a.mutable_budget()->set_bytes_per_day(1 << 20);
  Offer(*book, {a});
  EXPECT_EQ(Work(*book, 10, /*bytes=*/600 << 10), 2);  // 1.2 MiB >= 1 MiB.
  const std::vector<std::string> ids = {AssignmentId(1)};
  ASSERT_TRUE(book->Cancel(ids).ok());
  book.reset();
  book = Open();
  EXPECT_EQ(book->UsageToday().bytes, 2u * (600 << 10));  // Carried.
  v1::Assignment b = MakeAssignment(2, 10, kStart);       // Same campaign.
  b.mutable_budget()->set_bytes_per_day(1 << 20);
  Offer(*book, {b});
  EXPECT_EQ(Work(*book, 10), 0);
}

TEST_F(FileWorkBookTest, TruncatedProgressRepeatsOnlyTheLostItems) {
  {
    auto book = Open();
    Offer(*book, {MakeAssignment(1, 6, kStart)});
    EXPECT_EQ(Work(*book, 4), 4);
  }
  const std::string progress =
      absl::StrCat(dir_, "/", AssignmentId(1), ".progress");
  std::filesystem::resize_file(progress, 2 * 24 + 7);  // Torn third record.
  auto book = Open();
  EXPECT_EQ(book->BuildPoll().held(0).done(), 2u);
  EXPECT_EQ(book->TakeNext().item->item, 2u);
  EXPECT_EQ(Quarantined(), 0u);
}

TEST_F(FileWorkBookTest, DamagedFilesAreQuarantinedNeverFatal) {
  {
    auto book = Open();
    Offer(*book, {MakeAssignment(1, 6, kStart), MakeAssignment(2, 6, kStart)});
    EXPECT_EQ(Work(*book, 3), 3);
  }
  const std::string a1 = absl::StrCat(dir_, "/", AssignmentId(1));
  const std::string a2 = absl::StrCat(dir_, "/", AssignmentId(2));
  std::string bytes = *fs::ReadFile(a1 + ".assignment");
  bytes[bytes.size() / 2] ^= 0x5a;
  ASSERT_TRUE(fs::WriteFileAtomically(a1 + ".assignment", bytes, 0600).ok());
  ASSERT_TRUE(fs::WriteFileAtomically(a2 + ".progress",
                                      "garbage-garbage-garbage!", 0600)
                  .ok());
  ASSERT_TRUE(fs::WriteFileAtomically(dir_ + "/usage", "nonsense", 0600).ok());
  auto book = Open();
  ASSERT_NE(book, nullptr);
  v1::WorkPoll poll = book->BuildPoll();
  ASSERT_EQ(poll.held_size(), 1);
  EXPECT_EQ(poll.held(0).assignment_id(), AssignmentId(2));
  EXPECT_EQ(poll.held(0).done(), 0u);
  // The assignment with its progress, the bad progress file, the usage.
  EXPECT_EQ(Quarantined(), 4u);
  EXPECT_FALSE(std::filesystem::exists(a1 + ".progress"));
}

TEST_F(FileWorkBookTest, NextPollAtFollowsTheOffer) {
  auto book = Open();
  EXPECT_EQ(book->NextPollAt(), absl::InfinitePast());
  Offer(*book, {}, /*poll_after=*/600);
  EXPECT_EQ(book->NextPollAt(), kStart + absl::Seconds(600));
  Offer(*book, {}, /*poll_after=*/5);  // Floor 60 s.
  EXPECT_EQ(book->NextPollAt(), kStart + absl::Seconds(60));
}

TEST_F(FileWorkBookTest, OptedOutHostRunsNothingAndPollsDailyOnceKnown) {
  participation_.opt_out = true;
  auto book = Open();
  v1::WorkPoll poll = book->BuildPoll();
  EXPECT_TRUE(poll.opted_out());
  EXPECT_EQ(poll.free_slots(), 0u);
  EXPECT_EQ(book->NextPollAt(), absl::InfinitePast());
  v1::WorkOffer offer;
  *offer.add_assignments() = MakeAssignment(1, 2, kStart);
  ASSERT_TRUE(book->ApplyOffer(poll, offer).ok());
  EXPECT_EQ(book->held(), 0u);
  EXPECT_EQ(book->BuildPoll().refused(0).reason(),
            "the host opted out of campaigns");
  EXPECT_EQ(book->NextPollAt(), kStart + absl::Hours(24));
  EXPECT_FALSE(book->TakeNext().item.has_value());
}

TEST_F(FileWorkBookTest, NewWorkCallsTheListener) {
  auto book = Open();
  int calls = 0;
  book->SetOnNewWork([&] { ++calls; });
  Offer(*book, {});
  EXPECT_EQ(calls, 0);
  Offer(*book, {MakeAssignment(1, 1, kStart)});
  EXPECT_EQ(calls, 1);
}

}  // namespace
}  // namespace v6scope::probe::campaign
