// Clock: injected time, so tests never sleep and never depend on "now".
#ifndef V6SCOPE_COMMON_TIME_CLOCK_H_
#define V6SCOPE_COMMON_TIME_CLOCK_H_

#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace v6scope::time {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual absl::Time Now() const = 0;
};

// Wall-clock time. Thread-safe; one shared instance.
class RealClock : public Clock {
 public:
  static RealClock* Get() {
    static RealClock* clock = new RealClock();
    return clock;
  }
  absl::Time Now() const override { return absl::Now(); }
};

// Time that moves only when told to. Thread-safe.
class FakeClock : public Clock {
 public:
  explicit FakeClock(absl::Time start) : now_(start) {}
  absl::Time Now() const override {
    absl::MutexLock lock(&mu_);
    return now_;
  }
  void Advance(absl::Duration d) {
    absl::MutexLock lock(&mu_);
    now_ += d;
  }
  void Set(absl::Time t) {
    absl::MutexLock lock(&mu_);
    now_ = t;
  }

 private:
  mutable absl::Mutex mu_;
  absl::Time now_ ABSL_GUARDED_BY(mu_);
};

}  // namespace v6scope::time

#endif  // V6SCOPE_COMMON_TIME_CLOCK_H_
