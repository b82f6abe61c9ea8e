#include "probe/readiness/connection_gate.h"

#include <algorithm>
#include <utility>

namespace v6scope::probe::readiness {

ConnectionGate::ConnectionGate(loop::EventLoop* loop, const time::Clock* clock,
                               absl::Duration min_interval, size_t per_address)
    : loop_(loop),
      clock_(clock),
      min_interval_(min_interval),
      per_address_(std::max<size_t>(1, per_address)) {}

ConnectionGate::~ConnectionGate() = default;

void ConnectionGate::Acquire(const std::string& address,
                             std::function<void()> admitted) {
  slots_[address].waiters.push_back(std::move(admitted));
  Pump(address);
}

void ConnectionGate::Release(const std::string& address) {
  auto it = slots_.find(address);
  if (it == slots_.end()) return;
  if (it->second.open > 0) --it->second.open;
  Pump(address);
}

size_t ConnectionGate::busy_addresses() const {
  size_t n = 0;
  for (const auto& [address, slot] : slots_) {
    if (slot.open > 0 || !slot.waiters.empty()) ++n;
  }
  return n;
}

void ConnectionGate::Pump(const std::string& address) {
  auto it = slots_.find(address);
  if (it == slots_.end()) return;
  Slot& slot = it->second;
  if (slot.open >= per_address_ || slot.wake_scheduled) return;
  const absl::Time now = clock_->Now();
  const absl::Duration wait = slot.has_started
                                  ? slot.last_start + min_interval_ - now
                                  : absl::ZeroDuration();
  if (slot.waiters.empty()) {
    // Nobody waits. With a connection open, its Release pumps again: no
    // timer (re-arming one here at zero delay while the connection lasts
    // was a busy loop). Idle and past its interval: forget it now.
    if (slot.open > 0) return;
    if (wait <= absl::ZeroDuration()) {
      slots_.erase(it);
      return;
    }
  }
  std::weak_ptr<bool> alive = alive_;
  slot.wake_scheduled = true;
  // Admission (or forgetting the slot) is always from a timer: never
  // inline from Acquire, and after the interval when one is due.
  loop_->RunAfter(std::max(wait, absl::ZeroDuration()), [this, alive, address] {
    if (alive.expired()) return;
    auto slot_it = slots_.find(address);
    if (slot_it == slots_.end()) return;
    Slot& s = slot_it->second;
    s.wake_scheduled = false;
    const absl::Time now = clock_->Now();
    if (s.waiters.empty() ||
        (s.has_started && now < s.last_start + min_interval_)) {
      return Pump(address);  // Re-evaluate (e.g. forget an idle slot).
    }
    std::function<void()> admitted = std::move(s.waiters.front());
    s.waiters.pop_front();
    ++s.open;
    s.has_started = true;
    s.last_start = now;
    admitted();
    if (alive.expired()) return;
    Pump(address);  // Another may be admitted (per_address > 1).
  });
}

}  // namespace v6scope::probe::readiness
