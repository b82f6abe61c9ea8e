// FileWorkBook: the runner's side (items within the budgets, finishing).
#include <algorithm>

#include "common/log/log.h"
#include "probe/campaign/file_work_book.h"

namespace v6scope::probe::campaign {
namespace {

absl::Time NextUtcDay(absl::Time now) {
  const int64_t s = absl::ToUnixSeconds(now);
  return absl::FromUnixSeconds((s / 86400 + 1) * 86400);
}

}  // namespace

Usage FileWorkBook::CampaignUsageLocked(const std::string& campaign,
                                        uint32_t today) const {
  Usage u;
  if (carried_.day == today) {
    auto it = carried_.by_campaign.find(campaign);
    if (it != carried_.by_campaign.end()) u = it->second;
  }
  for (const auto& [id, h] : held_) {
    if (h->assignment.campaign_id() != campaign || h->usage_day != today) {
      continue;
    }
    u.domains += h->usage.domains;
    u.bytes += h->usage.bytes;
  }
  return u;
}

size_t FileWorkBook::CampaignInFlightLocked(const std::string& campaign) const {
  size_t n = 0;
  for (const auto& [id, h] : held_) {
    if (h->assignment.campaign_id() == campaign) n += h->in_flight_count;
  }
  return n;
}

// Whether `h`'s campaign may start one more check now; `by_budget` is set
// when a daily budget (not the concurrency) says no.
bool FileWorkBook::CampaignAllowsLocked(const Held& h, uint32_t today,
                                        bool* by_budget) const {
  const Participation& p = options_.participation;
  const v6scope::v1::CampaignBudget& b = h.assignment.budget();
  const std::string& campaign = h.assignment.campaign_id();
  const size_t in_flight = CampaignInFlightLocked(campaign);
  if (in_flight >= std::min(b.concurrency(), p.max_concurrency)) return false;
  const Usage u = CampaignUsageLocked(campaign, today);
  if (u.domains + in_flight >= b.domains_per_day() ||
      u.bytes >= b.bytes_per_day()) {
    *by_budget = true;
    return false;
  }
  return true;
}

// The next item of `h` not done and not in flight; items of a refused
// sector on the way are finished as skipped.
std::optional<WorkItem> FileWorkBook::TakeFromLocked(Held& h, uint32_t today) {
  const uint32_t count = static_cast<uint32_t>(h.done.size());
  while (h.cursor < count && (h.done[h.cursor] || h.in_flight[h.cursor])) {
    ++h.cursor;
  }
  for (uint32_t i = h.cursor; i < count; ++i) {
    if (h.done[i] || h.in_flight[i]) continue;
    const v6scope::v1::AssignedDomain& d = h.assignment.domains(i);
    if (options_.participation.RefusesSector(d.sector())) {
      ProgressRecord r{i, today, 0, /*skipped=*/true};
      absl::Status s = h.log->Append(r);
      if (!s.ok()) log::Error("campaign.progress_not_saved", {{"status", s}});
      h.done[i] = true;
      ++h.done_count;
      continue;
    }
    h.in_flight[i] = true;
    ++h.in_flight_count;
    return WorkItem{h.assignment.assignment_id(), h.assignment.campaign_id(), i,
                    d.name()};
  }
  return std::nullopt;
}

NextWork FileWorkBook::TakeNext() {
  absl::MutexLock lock(&mu_);
  DropExpiredLocked();
  const Participation& p = options_.participation;
  if (p.opt_out) return {};
  const uint32_t today = Today();
  const absl::Time tomorrow = NextUtcDay(options_.clock->Now());
  size_t in_flight = 0;
  for (const auto& [id, h] : held_) in_flight += h->in_flight_count;
  if (in_flight >= p.max_concurrency) return {};
  Usage host;
  if (carried_.day == today) {
    for (const auto& [c, u] : carried_.by_campaign) {
      host.domains += u.domains;
      host.bytes += u.bytes;
    }
  }
  for (const auto& [id, h] : held_) {
    if (h->usage_day == today) {
      host.domains += h->usage.domains;
      host.bytes += h->usage.bytes;
    }
  }
  if (host.domains + in_flight >= p.max_domains_per_day ||
      host.bytes >= p.max_bytes_per_day) {
    return {std::nullopt, tomorrow};
  }
  bool by_budget = false;
  for (auto& [id, h] : held_) {
    if (Complete(*h) || !CampaignAllowsLocked(*h, today, &by_budget)) continue;
    std::optional<WorkItem> item = TakeFromLocked(*h, today);
    if (item.has_value()) return {std::move(item), absl::InfiniteFuture()};
  }
  return {std::nullopt, by_budget ? tomorrow : absl::InfiniteFuture()};
}

absl::Status FileWorkBook::Finish(const WorkItem& item, uint64_t bytes) {
  absl::MutexLock lock(&mu_);
  auto it = held_.find(item.assignment_id);
  if (it == held_.end()) return absl::OkStatus();  // Dropped meanwhile.
  Held& h = *it->second;
  if (item.item >= h.done.size() || h.done[item.item]) return absl::OkStatus();
  if (h.in_flight[item.item]) {
    h.in_flight[item.item] = false;
    --h.in_flight_count;
  }
  const uint32_t today = Today();
  absl::Status s = h.log->Append(ProgressRecord{item.item, today, bytes});
  h.done[item.item] = true;
  ++h.done_count;
  if (h.usage_day != today) h.usage = Usage{}, h.usage_day = today;
  h.usage.domains += 1;
  h.usage.bytes += bytes;
  if (!s.ok()) log::Error("campaign.progress_not_saved", {{"status", s}});
  return s;
}

}  // namespace v6scope::probe::campaign
