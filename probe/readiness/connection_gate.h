// ConnectionGate: politeness towards the sites a readiness sweep visits.
// Per target address: at most one connection at a time, and a new one at
// most every `min_interval` (by the injected clock). Many domains often
// share one CDN or hosting address, so the limit is per address, across
// every domain of a sweep, not per domain.
//
// Acquire queues the caller; `admitted` runs (on the loop, never inline)
// when the address is free and its interval has passed; the caller then
// connects and calls Release once the connection is closed. Waiters are
// admitted in order. Idle addresses are forgotten once their interval has
// passed, so memory follows the addresses in use, not all ever seen.
//
// Threading: loop thread only; the loop and the clock outlive the gate.
#ifndef V6SCOPE_PROBE_READINESS_CONNECTION_GATE_H_
#define V6SCOPE_PROBE_READINESS_CONNECTION_GATE_H_

#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <unordered_map>

#include "absl/time/time.h"
#include "common/time/clock.h"
#include "probe/loop/event_loop.h"

namespace v6scope::probe::readiness {

// At most one new connection per address per second.
inline constexpr absl::Duration kDefaultMinConnectInterval = absl::Seconds(1);

class ConnectionGate {
 public:
  // `per_address`: connections open at once per address. 1 in the
  // probe (politeness); benchmarks raise it (bench/sweep: the bed puts
  // thousands of sites on a few addresses, and the HTTP phase compares the
  // fetch path with curl, not the politeness).
  ConnectionGate(loop::EventLoop* loop, const time::Clock* clock,
                 absl::Duration min_interval, size_t per_address = 1);
  ~ConnectionGate();
  ConnectionGate(const ConnectionGate&) = delete;
  ConnectionGate& operator=(const ConnectionGate&) = delete;

  // `address` is an address literal.
  void Acquire(const std::string& address, std::function<void()> admitted);
  void Release(const std::string& address);

  // Addresses with a connection open or callers waiting.
  size_t busy_addresses() const;
  size_t tracked_addresses() const { return slots_.size(); }

 private:
  struct Slot {
    size_t open = 0;  // Connections open now.
    bool has_started = false;
    absl::Time last_start;
    std::deque<std::function<void()>> waiters;
    bool wake_scheduled = false;
  };

  // Admits the next waiter of `address` now or schedules it.
  void Pump(const std::string& address);

  loop::EventLoop* const loop_;
  const time::Clock* const clock_;
  const absl::Duration min_interval_;
  const size_t per_address_;
  std::unordered_map<std::string, Slot> slots_;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace v6scope::probe::readiness

#endif  // V6SCOPE_PROBE_READINESS_CONNECTION_GATE_H_
