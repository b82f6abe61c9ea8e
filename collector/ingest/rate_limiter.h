// RateLimiter: per-probe token buckets, so one probe (buggy, replaying or
// malicious) cannot take the collector's ingest capacity from the others.
//
// Each probe's bucket holds up to `burst` tokens and refills at `rate`
// per second; a batch costs one token per run. Buckets of probes idle for
// long are forgotten; with `max_keys`, the table never holds more keys than
// that (bounded memory even when every request brings a new key, as with
// client addresses). Also used per client address by the enrolment guard
// and the HTTP /api/ limit. Thread-safe.
#ifndef V6SCOPE_COLLECTOR_INGEST_RATE_LIMITER_H_
#define V6SCOPE_COLLECTOR_INGEST_RATE_LIMITER_H_

#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/time/clock.h"

namespace v6scope::collector::ingest {

class RateLimiter {
 public:
  // `clock` must outlive the limiter.
  // `max_keys` 0: no cap beyond forgetting idle keys.
  RateLimiter(const time::Clock* clock, double runs_per_second, double burst,
              size_t max_keys = 0);

  // Takes `runs` tokens from the probe's bucket. Returns zero if allowed,
  // else how long until that many tokens will be there (nothing taken).
  absl::Duration Take(const std::string& probe_id, double runs);

  // How long until `runs` tokens are in the key's bucket (zero: now);
  // takes nothing. For limits charged after the fact (failed attempts).
  absl::Duration Peek(const std::string& probe_id, double runs) const;

  size_t tracked_probes() const;

 private:
  struct Bucket {
    double tokens;
    absl::Time updated;
  };
  void ForgetIdleLocked(absl::Time now) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void SweepLocked(absl::Time now) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void MakeRoomLocked(absl::Time now) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const time::Clock* const clock_;
  const double rate_;
  const double burst_;
  const size_t max_keys_;
  mutable absl::Mutex mu_;
  absl::flat_hash_map<std::string, Bucket> buckets_ ABSL_GUARDED_BY(mu_);
  absl::Time last_sweep_ ABSL_GUARDED_BY(mu_);
};

}  // namespace v6scope::collector::ingest

#endif  // V6SCOPE_COLLECTOR_INGEST_RATE_LIMITER_H_
