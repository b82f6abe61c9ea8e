#include "probe/run_schedule.h"

#include <algorithm>

namespace v6scope::probe {

RunSchedule::RunSchedule(ScheduleOptions options, absl::Time start,
                         Uniform uniform)
    : options_(options),
      uniform_(std::move(uniform)),
      slot_(start),
      next_run_(start) {}

absl::Duration RunSchedule::Offset() {
  if (options_.spread <= absl::ZeroDuration()) return absl::ZeroDuration();
  return options_.spread * std::clamp(uniform_(), 0.0, 1.0);
}

void RunSchedule::RunEnded(absl::Time now) {
  ++runs_;
  slot_ += options_.interval;
  next_run_ = std::max(slot_, now) + Offset();
  if (!measuring()) drain_deadline_ = now + options_.final_drain;
}

}  // namespace v6scope::probe
