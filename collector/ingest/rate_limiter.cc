#include "collector/ingest/rate_limiter.h"

#include <algorithm>

namespace v6scope::collector::ingest {
namespace {

// A bucket that has refilled completely carries no state worth keeping.
constexpr absl::Duration kSweepEvery = absl::Minutes(10);

}  // namespace

RateLimiter::RateLimiter(const time::Clock* clock, double runs_per_second,
                         double burst, size_t max_keys)
    : clock_(clock),
      rate_(runs_per_second),
      burst_(burst),
      max_keys_(max_keys),
      last_sweep_(clock->Now()) {}

absl::Duration RateLimiter::Take(const std::string& probe_id, double runs) {
  const absl::Time now = clock_->Now();
  absl::MutexLock lock(&mu_);
  ForgetIdleLocked(now);
  if (max_keys_ > 0 && buckets_.size() >= max_keys_ &&
      !buckets_.contains(probe_id)) {
    MakeRoomLocked(now);
  }
  auto [it, inserted] = buckets_.try_emplace(probe_id, Bucket{burst_, now});
  Bucket& b = it->second;
  b.tokens = std::min(
      burst_, b.tokens + rate_ * absl::ToDoubleSeconds(now - b.updated));
  b.updated = now;
  // A batch larger than the burst can never fit: let it through when the
  // bucket is full, so oversize-but-valid batches are not starved forever.
  const double cost = std::min(runs, burst_);
  if (b.tokens >= cost) {
    b.tokens -= cost;
    return absl::ZeroDuration();
  }
  return absl::Seconds((cost - b.tokens) / rate_);
}

absl::Duration RateLimiter::Peek(const std::string& probe_id,
                                 double runs) const {
  const absl::Time now = clock_->Now();
  absl::MutexLock lock(&mu_);
  auto it = buckets_.find(probe_id);
  if (it == buckets_.end()) return absl::ZeroDuration();
  const Bucket& b = it->second;
  const double tokens = std::min(
      burst_, b.tokens + rate_ * absl::ToDoubleSeconds(now - b.updated));
  const double cost = std::min(runs, burst_);
  if (tokens >= cost) return absl::ZeroDuration();
  return absl::Seconds((cost - tokens) / rate_);
}

void RateLimiter::ForgetIdleLocked(absl::Time now) {
  if (now - last_sweep_ < kSweepEvery) return;
  SweepLocked(now);
}

// The table is full and a new key comes: drop the buckets that have
// refilled (they hold nothing); if none has, drop them all. Scanning for
// the stalest key instead would cost a full scan per new key while an
// attacker sprays addresses; a reset costs one scan per `max_keys` new
// keys and gives each key at most the burst it would get as a new key.
void RateLimiter::MakeRoomLocked(absl::Time now) {
  SweepLocked(now);
  if (buckets_.size() >= max_keys_) buckets_.clear();
}

void RateLimiter::SweepLocked(absl::Time now) {
  last_sweep_ = now;
  const absl::Duration full_after = absl::Seconds(burst_ / rate_);
  for (auto it = buckets_.begin(); it != buckets_.end();) {
    if (now - it->second.updated >= full_after) {
      buckets_.erase(it++);
    } else {
      ++it;
    }
  }
}

size_t RateLimiter::tracked_probes() const {
  absl::MutexLock lock(&mu_);
  return buckets_.size();
}

}  // namespace v6scope::collector::ingest
