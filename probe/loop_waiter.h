// LoopWaiter: the daemon's Waiter on the probe's event loop. Between runs
// the measuring thread dispatches its own loop (the one the suite measures
// on): a loop timer ends the wait at the next slot, a signalfd delivers
// SIGTERM/SIGINT, and the uplink thread's Wake() arrives as a Post. A
// signal that comes during a run is noticed by the same loop and acted on
// once the run is spooled.
//
// Needs SIGTERM and SIGINT blocked in every thread
// (cli::BlockShutdownSignals() first thing in main), so that they reach
// the signalfd. Loop thread only, except Wake(); the waiter must outlive
// the loop's dispatching (callbacks Wake() posted are dropped with the loop
// if it never runs again).
#ifndef V6SCOPE_PROBE_LOOP_WAITER_H_
#define V6SCOPE_PROBE_LOOP_WAITER_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "common/time/clock.h"
#include "probe/loop/event_loop.h"
#include "probe/waiter.h"

namespace v6scope::probe {

class LoopWaiter : public Waiter {
 public:
  static absl::StatusOr<std::unique_ptr<LoopWaiter>> Create(
      loop::EventLoop* loop, const time::Clock* clock = time::RealClock::Get());
  ~LoopWaiter() override;

  Result WaitUntil(absl::Time deadline) override;
  void Wake() override;
  std::string signal() const override { return signal_; }

 private:
  LoopWaiter(loop::EventLoop* loop, const time::Clock* clock, int signal_fd)
      : loop_(loop), clock_(clock), signal_fd_(signal_fd) {}
  void ReadSignal();

  loop::EventLoop* const loop_;
  const time::Clock* const clock_;
  const int signal_fd_;
  bool woken_ = false;  // Loop thread only, like signal_.
  std::string signal_;
};

}  // namespace v6scope::probe

#endif  // V6SCOPE_PROBE_LOOP_WAITER_H_
