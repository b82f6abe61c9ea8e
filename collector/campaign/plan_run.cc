// The reconciling half of a plan: the probe's state, refusals, what it
// holds and what it no longer holds (docs/campaigns.md, "Work").
#include "collector/campaign/plan_run.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "collector/campaign/sector.h"
#include "common/text/text_rules.h"
#include "google/protobuf/util/time_util.h"

namespace v6scope::collector::campaign {
namespace {

using store::AssignmentRecord;
using store::AssignmentState;
using v6scope::v1::Campaign;
using v6scope::v1::WorkOffer;
using v6scope::v1::WorkPoll;

constexpr uint32_t kMaxPollSeconds = 86400;
constexpr uint32_t kMinPollSeconds = 60;

bool IsOpen(const AssignmentRecord& r) {
  return r.state == AssignmentState::kOffered ||
         r.state == AssignmentState::kHeld;
}

bool IsActive(const Campaign* c) {
  return c != nullptr && c->state() == v6scope::v1::CAMPAIGN_ACTIVE;
}

absl::Status CheckPoll(const WorkPoll& poll) {
  if (poll.free_slots() > kMaxFreeSlots) {
    return absl::InvalidArgumentError(
        absl::StrCat("work_poll.free_slots: at most ", kMaxFreeSlots));
  }
  if (poll.refused_size() > kMaxRefusals) {
    return absl::InvalidArgumentError(
        absl::StrCat("work_poll.refused: at most ", kMaxRefusals));
  }
  for (int i = 0; i < poll.refused_size(); ++i) {
    if (poll.refused(i).reason().size() > kMaxRefusalBytes) {
      return absl::InvalidArgumentError(
          absl::StrCat("work_poll.refused[", i, "].reason: at most ",
                       kMaxRefusalBytes, " bytes"));
    }
  }
  return absl::OkStatus();
}

}  // namespace

PlanRun::PlanRun(const AssignmentPlanner& planner, const std::string& probe_id,
                 const WorkPoll& poll)
    : planner_(planner),
      probe_id_(probe_id),
      poll_(poll),
      now_(planner.clock_->Now()),
      slots_(poll.free_slots()) {
  for (const auto& h : poll.held()) held_ids_.insert(h.assignment_id());
  for (const auto& r : poll.refused()) refused_ids_.insert(r.assignment_id());
  for (const std::string& s : poll.opted_out_sectors()) {
    if (std::optional<Sector> sector = ParseSector(s)) {
      opted_out_sectors_.insert(*sector);
    }
  }
}

absl::StatusOr<WorkOffer> PlanRun::Run() {
  if (absl::Status s = CheckPoll(poll_); !s.ok()) return s;
  absl::Status s = RecordState();
  if (s.ok()) s = LoadRecords();
  if (s.ok()) s = RecordRefusals();
  if (s.ok()) s = ReconcileHeld();
  if (s.ok()) s = ReconcileAbsent();
  if (s.ok()) s = OfferNew();
  if (!s.ok()) return s;
  offer_.set_poll_after_seconds(PollAfterSeconds());
  return std::move(offer_);
}

absl::Status PlanRun::RecordState() {
  store::ProbeWorkState state;
  state.probe_id = probe_id_;
  state.last_poll = now_;
  state.opted_out = poll_.opted_out();
  for (Sector s : opted_out_sectors_) {
    state.opted_out_sectors.emplace_back(SectorName(s));
  }
  std::sort(state.opted_out_sectors.begin(), state.opted_out_sectors.end());
  return planner_.work_->PutProbeWorkState(state);
}

absl::Status PlanRun::LoadRecords() {
  absl::StatusOr<std::vector<AssignmentRecord>> all =
      planner_.work_->ListProbeAssignments(probe_id_, now_ - absl::Hours(24));
  if (!all.ok()) return all.status();
  for (AssignmentRecord& r : *all) {
    records_.push_back(std::move(r));
    by_id_[records_.back().assignment_id] = &records_.back();
  }
  return absl::OkStatus();
}

// The probe's assignment `id`, from the loaded ones or the store; nullptr
// when the collector has none of that id for this probe.
absl::StatusOr<AssignmentRecord*> PlanRun::Find(const std::string& id) {
  if (auto it = by_id_.find(id); it != by_id_.end()) return it->second;
  absl::StatusOr<AssignmentRecord> r = planner_.work_->GetAssignment(id);
  if (absl::IsNotFound(r.status())) return nullptr;
  if (!r.ok()) return r.status();
  if (r->probe_id != probe_id_) return nullptr;
  records_.push_back(*std::move(r));
  by_id_[id] = &records_.back();
  return &records_.back();
}

absl::StatusOr<const Campaign*> PlanRun::FindCampaign(const std::string& id) {
  if (auto it = campaigns_.find(id); it != campaigns_.end()) return &it->second;
  if (unknown_campaigns_.contains(id)) return nullptr;
  absl::StatusOr<Campaign> c = planner_.campaigns_->GetCampaign(id);
  if (absl::IsNotFound(c.status())) {
    unknown_campaigns_.insert(id);
    return nullptr;
  }
  if (!c.ok()) return c.status();
  return &(campaigns_[id] = *std::move(c));
}

absl::Status PlanRun::Put(AssignmentRecord& record) {
  return planner_.work_->PutAssignment(record);
}

absl::Status PlanRun::RecordRefusals() {
  for (const v6scope::v1::AssignmentRefusal& r : poll_.refused()) {
    absl::StatusOr<AssignmentRecord*> rec = Find(r.assignment_id());
    if (!rec.ok()) return rec.status();
    if (*rec == nullptr || !IsOpen(**rec)) continue;
    (*rec)->state = AssignmentState::kRefused;
    // Shown to admins: one clean line whatever the probe sent.
    (*rec)->refusal = text::IsValidUtf8(r.reason()) ? r.reason() : "?";
    std::replace((*rec)->refusal.begin(), (*rec)->refusal.end(), '\n', ' ');
    if (absl::Status s = Put(**rec); !s.ok()) return s;
  }
  return absl::OkStatus();
}

absl::Status PlanRun::ReconcileHeld() {
  for (const v6scope::v1::HeldAssignment& h : poll_.held()) {
    if (absl::Status s = ReconcileHeldOne(h); !s.ok()) return s;
  }
  return absl::OkStatus();
}

// Held work goes on only if the collector knows it as this probe's, its
// campaign is active, the host takes campaigns and it has not expired.
absl::Status PlanRun::ReconcileHeldOne(const v6scope::v1::HeldAssignment& h) {
  absl::StatusOr<AssignmentRecord*> found = Find(h.assignment_id());
  if (!found.ok()) return found.status();
  AssignmentRecord* rec = *found;
  if (rec == nullptr) {
    offer_.add_cancelled(h.assignment_id());
    return absl::OkStatus();
  }
  absl::StatusOr<const Campaign*> c = FindCampaign(rec->campaign_id);
  if (!c.ok()) return c.status();
  const bool was_open = IsOpen(*rec);
  rec->done = std::min(h.done(), rec->count);
  const bool finished =
      rec->state == AssignmentState::kFinished || rec->done == rec->count;
  const bool expired = !finished && rec->expires_at <= now_;
  if (poll_.opted_out() || !IsActive(*c) || expired ||
      (!was_open && !finished)) {
    offer_.add_cancelled(h.assignment_id());
    if (!was_open) return absl::OkStatus();
    rec->state = expired && IsActive(*c) && !poll_.opted_out()
                     ? AssignmentState::kEnded
                     : AssignmentState::kCancelled;
    return Put(*rec);
  }
  rec->state = finished ? AssignmentState::kFinished : AssignmentState::kHeld;
  if (!finished) holds_work_ = true;
  return Put(*rec);
}

absl::Status PlanRun::ReconcileAbsent() {
  for (AssignmentRecord& rec : records_) {
    if (!IsOpen(rec) || held_ids_.contains(rec.assignment_id) ||
        refused_ids_.contains(rec.assignment_id)) {
      continue;
    }
    if (absl::Status s = ReconcileAbsentOne(rec); !s.ok()) return s;
  }
  return absl::OkStatus();
}

// Open here, not held there: the offer was lost, or the probe dropped it.
absl::Status PlanRun::ReconcileAbsentOne(AssignmentRecord& rec) {
  absl::StatusOr<const Campaign*> c = FindCampaign(rec.campaign_id);
  if (!c.ok()) return c.status();
  if (poll_.opted_out() || !IsActive(*c)) {
    rec.state = AssignmentState::kCancelled;
  } else if (rec.state == AssignmentState::kHeld && rec.done >= rec.count) {
    rec.state = AssignmentState::kFinished;
  } else if (rec.expires_at <= now_ || rec.offers >= 2) {
    rec.state = AssignmentState::kEnded;
  } else if (slots_ == 0) {
    more_today_ = true;  // Sent again at a poll with a free slot.
    return absl::OkStatus();
  } else {
    return Resend(rec, **c);
  }
  return Put(rec);
}

absl::Status PlanRun::Resend(AssignmentRecord& rec, const Campaign& c) {
  absl::StatusOr<std::vector<DomainEntry>> domains =
      planner_.campaigns_->ReadCampaignDomains(
          rec.campaign_id, static_cast<int64_t>(rec.first_index),
          static_cast<int>(rec.count));
  if (!domains.ok()) return domains.status();
  if (domains->size() != rec.count) {  // The list is gone (deleted).
    rec.state = AssignmentState::kCancelled;
    return Put(rec);
  }
  rec.state = AssignmentState::kOffered;
  rec.offers = 2;
  *offer_.add_assignments() = ToAssignment(rec, c, *domains);
  --slots_;
  return Put(rec);
}

// 300 s (the option) while there is work to do or fetch; otherwise until
// the earliest day budget or round that brings more, but at most three
// times the option (15 minutes by default): a campaign created meanwhile
// reaches an idle probe within that. At least 60 s unless the option is
// shorter (tests).
uint32_t PlanRun::PollAfterSeconds() const {
  const uint32_t busy = planner_.options_.poll_seconds;
  if (holds_work_ || more_today_ || offer_.assignments_size() > 0) {
    return busy;
  }
  const int64_t idle_cap =
      std::min<int64_t>(kMaxPollSeconds, 3 * static_cast<int64_t>(busy));
  const int64_t floor = std::min<int64_t>(kMinPollSeconds, busy);
  if (wake_ == absl::InfiniteFuture()) return static_cast<uint32_t>(idle_cap);
  const int64_t wait = absl::ToInt64Seconds(absl::Ceil(
      std::max(wake_ - now_, absl::ZeroDuration()), absl::Seconds(1)));
  return static_cast<uint32_t>(
      std::clamp<int64_t>(wait, floor, std::max(floor, idle_cap)));
}

v6scope::v1::Assignment ToAssignment(const AssignmentRecord& record,
                                     const Campaign& campaign,
                                     const std::vector<DomainEntry>& domains) {
  v6scope::v1::Assignment a;
  a.set_assignment_id(record.assignment_id);
  a.set_campaign_id(record.campaign_id);
  a.set_round(record.round);
  a.set_first_index(record.first_index);
  for (const DomainEntry& e : domains) {
    v6scope::v1::AssignedDomain* d = a.add_domains();
    d->set_name(e.name);
    d->set_sector(std::string(SectorName(e.sector)));
  }
  *a.mutable_budget() = campaign.budget();
  *a.mutable_expires_at() =
      google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(
          absl::ToUnixMicros(record.expires_at));
  return a;
}

}  // namespace v6scope::collector::campaign
