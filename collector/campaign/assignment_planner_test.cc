// The planner's rules, one test each (docs/campaigns.md, "Work"), over the
// in-memory store with a fake clock and counted ids.
#include "collector/campaign/assignment_planner.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "collector/campaign/testing/fake_work_store.h"
#include "common/time/clock.h"
#include "gtest/gtest.h"

namespace v6scope::collector::campaign {
namespace {

using store::AssignmentState;
using v6scope::v1::WorkOffer;
using v6scope::v1::WorkPoll;

const absl::Time kT0 = absl::FromUnixSeconds(1'800'000'000);
constexpr char kProbe[] = "p-ke";

std::vector<DomainEntry> List(int n, Sector sector = Sector::kGovernment) {
  std::vector<DomainEntry> list;
  for (int i = 0; i < n; ++i) {
    list.push_back({absl::StrCat("d", i, ".example"), sector, i + 1});
  }
  return list;
}

v6scope::v1::Campaign MakeCampaign(const std::string& id, uint64_t names,
                                   uint32_t per_day = 2000,
                                   uint32_t every_n_days = 0) {
  v6scope::v1::Campaign c;
  c.set_id(id);
  c.set_state(v6scope::v1::CAMPAIGN_ACTIVE);
  c.mutable_created_at()->set_seconds(absl::ToUnixSeconds(kT0));
  c.mutable_schedule()->set_every_n_days(every_n_days);
  c.mutable_budget()->set_domains_per_day(per_day);
  c.mutable_list()->set_names(names);
  c.mutable_selector()->add_probe_ids(kProbe);
  return c;
}

WorkPoll Poll(uint32_t free_slots = 4) {
  WorkPoll p;
  p.set_free_slots(free_slots);
  return p;
}

class PlannerTest : public ::testing::Test {
 protected:
  PlannerTest() {
    ProbeVantage v;
    v.probe_id = kProbe;
    v.has_runs = true;
    v.asn = 33771;
    v.country = "KE";
    store_.AddVantage(v);
  }

  WorkOffer Plan(const WorkPoll& poll, const std::string& probe = kProbe) {
    absl::StatusOr<WorkOffer> offer = planner_.Plan(probe, poll);
    EXPECT_TRUE(offer.ok()) << offer.status();
    return offer.ok() ? *offer : WorkOffer();
  }

  store::AssignmentRecord Stored(const std::string& id) {
    absl::StatusOr<store::AssignmentRecord> r = store_.GetAssignment(id);
    EXPECT_TRUE(r.ok()) << r.status();
    return r.ok() ? *r : store::AssignmentRecord();
  }

  static WorkPoll Holding(const WorkOffer& offer, uint32_t done = 0) {
    WorkPoll p = Poll(0);
    for (const auto& a : offer.assignments()) {
      auto* h = p.add_held();
      h->set_assignment_id(a.assignment_id());
      h->set_done(done);
    }
    return p;
  }

  testing::FakeWorkStore store_;
  time::FakeClock clock_{kT0 + absl::Hours(1)};
  int next_id_ = 0;
  AssignmentPlanner planner_{
      &store_, &store_, &clock_, [this] {
        return absl::StatusOr<std::string>(
            absl::StrCat("a-", absl::Hex(++next_id_, absl::kZeroPad16)));
      }};
};

TEST_F(PlannerTest, NothingForAProbeNoCampaignSelects) {
  v6scope::v1::Campaign c = MakeCampaign("c-1", 10);
  c.mutable_selector()->clear_probe_ids();
  c.mutable_selector()->add_probe_ids("p-other");  // Not an error here.
  store_.AddCampaign(c, List(10));
  const WorkOffer offer = Plan(Poll());
  EXPECT_EQ(offer.assignments_size(), 0);
  EXPECT_EQ(offer.poll_after_seconds(), 900u);         // 3 x 300: idle.
  EXPECT_TRUE(store_.GetProbeWorkState(kProbe).ok());  // The poll is kept.
}

TEST_F(PlannerTest, SelectedByPlaceOrId) {
  struct Case {
    const char* name;
    std::string country;
    uint32_t asn;
    bool by_id;
    bool selected;
  } cases[] = {
      {"by id", "", 0, true, true},
      {"country", "KE", 0, false, true},
      {"country and asn", "KE", 33771, false, true},
      {"other asn", "KE", 1, false, false},
      {"other country", "DE", 0, false, false},
  };
  for (const Case& k : cases) {
    testing::FakeWorkStore st;
    ProbeVantage v{kProbe, false, true, 33771, "KE"};
    st.AddVantage(v);
    v6scope::v1::Campaign c = MakeCampaign("c-1", 5);
    c.mutable_selector()->clear_probe_ids();
    if (k.by_id) c.mutable_selector()->add_probe_ids(kProbe);
    if (!k.country.empty()) c.mutable_selector()->add_countries(k.country);
    if (k.asn != 0) c.mutable_selector()->add_asns(k.asn);
    st.AddCampaign(c, List(5));
    AssignmentPlanner p(&st, &st, &clock_, RandomAssignmentId);
    absl::StatusOr<WorkOffer> offer = p.Plan(kProbe, Poll());
    ASSERT_TRUE(offer.ok()) << offer.status();
    EXPECT_EQ(offer->assignments_size(), k.selected ? 1 : 0) << k.name;
  }
}

// The collector's vantage probe is selected by include_collector wherever
// it is; without it, only by place or id like any probe.
TEST_F(PlannerTest, CollectorVantageSelectedByIncludeCollector) {
  struct Case {
    const char* name;
    bool vantage;
    bool include_collector;
    bool selected;
  } cases[] = {
      {"vantage, included", true, true, true},
      {"vantage, not included", true, false, false},
      {"ordinary probe, included", false, true, false},
  };
  for (const Case& k : cases) {
    testing::FakeWorkStore st;
    ProbeVantage v{kProbe, false, true, 33771, "KE"};
    v.collector_vantage = k.vantage;
    st.AddVantage(v);
    v6scope::v1::Campaign c = MakeCampaign("c-1", 5);
    c.mutable_selector()->clear_probe_ids();
    c.mutable_selector()->add_countries("DE");  // Not where the probe is.
    c.mutable_selector()->set_include_collector(k.include_collector);
    st.AddCampaign(c, List(5));
    AssignmentPlanner p(&st, &st, &clock_, RandomAssignmentId);
    absl::StatusOr<WorkOffer> offer = p.Plan(kProbe, Poll());
    ASSERT_TRUE(offer.ok()) << offer.status();
    EXPECT_EQ(offer->assignments_size(), k.selected ? 1 : 0) << k.name;
  }
  // Revoked, it gets nothing even when included.
  testing::FakeWorkStore st;
  ProbeVantage v{kProbe, /*revoked=*/true, true, 33771, "KE"};
  v.collector_vantage = true;
  st.AddVantage(v);
  v6scope::v1::Campaign c = MakeCampaign("c-1", 5);
  c.mutable_selector()->clear_probe_ids();
  c.mutable_selector()->set_include_collector(true);
  st.AddCampaign(c, List(5));
  AssignmentPlanner p(&st, &st, &clock_, RandomAssignmentId);
  absl::StatusOr<WorkOffer> offer = p.Plan(kProbe, Poll());
  ASSERT_TRUE(offer.ok()) << offer.status();
  EXPECT_EQ(offer->assignments_size(), 0);
}

TEST_F(PlannerTest, RevokedPausedAndDeletedGetNothing) {
  v6scope::v1::Campaign paused = MakeCampaign("c-p", 5);
  paused.set_state(v6scope::v1::CAMPAIGN_PAUSED);
  store_.AddCampaign(paused, List(5));
  EXPECT_EQ(Plan(Poll()).assignments_size(), 0);
  store_.AddCampaign(MakeCampaign("c-a", 5), List(5));
  store_.AddVantage({kProbe, /*revoked=*/true, true, 1, "KE"});
  EXPECT_EQ(Plan(Poll()).assignments_size(), 0);
}

TEST_F(PlannerTest, ConsecutiveSlicesOfAtMost1000WithinTheDayBudget) {
  store_.AddCampaign(MakeCampaign("c-1", 2500, /*per_day=*/2000), List(2500));
  const WorkOffer offer = Plan(Poll());
  ASSERT_EQ(offer.assignments_size(), 2);  // 1000 + 1000 = the day's 2000.
  EXPECT_EQ(offer.assignments(0).first_index(), 0u);
  EXPECT_EQ(offer.assignments(0).domains_size(), 1000);
  EXPECT_EQ(offer.assignments(0).domains(0).name(), "d0.example");
  EXPECT_EQ(offer.assignments(0).domains(0).sector(), "government");
  EXPECT_EQ(offer.assignments(1).first_index(), 1000u);
  EXPECT_EQ(offer.assignments(1).round(), 1u);
  EXPECT_EQ(offer.assignments(1).budget().domains_per_day(), 2000u);
  EXPECT_EQ(offer.poll_after_seconds(), 300u);
  // Held, nothing more today; a day after the offer, the rest.
  WorkPoll holding = Holding(offer);
  holding.set_free_slots(2);
  EXPECT_EQ(Plan(holding).assignments_size(), 0);
  clock_.Advance(absl::Hours(24) + absl::Seconds(1));
  const WorkOffer next = Plan(Holding(offer, 1000));
  EXPECT_EQ(next.assignments_size(), 0);  // No free slot said.
  WorkPoll done = Holding(offer, 1000);
  done.set_free_slots(4);
  const WorkOffer rest = Plan(done);
  ASSERT_EQ(rest.assignments_size(), 1);
  EXPECT_EQ(rest.assignments(0).first_index(), 2000u);
  EXPECT_EQ(rest.assignments(0).domains_size(), 500);
  EXPECT_EQ(Stored(offer.assignments(0).assignment_id()).state,
            AssignmentState::kFinished);
}

TEST_F(PlannerTest, TheProbesCapNarrowsTheBudget) {
  store_.AddCampaign(MakeCampaign("c-1", 2500), List(2500));
  WorkPoll poll = Poll();
  poll.set_max_domains_per_day(300);
  const WorkOffer offer = Plan(poll);
  ASSERT_EQ(offer.assignments_size(), 1);
  EXPECT_EQ(offer.assignments(0).domains_size(), 300);
}

// The byte caps count at the planning figure (0.5 MiB a domain): a host
// capping 10 MiB a day is offered 20 domains, not its domain cap's 300.
TEST_F(PlannerTest, TheProbesByteCapNarrowsTheBudget) {
  store_.AddCampaign(MakeCampaign("c-1", 2500), List(2500));
  WorkPoll poll = Poll();
  poll.set_max_domains_per_day(300);
  poll.set_max_bytes_per_day(10ull << 20);
  const WorkOffer offer = Plan(poll);
  ASSERT_EQ(offer.assignments_size(), 1);
  EXPECT_EQ(offer.assignments(0).domains_size(), 20);
}

TEST_F(PlannerTest, FreeSlotsBoundTheOffer) {
  store_.AddCampaign(MakeCampaign("c-1", 9000, 100000), List(9000));
  EXPECT_EQ(Plan(Poll(4)).assignments_size(), 4);
  const WorkOffer none = Plan(Poll(0));
  EXPECT_EQ(none.assignments_size(), 0);
  EXPECT_EQ(none.poll_after_seconds(), 300u);  // More is there today.
}

TEST_F(PlannerTest, ExpiryIsTwoDaysOrTwiceTheBudgetTime) {
  store_.AddCampaign(MakeCampaign("c-1", 1000, /*per_day=*/100000), List(1000));
  const WorkOffer quick = Plan(Poll(1));
  EXPECT_EQ(quick.assignments(0).expires_at().seconds(),
            absl::ToUnixSeconds(clock_.Now() + absl::Hours(48)));
  store_.AddCampaign(MakeCampaign("c-2", 1000, /*per_day=*/100), List(1000));
  WorkPoll poll = Holding(quick);
  poll.set_free_slots(1);
  const WorkOffer slow = Plan(poll);
  ASSERT_EQ(slow.assignments_size(), 1);
  EXPECT_EQ(slow.assignments(0).domains_size(), 100);  // The day's budget.
  EXPECT_EQ(slow.assignments(0).expires_at().seconds(),
            absl::ToUnixSeconds(clock_.Now() + absl::Hours(48)));
}

TEST_F(PlannerTest, LongSlicesLiveTwiceTheirBudgetTime) {
  v6scope::v1::Campaign c = MakeCampaign("c-1", 1000, /*per_day=*/100);
  store_.AddCampaign(c, List(1000));
  WorkPoll poll = Poll(1);
  const WorkOffer offer = Plan(poll);
  ASSERT_EQ(offer.assignments_size(), 1);
  const store::AssignmentRecord r =
      Stored(offer.assignments(0).assignment_id());
  EXPECT_EQ(r.expires_at - r.offered_at, absl::Hours(48));  // 2 * 100/100.
}

TEST_F(PlannerTest, OptedOutSectorsAreLeftOut) {
  std::vector<DomainEntry> list = List(3, Sector::kGovernment);
  for (const DomainEntry& e : List(2, Sector::kEducation)) {
    list.push_back({"edu-" + e.name, e.sector, 0});
  }
  for (const DomainEntry& e : List(2, Sector::kGovernment)) {
    list.push_back({"gov-" + e.name, e.sector, 0});
  }
  store_.AddCampaign(MakeCampaign("c-1", list.size()), list);
  WorkPoll poll = Poll();
  poll.add_opted_out_sectors("education");
  const WorkOffer offer = Plan(poll);
  ASSERT_EQ(offer.assignments_size(), 2);
  EXPECT_EQ(offer.assignments(0).first_index(), 0u);
  EXPECT_EQ(offer.assignments(0).domains_size(), 3);
  EXPECT_EQ(offer.assignments(1).first_index(), 5u);  // Advanced over 3, 4.
  EXPECT_EQ(offer.assignments(1).domains(0).name(), "gov-d0.example");
  EXPECT_EQ(store_.GetProbeWorkState(kProbe)->opted_out_sectors,
            std::vector<std::string>{"education"});
}

TEST_F(PlannerTest, AWindowOptedOutWholeIsAdvancedOver) {
  std::vector<DomainEntry> list = List(1500, Sector::kEducation);
  list.push_back({"gov.example", Sector::kGovernment, 0});
  v6scope::v1::Campaign c = MakeCampaign("c-1", list.size());
  store_.AddCampaign(c, list);
  WorkPoll poll = Poll();
  poll.add_opted_out_sectors("education");
  const WorkOffer offer = Plan(poll);
  ASSERT_EQ(offer.assignments_size(), 1);
  EXPECT_EQ(offer.assignments(0).first_index(), 1500u);
  EXPECT_EQ(offer.assignments(0).domains(0).name(), "gov.example");
}

TEST_F(PlannerTest, ACampaignOptedOutWholeIsNotRead) {
  v6scope::v1::Campaign c = MakeCampaign("c-1", 10);
  auto* s = c.mutable_list()->add_sectors();
  s->set_sector("education");
  s->set_names(10);
  store_.AddCampaign(c, List(10, Sector::kEducation));
  WorkPoll poll = Poll();
  poll.add_opted_out_sectors("Education");  // Any spelling ParseSector reads.
  EXPECT_EQ(Plan(poll).assignments_size(), 0);
  EXPECT_TRUE(store_.Assignments().empty());
}

TEST_F(PlannerTest, OptingOutCancelsWhatIsHeld) {
  store_.AddCampaign(MakeCampaign("c-1", 10), List(10));
  const WorkOffer offer = Plan(Poll(1));
  WorkPoll out = Holding(offer);
  out.set_opted_out(true);
  out.set_free_slots(4);
  const WorkOffer reply = Plan(out);
  EXPECT_EQ(reply.assignments_size(), 0);
  ASSERT_EQ(reply.cancelled_size(), 1);
  EXPECT_EQ(reply.cancelled(0), offer.assignments(0).assignment_id());
  EXPECT_EQ(Stored(reply.cancelled(0)).state, AssignmentState::kCancelled);
  EXPECT_TRUE(store_.GetProbeWorkState(kProbe)->opted_out);
}

TEST_F(PlannerTest, UnknownPausedAndDeletedHeldIdsAreCancelled) {
  store_.AddCampaign(MakeCampaign("c-1", 10), List(10));
  store_.AddCampaign(MakeCampaign("c-2", 10), List(10));
  const WorkOffer offer = Plan(Poll(2));
  ASSERT_EQ(offer.assignments_size(), 2);
  ASSERT_TRUE(
      store_.SetCampaignState("c-1", v6scope::v1::CAMPAIGN_PAUSED).ok());
  ASSERT_TRUE(
      store_.SetCampaignState("c-2", v6scope::v1::CAMPAIGN_DELETED).ok());
  WorkPoll poll = Holding(offer);
  poll.add_held()->set_assignment_id("a-00000000000000ff");  // Unknown.
  const WorkOffer reply = Plan(poll);
  EXPECT_EQ(reply.cancelled_size(), 3);
  EXPECT_EQ(Stored(offer.assignments(0).assignment_id()).state,
            AssignmentState::kCancelled);
  EXPECT_EQ(Stored(offer.assignments(1).assignment_id()).state,
            AssignmentState::kCancelled);
  EXPECT_EQ(reply.poll_after_seconds(), 900u);
}

TEST_F(PlannerTest, AnotherProbesIdIsUnknown) {
  store_.AddCampaign(MakeCampaign("c-1", 10), List(10));
  const WorkOffer offer = Plan(Poll(1));
  store_.AddVantage({"p-other", false, true, 1, "KE"});
  const WorkOffer reply = Plan(Holding(offer), "p-other");
  ASSERT_EQ(reply.cancelled_size(), 1);
  EXPECT_EQ(Stored(reply.cancelled(0)).state, AssignmentState::kOffered);
}

TEST_F(PlannerTest, ALostOfferIsSentOnceMoreThenEnded) {
  store_.AddCampaign(MakeCampaign("c-1", 1500), List(1500));
  const WorkOffer first = Plan(Poll(1));
  ASSERT_EQ(first.assignments_size(), 1);
  const std::string id = first.assignments(0).assignment_id();
  const WorkOffer again = Plan(Poll(1));  // The offer never arrived.
  ASSERT_EQ(again.assignments_size(), 1);
  EXPECT_EQ(again.assignments(0).SerializeAsString(),
            first.assignments(0).SerializeAsString());
  EXPECT_EQ(Stored(id).offers, 2);
  const WorkOffer third = Plan(Poll(1));  // Lost again.
  EXPECT_EQ(Stored(id).state, AssignmentState::kEnded);
  ASSERT_EQ(third.assignments_size(), 1);
  EXPECT_NE(third.assignments(0).assignment_id(), id);
  EXPECT_EQ(third.assignments(0).first_index(), 1000u);
}

TEST_F(PlannerTest, HeldWorkIsRecordedAndFinished) {
  store_.AddCampaign(MakeCampaign("c-1", 10), List(10));
  const WorkOffer offer = Plan(Poll(1));
  const std::string id = offer.assignments(0).assignment_id();
  WorkOffer reply = Plan(Holding(offer, 4));
  EXPECT_EQ(Stored(id).state, AssignmentState::kHeld);
  EXPECT_EQ(Stored(id).done, 4u);
  EXPECT_EQ(reply.poll_after_seconds(), 300u);
  reply = Plan(Holding(offer, 10));
  EXPECT_EQ(Stored(id).state, AssignmentState::kFinished);
  EXPECT_EQ(reply.cancelled_size(), 0);
  // Dropped by the probe once finished: stays finished, not re-sent.
  EXPECT_EQ(Plan(Poll(1)).assignments_size(), 0);
  EXPECT_EQ(Stored(id).state, AssignmentState::kFinished);
}

TEST_F(PlannerTest, RefusalsAreRecordedWithTheirReason) {
  store_.AddCampaign(MakeCampaign("c-1", 10), List(10));
  const WorkOffer offer = Plan(Poll(1));
  WorkPoll poll = Poll(0);
  auto* r = poll.add_refused();
  r->set_assignment_id(offer.assignments(0).assignment_id());
  r->set_reason("domains[3]: \"a..b\" is not a host name");
  Plan(poll);
  const store::AssignmentRecord rec =
      Stored(offer.assignments(0).assignment_id());
  EXPECT_EQ(rec.state, AssignmentState::kRefused);
  EXPECT_EQ(rec.refusal, "domains[3]: \"a..b\" is not a host name");
}

TEST_F(PlannerTest, ExpiredHeldWorkIsEndedAndCancelled) {
  store_.AddCampaign(MakeCampaign("c-1", 10), List(10));
  const WorkOffer offer = Plan(Poll(1));
  clock_.Advance(absl::Hours(49));
  const WorkOffer reply = Plan(Holding(offer, 3));
  ASSERT_EQ(reply.cancelled_size(), 1);
  EXPECT_EQ(Stored(reply.cancelled(0)).state, AssignmentState::kEnded);
}

TEST_F(PlannerTest, EachRoundCoversTheWholeListAgain) {
  store_.AddCampaign(MakeCampaign("c-1", 10, 2000, /*every_n_days=*/7),
                     List(10));
  const WorkOffer r1 = Plan(Poll(1));
  ASSERT_EQ(r1.assignments_size(), 1);
  WorkOffer idle = Plan(Holding(r1, 10));  // Finished round 1.
  EXPECT_EQ(idle.assignments_size(), 0);
  // Next round at created_at + 7 days; the clock is 1 h past creation:
  // an idle probe still polls every 3 x 300 s, for new campaigns.
  EXPECT_EQ(idle.poll_after_seconds(), 900u);
  clock_.Set(kT0 + absl::Hours(24 * 7) - absl::Seconds(100));
  idle = Plan(Poll(1));
  EXPECT_EQ(idle.poll_after_seconds(), 100u);
  clock_.Set(kT0 + absl::Hours(24 * 7));
  const WorkOffer r2 = Plan(Poll(1));
  ASSERT_EQ(r2.assignments_size(), 1);
  EXPECT_EQ(r2.assignments(0).round(), 2u);
  EXPECT_EQ(r2.assignments(0).first_index(), 0u);
}

TEST_F(PlannerTest, PollAfterWaitsForTheDayBudget) {
  store_.AddCampaign(MakeCampaign("c-1", 5000, /*per_day=*/1000), List(5000));
  const WorkOffer offer = Plan(Poll(1));
  clock_.Advance(absl::Hours(1));
  const WorkOffer idle = Plan(Holding(offer, 1000));
  EXPECT_EQ(idle.assignments_size(), 0);
  // The day's budget returns in 23 h; idle polls come every 900 s.
  EXPECT_EQ(idle.poll_after_seconds(), 900u);
}

TEST_F(PlannerTest, PollAfterHasAFloorUnlessConfiguredShorter) {
  store_.AddCampaign(MakeCampaign("c-1", 5000, /*per_day=*/1000), List(5000));
  const WorkOffer offer = Plan(Poll(1));
  clock_.Advance(absl::Hours(24) - absl::Seconds(5));
  EXPECT_EQ(Plan(Holding(offer, 1000)).poll_after_seconds(), 60u);
  PlannerOptions options;
  options.poll_seconds = 2;
  AssignmentPlanner quick(&store_, &store_, &clock_, RandomAssignmentId,
                          options);
  absl::StatusOr<WorkOffer> fast = quick.Plan(kProbe, Holding(offer, 1000));
  ASSERT_TRUE(fast.ok());
  EXPECT_EQ(fast->poll_after_seconds(), 5u);
}

TEST_F(PlannerTest, PollsOutsideTheProtosLimitsAreRefused) {
  WorkPoll too_many = Poll(5);
  EXPECT_TRUE(
      absl::IsInvalidArgument(planner_.Plan(kProbe, too_many).status()));
  WorkPoll long_reason = Poll();
  long_reason.add_refused()->set_reason(std::string(256, 'x'));
  EXPECT_TRUE(
      absl::IsInvalidArgument(planner_.Plan(kProbe, long_reason).status()));
}

TEST_F(PlannerTest, StoreErrorsAreReturned) {
  store_.FailWith(absl::UnavailableError("disk"));
  EXPECT_TRUE(absl::IsUnavailable(planner_.Plan(kProbe, Poll()).status()));
}

TEST_F(PlannerTest, CancelledForNamesPausedAndDeletedCampaigns) {
  store_.AddCampaign(MakeCampaign("c-1", 10), List(10));
  store_.AddCampaign(MakeCampaign("c-2", 10), List(10));
  store_.AddCampaign(MakeCampaign("c-3", 10), List(10));
  const WorkOffer offer = Plan(Poll(3));
  ASSERT_EQ(offer.assignments_size(), 3);
  ASSERT_TRUE(
      store_.SetCampaignState("c-1", v6scope::v1::CAMPAIGN_PAUSED).ok());
  ASSERT_TRUE(
      store_.SetCampaignState("c-3", v6scope::v1::CAMPAIGN_DELETED).ok());
  v6scope::v1::DomainBatch batch;
  for (int i : {0, 0, 1, 2}) {
    batch.add_results()->set_assignment_id(
        offer.assignments(i).assignment_id());
  }
  batch.add_results()->set_assignment_id("a-unknown");
  absl::StatusOr<std::vector<std::string>> c =
      planner_.CancelledFor(kProbe, batch);
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(*c,
            (std::vector<std::string>{offer.assignments(0).assignment_id(),
                                      offer.assignments(2).assignment_id()}));
  // Another probe's ids are not its to cancel.
  EXPECT_TRUE(planner_.CancelledFor("p-other", batch)->empty());
}

}  // namespace
}  // namespace v6scope::collector::campaign
