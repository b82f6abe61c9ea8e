// Waiter: how the daemon's measuring thread waits between runs — until a
// time, a wake-up from the uplink thread, or a shutdown signal. The daemon
// gets it injected: LoopWaiter (loop_waiter.h) waits on the probe's event
// loop; tests pass one that moves a fake clock instead of waiting.
#ifndef V6SCOPE_PROBE_WAITER_H_
#define V6SCOPE_PROBE_WAITER_H_

#include <string>

#include "absl/time/time.h"

namespace v6scope::probe {

class Waiter {
 public:
  enum class Result { kDeadline, kWoken, kSignal };

  virtual ~Waiter() = default;
  // Waits until `deadline` (by the daemon's clock; InfiniteFuture: no
  // deadline), a Wake(), or a shutdown signal. A signal, once seen, is
  // reported by every later call too.
  virtual Result WaitUntil(absl::Time deadline) = 0;
  // Ends the current or next WaitUntil early. Thread-safe.
  virtual void Wake() = 0;
  // The signal's name ("SIGTERM", "SIGINT") once kSignal was returned.
  virtual std::string signal() const = 0;
};

}  // namespace v6scope::probe

#endif  // V6SCOPE_PROBE_WAITER_H_
