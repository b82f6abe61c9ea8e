#include "probe/uplink/backoff.h"

#include <algorithm>

namespace v6scope::probe::uplink {

Backoff::Backoff(absl::Duration base, absl::Duration cap, Uniform uniform)
    : base_(base), cap_(std::max(cap, base)), uniform_(std::move(uniform)) {}

absl::Duration Backoff::NextDelay() {
  // The window doubles per failure up to the cap; 2^30 * base overflows
  // nothing in absl::Duration, and attempts beyond it stay at the cap.
  absl::Duration window = base_;
  for (int i = 0; i < attempts_ && window < cap_; ++i) window *= 2;
  window = std::min(window, cap_);
  ++attempts_;
  absl::Duration delay = window * std::clamp(uniform_(), 0.0, 1.0);
  delay = std::max(delay, hint_);
  hint_ = absl::ZeroDuration();
  return delay;
}

void Backoff::Reset() {
  attempts_ = 0;
  hint_ = absl::ZeroDuration();
}

}  // namespace v6scope::probe::uplink
