// Pausable: what the daemon needs of campaign work to keep it off the
// link during a capability run (the campaign runner implements it; the
// daemon's tests fake it). Called on the measuring thread, which also
// dispatches the event loop the work runs on.
#ifndef V6SCOPE_PROBE_CAMPAIGN_PAUSABLE_H_
#define V6SCOPE_PROBE_CAMPAIGN_PAUSABLE_H_

#include <functional>

namespace v6scope::probe::campaign {

class Pausable {
 public:
  virtual ~Pausable() = default;
  // No new work starts; work in flight finishes. `on_idle` (may be null)
  // runs on the loop when the last piece in flight ends while paused.
  virtual void Pause(std::function<void()> on_idle) = 0;
  virtual void Resume() = 0;
  // Nothing in flight.
  virtual bool Idle() const = 0;
};

}  // namespace v6scope::probe::campaign

#endif  // V6SCOPE_PROBE_CAMPAIGN_PAUSABLE_H_
