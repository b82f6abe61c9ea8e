#include "collector/ingest/rate_limiter.h"

#include <algorithm>

namespace v6scope::collector::ingest {
namespace {

// A bucket that has refilled completely carries no state worth keeping.
constexpr absl::Duration kSweepEvery = absl::Minutes(10);

}  // namespace

RateLimiter::RateLimiter(const time::Clock* clock, double runs_per_second,
                         double burst)
    : clock_(clock),
      rate_(runs_per_second),
      burst_(burst),
      last_sweep_(clock->Now()) {}

absl::Duration RateLimiter::Take(const std::string& probe_id, double runs) {
  const absl::Time now = clock_->Now();
  absl::MutexLock lock(&mu_);
  ForgetIdleLocked(now);
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
