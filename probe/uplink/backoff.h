// Backoff: how long the probe waits before retrying a failed upload.
//
// Exponential with "full jitter" (the delay is uniform in [0, min(cap,
// base * 2^attempt)]): a fleet that lost its collector at the same moment
// spreads its retries instead of stampeding the collector when it
// returns. A back-off hint from the collector raises the next delay to at
// least the hinted time. Randomness is injected for tests.
// Not thread-safe: owned by the uplink's thread.
#ifndef V6SCOPE_PROBE_UPLINK_BACKOFF_H_
#define V6SCOPE_PROBE_UPLINK_BACKOFF_H_

#include <functional>

#include "absl/time/time.h"

namespace v6scope::probe::uplink {

class Backoff {
 public:
  // Returns a uniform double in [0, 1).
  using Uniform = std::function<double()>;

  Backoff(absl::Duration base, absl::Duration cap, Uniform uniform);

  // Delay before the next attempt after a failure; grows the window.
  absl::Duration NextDelay();
  // The collector asked to wait at least `hint` (BackOff message).
  void Hint(absl::Duration hint) { hint_ = std::max(hint_, hint); }
  // An attempt succeeded: start over from `base`.
  void Reset();

  int attempts() const { return attempts_; }

 private:
  absl::Duration base_;
  absl::Duration cap_;
  Uniform uniform_;
  int attempts_ = 0;
  absl::Duration hint_ = absl::ZeroDuration();
};

}  // namespace v6scope::probe::uplink

#endif  // V6SCOPE_PROBE_UPLINK_BACKOFF_H_
