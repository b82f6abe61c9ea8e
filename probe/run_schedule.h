// RunSchedule: when the daemon's runs start, and when it stops.
//
// Runs start every `interval`, each at a random offset in [0, spread)
// after its slot, so that a fleet started together never fires at once;
// the first starts at once. A run that overruns its slot pushes the next
// one to its end (plus the offset): runs never overlap and never bunch up
// to catch up. With max_runs, the schedule ends after that many runs and
// the final drain lasts until `final_drain` after the last one.
// Pure: time is passed in, randomness injected; no thread of its own.
#ifndef V6SCOPE_PROBE_RUN_SCHEDULE_H_
#define V6SCOPE_PROBE_RUN_SCHEDULE_H_

#include <functional>

#include "absl/time/time.h"

namespace v6scope::probe {

struct ScheduleOptions {
  absl::Duration interval = absl::Hours(1);
  absl::Duration spread = absl::Minutes(15);
  int max_runs = 0;  // 0: no end.
  absl::Duration final_drain = absl::Seconds(30);
};

class RunSchedule {
 public:
  // Returns a uniform double in [0, 1).
  using Uniform = std::function<double()>;

  RunSchedule(ScheduleOptions options, absl::Time start, Uniform uniform);

  // More runs to come.
  bool measuring() const {
    return options_.max_runs == 0 || runs_ < options_.max_runs;
  }
  bool due(absl::Time now) const { return measuring() && now >= next_run_; }
  // When the next run starts; InfiniteFuture once no more runs come.
  absl::Time next_run() const {
    return measuring() ? next_run_ : absl::InfiniteFuture();
  }
  // The run that was due ended at `now`: plans the next one.
  void RunEnded(absl::Time now);
  // After the last run: until when the spool may still be drained;
  // InfiniteFuture while measuring.
  absl::Time drain_deadline() const { return drain_deadline_; }
  int runs() const { return runs_; }

 private:
  absl::Duration Offset();

  const ScheduleOptions options_;
  Uniform uniform_;
  int runs_ = 0;
  absl::Time slot_;
  absl::Time next_run_;
  absl::Time drain_deadline_ = absl::InfiniteFuture();
};

}  // namespace v6scope::probe

#endif  // V6SCOPE_PROBE_RUN_SCHEDULE_H_
