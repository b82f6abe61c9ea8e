// FileWorkBook: the uplink's side (polls, offers, cancellations).
#include "probe/campaign/file_work_book.h"

#include <unistd.h>

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/log/log.h"
#include "probe/campaign/assignment_check.h"
#include "probe/campaign/assignment_file.h"

namespace v6scope::probe::campaign {
namespace {

constexpr size_t kMaxRefusals = 64;  // WorkPoll.refused.
// An opted-out host whose opt-out the collector acknowledged still says
// so once a day (a new collector, a lost state).
constexpr absl::Duration kOptedOutPollEvery = absl::Hours(24);

absl::Time ToTime(const google::protobuf::Timestamp& t) {
  return absl::FromUnixSeconds(t.seconds()) + absl::Nanoseconds(t.nanos());
}

}  // namespace

uint32_t FileWorkBook::Today() const {
  const int64_t s = absl::ToUnixSeconds(options_.clock->Now());
  return static_cast<uint32_t>(s >= 0 ? s / 86400 : 0);
}

bool FileWorkBook::Complete(const Held& h) const {
  return h.done_count == h.done.size();
}

v6scope::v1::WorkPoll FileWorkBook::BuildPoll() {
  absl::MutexLock lock(&mu_);
  DropExpiredLocked();
  const Participation& p = options_.participation;
  v6scope::v1::WorkPoll poll;
  poll.set_opted_out(p.opt_out);
  for (const std::string& s : p.opt_out_sectors) poll.add_opted_out_sectors(s);
  size_t working = 0;
  for (const auto& [id, h] : held_) {
    v6scope::v1::HeldAssignment* a = poll.add_held();
    a->set_assignment_id(id);
    a->set_done(h->done_count);
    if (!Complete(*h)) ++working;  // A finished one goes with this poll.
  }
  for (const auto& r : refusals_) *poll.add_refused() = r;
  poll.set_free_slots(p.opt_out ? 0
                                : static_cast<uint32_t>(
                                      kMaxHeldAssignments -
                                      std::min(working, kMaxHeldAssignments)));
  poll.set_max_domains_per_day(p.max_domains_per_day);
  poll.set_max_bytes_per_day(p.max_bytes_per_day);
  poll.set_max_concurrency(p.max_concurrency);
  return poll;
}

void FileWorkBook::RefuseLocked(const std::string& id,
                                const std::string& reason) {
  log::Warn("campaign.assignment_refused",
            {{"assignment", id}, {"reason", reason}});
  if (refusals_.size() >= kMaxRefusals) refusals_.erase(refusals_.begin());
  v6scope::v1::AssignmentRefusal r;
  r.set_assignment_id(RefusalLine(id));
  r.set_reason(RefusalLine(reason));
  refusals_.push_back(std::move(r));
}

// Refusals the poll carried are reported; finished assignments it
// reported with done == count are known to the collector: both go.
void FileWorkBook::ForgetReportedLocked(const v6scope::v1::WorkPoll& poll) {
  for (const auto& sent : poll.refused()) {
    auto it = std::find_if(refusals_.begin(), refusals_.end(), [&](auto& r) {
      return r.assignment_id() == sent.assignment_id() &&
             r.reason() == sent.reason();
    });
    if (it != refusals_.end()) refusals_.erase(it);
  }
  for (const auto& held : poll.held()) {
    auto it = held_.find(held.assignment_id());
    if (it != held_.end() && Complete(*it->second) &&
        held.done() == it->second->done.size()) {
      DropLocked(held.assignment_id(), "finished");
    }
  }
}

// True if taken; false if refused (recorded); an error only for I/O.
absl::StatusOr<bool> FileWorkBook::AcceptLocked(
    const v6scope::v1::Assignment& a) {
  const std::string& id = a.assignment_id();
  absl::Status valid = CheckAssignment(a, options_.clock->Now());
  if (valid.ok() && options_.participation.opt_out) {
    valid = absl::FailedPreconditionError("the host opted out of campaigns");
  }
  if (valid.ok() && held_.size() >= kMaxHeldAssignments) {
    valid = absl::ResourceExhaustedError(
        absl::StrCat("no free slot (", held_.size(), " held)"));
  }
  if (!valid.ok()) {
    RefuseLocked(id, std::string(valid.message()));
    return false;
  }
  absl::Status s = WriteAssignmentFile(PathOf(id, ".assignment"), a);
  auto h = std::make_unique<Held>();
  std::vector<ProgressRecord> none;
  const uint32_t count = static_cast<uint32_t>(a.domains_size());
  if (s.ok()) {
    ::unlink(PathOf(id, ".progress").c_str());  // Never someone else's.
    auto log = ProgressLog::Open(PathOf(id, ".progress"), count,
                                 quarantine_dir_, &none);
    if (log.ok()) h->log = *std::move(log);
    s = log.status();
  }
  if (!s.ok()) return s;
  h->assignment = a;
  h->expires = ToTime(a.expires_at());
  h->done.assign(count, false);
  h->in_flight.assign(count, false);
  h->usage_day = Today();
  held_[id] = std::move(h);
  log::Info("campaign.assignment_accepted", {{"assignment", id},
                                             {"campaign", a.campaign_id()},
                                             {"round", a.round()},
                                             {"domains", count}});
  return true;
}

absl::Status FileWorkBook::ApplyOffer(const v6scope::v1::WorkPoll& poll,
                                      const v6scope::v1::WorkOffer& offer) {
  std::function<void()> notify;
  absl::Status status;
  {
    absl::MutexLock lock(&mu_);
    const absl::Time now = options_.clock->Now();
    last_offer_at_ = now;
    poll_after_ = now + absl::Seconds(std::clamp<uint32_t>(
                            offer.poll_after_seconds(), 60, 86400));
    if (poll.opted_out()) opt_out_acknowledged_ = true;
    ForgetReportedLocked(poll);
    for (const std::string& id : offer.cancelled()) DropLocked(id, "cancelled");
    std::vector<std::string> accepted;
    for (const v6scope::v1::Assignment& a : offer.assignments()) {
      if (held_.count(a.assignment_id()) != 0) continue;  // Offered again.
      absl::StatusOr<bool> taken = AcceptLocked(a);
      if (!taken.ok()) {
        status = taken.status();
        break;
      }
      if (*taken) accepted.push_back(a.assignment_id());
    }
    if (!status.ok()) {  // Nothing of this offer stays accepted.
      for (const std::string& id : accepted) DropLocked(id, "offer failed");
      log::Error("campaign.offer_not_taken", {{"status", status}});
    } else if (!accepted.empty()) {
      notify = on_new_work_;
    }
  }
  if (notify) notify();
  return status;
}

absl::Status FileWorkBook::Cancel(absl::Span<const std::string> ids) {
  absl::MutexLock lock(&mu_);
  for (const std::string& id : ids) DropLocked(id, "cancelled");
  return absl::OkStatus();
}

absl::Time FileWorkBook::NextPollAt() const {
  absl::MutexLock lock(&mu_);
  if (options_.participation.opt_out) {
    return opt_out_acknowledged_ ? last_offer_at_ + kOptedOutPollEvery
                                 : absl::InfinitePast();
  }
  // Before the first offer: now. After it: when the collector said (by
  // then a poll is due whether slots are free or only progress is new).
  return poll_after_;
}

void FileWorkBook::SetOnNewWork(std::function<void()> callback) {
  absl::MutexLock lock(&mu_);
  on_new_work_ = std::move(callback);
}

size_t FileWorkBook::held() const {
  absl::MutexLock lock(&mu_);
  return held_.size();
}

Usage FileWorkBook::UsageToday() const {
  absl::MutexLock lock(&mu_);
  const uint32_t today = Today();
  Usage total;
  if (carried_.day == today) {
    for (const auto& [c, u] : carried_.by_campaign) {
      total.domains += u.domains;
      total.bytes += u.bytes;
    }
  }
  for (const auto& [id, h] : held_) {
    if (h->usage_day != today) continue;
    total.domains += h->usage.domains;
    total.bytes += h->usage.bytes;
  }
  return total;
}

}  // namespace v6scope::probe::campaign
