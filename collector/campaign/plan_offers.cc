// The offering half of a plan: the next slices of every active campaign
// that selects the probe (docs/campaigns.md, "Work").
//
// A slice is a contiguous run of the list, so that a result's item maps
// to list_index = first_index + item. Domains in a sector the host opted
// out of are left out by cutting the run there: the slice starts after
// the opted-out entries before it (they are advanced over) and ends before
// the next one. A window of the list that is opted out whole is recorded
// as an ended assignment sent nowhere (offers 0), so the probe's place in
// the list moves past it.
#include <algorithm>
#include <utility>

#include "collector/campaign/campaign_spec.h"
#include "collector/campaign/plan_run.h"
#include "collector/campaign/rounds.h"

namespace v6scope::collector::campaign {
namespace {

using store::AssignmentRecord;
using store::AssignmentState;
using v6scope::v1::Campaign;

// Whole opted-out windows skipped per campaign per poll: bounds the work
// of one poll; the next poll goes on from there.
constexpr int kMaxSkippedWindows = 8;

// max(2 days, 2 * count / domains_per_day days).
absl::Duration Lifetime(uint32_t count, uint32_t per_day) {
  const absl::Duration scaled = absl::Hours(48) * count / per_day;
  return std::max(absl::Hours(48), scaled);
}

}  // namespace

absl::Status PlanRun::OfferNew() {
  if (poll_.opted_out()) return absl::OkStatus();
  absl::StatusOr<std::vector<Campaign>> all =
      planner_.campaigns_->ListCampaigns(/*include_deleted=*/false);
  if (!all.ok()) return all.status();
  for (const Campaign& c : *all) {
    if (c.state() != v6scope::v1::CAMPAIGN_ACTIVE || OptedOutOfAll(c)) {
      continue;
    }
    absl::StatusOr<bool> selected = Selects(c);
    if (!selected.ok()) return selected.status();
    if (!*selected) continue;
    if (absl::Status s = OfferFrom(c); !s.ok()) return s;
  }
  return absl::OkStatus();
}

// The campaign's selector over this one probe: named, matched by place
// and network, or the collector's vantage when the campaign includes the
// collector.
absl::StatusOr<bool> PlanRun::Selects(const Campaign& c) {
  absl::StatusOr<ProbeVantage> vantage =
      planner_.work_->GetProbeVantage(probe_id_);
  if (absl::IsNotFound(vantage.status())) return false;
  if (!vantage.ok()) return vantage.status();
  return SelectsProbe(c.selector(), *vantage);
}

bool PlanRun::OptedOut(Sector sector) const {
  return opted_out_sectors_.contains(sector);
}

// Every sector the list holds names of is one the host refuses.
bool PlanRun::OptedOutOfAll(const Campaign& c) const {
  if (opted_out_sectors_.empty() || c.list().sectors().empty()) return false;
  for (const v6scope::v1::SectorCount& s : c.list().sectors()) {
    std::optional<Sector> sector = ParseSector(s.sector());
    if (s.names() > 0 && (!sector.has_value() || !OptedOut(*sector))) {
      return false;
    }
  }
  return true;
}

uint32_t PlanRun::DailyLimit(const Campaign& c) const {
  uint32_t limit = c.budget().domains_per_day() > 0
                       ? c.budget().domains_per_day()
                       : kDefaultDomainsPerDay;
  if (poll_.max_domains_per_day() > 0) {
    limit = std::min(limit, poll_.max_domains_per_day());
  }
  // The byte caps in domains, at the planning figure: offering more than
  // the probe's bytes allow only makes slices expire unfinished.
  for (uint64_t bytes :
       {c.budget().bytes_per_day(), poll_.max_bytes_per_day()}) {
    if (bytes == 0) continue;
    const uint64_t domains =
        std::max<uint64_t>(1, bytes / kPlannedBytesPerDomain);
    limit = static_cast<uint32_t>(std::min<uint64_t>(limit, domains));
  }
  return limit;
}

// Domains offered to the probe for the campaign in the last 24 h, and
// when the oldest of those offers was made.
uint64_t PlanRun::OfferedToday(const std::string& campaign_id,
                               absl::Time* oldest) const {
  uint64_t total = 0;
  *oldest = absl::InfiniteFuture();
  for (const AssignmentRecord& r : records_) {
    if (r.campaign_id != campaign_id || r.offers == 0 ||
        r.offered_at <= now_ - absl::Hours(24)) {
      continue;
    }
    total += r.count;
    *oldest = std::min(*oldest, r.offered_at);
  }
  return total;
}

absl::Status PlanRun::OfferFrom(const Campaign& c) {
  const uint32_t round = CurrentRound(c, now_);
  if (round == 0) {
    wake_ = std::min(wake_, RoundStart(c, 1));
    return absl::OkStatus();
  }
  absl::StatusOr<uint64_t> next =
      planner_.work_->NextListIndex(c.id(), probe_id_, round);
  if (!next.ok()) return next.status();
  const uint64_t names = c.list().names();
  const uint32_t daily = DailyLimit(c);
  int skipped = 0;
  while (*next < names) {
    absl::Time oldest;
    const uint64_t used = OfferedToday(c.id(), &oldest);
    if (used >= daily) {
      wake_ = std::min(wake_, oldest + absl::Hours(24));
      return absl::OkStatus();
    }
    if (slots_ == 0 || skipped == kMaxSkippedWindows) {
      more_today_ = true;
      return absl::OkStatus();
    }
    const uint32_t limit = static_cast<uint32_t>(
        std::min<uint64_t>(kMaxAssignmentDomains, daily - used));
    const int before = offer_.assignments_size();
    next = OfferSlice(c, round, *next, limit);
    if (!next.ok()) return next.status();
    if (offer_.assignments_size() == before) ++skipped;
  }
  wake_ = std::min(wake_, NextRoundStart(c, round));
  return absl::OkStatus();
}

// Offers the run of allowed domains from `next` (at most `limit`), or
// records the window as skipped; returns where the probe's place is now.
absl::StatusOr<uint64_t> PlanRun::OfferSlice(const Campaign& c, uint32_t round,
                                             uint64_t next, uint32_t limit) {
  const uint64_t window =
      std::min<uint64_t>(kMaxAssignmentDomains, c.list().names() - next);
  absl::StatusOr<std::vector<DomainEntry>> entries =
      planner_.campaigns_->ReadCampaignDomains(
          c.id(), static_cast<int64_t>(next), static_cast<int>(window));
  if (!entries.ok()) return entries.status();
  if (entries->empty()) return c.list().names();  // Shorter than its stats.
  size_t first = 0;
  while (first < entries->size() && OptedOut((*entries)[first].sector)) {
    ++first;
  }
  size_t end = first;
  while (end < entries->size() && end - first < limit &&
         !OptedOut((*entries)[end].sector)) {
    ++end;
  }
  AssignmentRecord r;
  r.campaign_id = c.id();
  r.probe_id = probe_id_;
  r.round = round;
  r.offered_at = now_;
  if (first == end) {  // Opted out whole: advanced over, sent nowhere.
    r.first_index = next;
    r.count = static_cast<uint32_t>(entries->size());
    r.state = AssignmentState::kEnded;
    r.offers = 0;
    r.expires_at = now_;
  } else {
    r.first_index = next + first;
    r.count = static_cast<uint32_t>(end - first);
    r.expires_at = now_ + Lifetime(r.count, DailyLimit(c));
  }
  std::vector<DomainEntry> run(entries->begin() + first,
                               entries->begin() + end);
  if (absl::Status s = AddOffer(c, std::move(r), run); !s.ok()) return s;
  return records_.back().first_index + records_.back().count;
}

absl::Status PlanRun::AddOffer(const Campaign& c, AssignmentRecord record,
                               const std::vector<DomainEntry>& run) {
  absl::StatusOr<std::string> id = planner_.ids_();
  if (!id.ok()) return id.status();
  record.assignment_id = *std::move(id);
  if (absl::Status s = planner_.work_->PutAssignment(record); !s.ok()) {
    return s;
  }
  records_.push_back(std::move(record));
  by_id_[records_.back().assignment_id] = &records_.back();
  if (records_.back().offers == 0) return absl::OkStatus();
  *offer_.add_assignments() = ToAssignment(records_.back(), c, run);
  --slots_;
  return absl::OkStatus();
}

}  // namespace v6scope::collector::campaign
