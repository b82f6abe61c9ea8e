// EventLoop: the probe's single I/O thread (epoll + timerfd + eventfd).
//
// Every measurement in a run is driven from one thread: libcurl's multi
// socket API and c-ares register their sockets with WatchFd and their
// timeouts with RunAfter, so hundreds of tests can be in flight with no
// blocking call and no thread per test.
//
// Threading: the loop is owned by the thread that calls Run/RunUntil.
// WatchFd, UnwatchFd, RunAfter and CancelTimer must be called on that
// thread (from callbacks, or before the loop runs). Post and Stop are the
// only thread-safe calls.
#ifndef V6SCOPE_PROBE_LOOP_EVENT_LOOP_H_
#define V6SCOPE_PROBE_LOOP_EVENT_LOOP_H_

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <unordered_map>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace v6scope::probe::loop {

class EventLoop {
 public:
  // Interest and readiness bits. Errors and hang-ups are reported as both
  // kReadable and kWritable so the owner's next read or write sees them.
  static constexpr uint32_t kReadable = 1;
  static constexpr uint32_t kWritable = 2;

  using FdCallback = std::function<void(int fd, uint32_t ready)>;
  using TimerId = uint64_t;

  static absl::StatusOr<std::unique_ptr<EventLoop>> Create();
  ~EventLoop();

  EventLoop(const EventLoop&) = delete;
  EventLoop& operator=(const EventLoop&) = delete;

  // Starts or changes watching `fd` for `events` (kReadable|kWritable).
  // Replaces any previous callback. Loop thread only.
  absl::Status WatchFd(int fd, uint32_t events, FdCallback callback);
  // Stops watching `fd`; a no-op if it is not watched. Safe to call from
  // any callback, including the fd's own. Loop thread only.
  void UnwatchFd(int fd);

  // Runs `callback` once after `delay` (monotonic). Loop thread only.
  TimerId RunAfter(absl::Duration delay, std::function<void()> callback);
  // Cancels a timer that has not fired; a no-op otherwise.
  void CancelTimer(TimerId id);

  // Runs `callback` on the loop thread soon. Thread-safe.
  void Post(std::function<void()> callback);
  // Makes Run/RunUntil return after the current callback. Thread-safe.
  void Stop();

  // Dispatches events until Stop().
  void Run();
  // Dispatches events until `done()` is true (checked after each dispatch
  // round: up to 64 fd events plus the due timers), Stop(), or `timeout`;
  // returns done().
  bool RunUntil(const std::function<bool()>& done, absl::Duration timeout);

  // Monotonic time used for timers and for measuring phases.
  static absl::Duration MonotonicNow();

  size_t watched_fds() const { return watchers_.size(); }
  size_t pending_timers() const { return timers_.size(); }

 private:
  struct Watcher {
    uint32_t events = 0;
    FdCallback callback;
  };
  struct Timer {
    absl::Duration deadline;
    std::function<void()> callback;
  };

  EventLoop(int epoll_fd, int timer_fd, int wake_fd);
  void DispatchOnce(absl::Duration max_wait);
  void RunDueTimers();
  void RunPosted();
  void ArmTimerFd();

  const int epoll_fd_;
  const int timer_fd_;
  const int wake_fd_;
  std::unordered_map<int, std::shared_ptr<Watcher>> watchers_;
  // Ordered by (deadline, id): equal deadlines fire in creation order.
  std::map<std::pair<absl::Duration, TimerId>, std::function<void()>> timers_;
  std::unordered_map<TimerId, absl::Duration> timer_deadlines_;
  TimerId next_timer_id_ = 1;
  // The deadline the timerfd is armed for; infinite: disarmed or fired.
  absl::Duration armed_ = absl::InfiniteDuration();
  bool stop_requested_ = false;  // Loop thread's copy.

  absl::Mutex post_mu_;
  std::vector<std::function<void()>> posted_ ABSL_GUARDED_BY(post_mu_);
  bool stop_posted_ ABSL_GUARDED_BY(post_mu_) = false;
};

}  // namespace v6scope::probe::loop

#endif  // V6SCOPE_PROBE_LOOP_EVENT_LOOP_H_
