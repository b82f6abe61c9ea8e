#include "probe/loop/event_loop.h"

#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "absl/strings/str_cat.h"

namespace v6scope::probe::loop {
namespace {

// Tags in epoll_event.data.fd for the loop's own descriptors are the fds
// themselves; watched fds never collide with them.
constexpr int kMaxEvents = 64;

absl::Status Errno(absl::string_view what) {
  return absl::InternalError(absl::StrCat(what, ": ", std::strerror(errno)));
}

uint32_t ToEpoll(uint32_t events) {
  uint32_t e = 0;
  if (events & EventLoop::kReadable) e |= EPOLLIN;
  if (events & EventLoop::kWritable) e |= EPOLLOUT;
  return e;
}

uint32_t FromEpoll(uint32_t e) {
  uint32_t ready = 0;
  if (e & (EPOLLIN | EPOLLRDHUP)) ready |= EventLoop::kReadable;
  if (e & EPOLLOUT) ready |= EventLoop::kWritable;
  if (e & (EPOLLERR | EPOLLHUP)) {
    ready |= EventLoop::kReadable | EventLoop::kWritable;
  }
  return ready;
}

void DrainCounter(int fd) {
  uint64_t value;
  while (read(fd, &value, sizeof(value)) == sizeof(value)) {
  }
}

}  // namespace

absl::Duration EventLoop::MonotonicNow() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return absl::DurationFromTimespec(ts);
}

absl::StatusOr<std::unique_ptr<EventLoop>> EventLoop::Create() {
  int epoll_fd = epoll_create1(EPOLL_CLOEXEC);
  if (epoll_fd < 0) return Errno("epoll_create1");
  int timer_fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
  int wake_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (timer_fd < 0 || wake_fd < 0) {
    absl::Status s = Errno("timerfd_create/eventfd");
    close(epoll_fd);
    if (timer_fd >= 0) close(timer_fd);
    if (wake_fd >= 0) close(wake_fd);
    return s;
  }
  for (int fd : {timer_fd, wake_fd}) {
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.fd = fd;
    if (epoll_ctl(epoll_fd, EPOLL_CTL_ADD, fd, &ev) != 0) {
      absl::Status s = Errno("epoll_ctl");
      close(epoll_fd);
      close(timer_fd);
      close(wake_fd);
      return s;
    }
  }
  return std::unique_ptr<EventLoop>(new EventLoop(epoll_fd, timer_fd, wake_fd));
}

EventLoop::EventLoop(int epoll_fd, int timer_fd, int wake_fd)
    : epoll_fd_(epoll_fd), timer_fd_(timer_fd), wake_fd_(wake_fd) {}

EventLoop::~EventLoop() {
  close(epoll_fd_);
  close(timer_fd_);
  close(wake_fd_);
}

absl::Status EventLoop::WatchFd(int fd, uint32_t events, FdCallback callback) {
  epoll_event ev{};
  ev.events = ToEpoll(events);
  ev.data.fd = fd;
  auto it = watchers_.find(fd);
  const int op = it == watchers_.end() ? EPOLL_CTL_ADD : EPOLL_CTL_MOD;
  if (epoll_ctl(epoll_fd_, op, fd, &ev) != 0) {
    return Errno(absl::StrCat("epoll_ctl(fd ", fd, ")"));
  }
  // A fresh Watcher, so a callback running for the old one can tell.
  auto watcher = std::make_shared<Watcher>();
  watcher->events = events;
  watcher->callback = std::move(callback);
  watchers_[fd] = std::move(watcher);
  return absl::OkStatus();
}

void EventLoop::UnwatchFd(int fd) {
  auto it = watchers_.find(fd);
  if (it == watchers_.end()) return;
  // The fd may already be closed (curl and c-ares close before telling);
  // the kernel then dropped it from the epoll set, so ignore errors.
  epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, fd, nullptr);
  watchers_.erase(it);
}

EventLoop::TimerId EventLoop::RunAfter(absl::Duration delay,
                                       std::function<void()> callback) {
  const TimerId id = next_timer_id_++;
  const absl::Duration deadline =
      MonotonicNow() + std::max(delay, absl::ZeroDuration());
  timers_.emplace(std::make_pair(deadline, id), std::move(callback));
  timer_deadlines_[id] = deadline;
  ArmTimerFd();
  return id;
}

void EventLoop::CancelTimer(TimerId id) {
  auto it = timer_deadlines_.find(id);
  if (it == timer_deadlines_.end()) return;
  timers_.erase(std::make_pair(it->second, id));
  timer_deadlines_.erase(it);
  ArmTimerFd();
}

void EventLoop::ArmTimerFd() {
  // Only when the earliest deadline moves earlier than the armed one: a
  // system call per RunAfter/CancelTimer cost a sweep more than its DNS
  // (bench/sweep). A timerfd armed too early only wakes the loop once for
  // nothing; it is re-armed when it fires.
  if (timers_.empty()) return;
  const absl::Duration deadline =
      std::max(timers_.begin()->first.first, absl::Nanoseconds(1));
  if (deadline >= armed_) return;
  itimerspec spec{};
  // An absolute deadline of zero would disarm; a due timer gets 1 ns.
  spec.it_value = absl::ToTimespec(deadline);
  timerfd_settime(timer_fd_, TFD_TIMER_ABSTIME, &spec, nullptr);
  armed_ = deadline;
}

void EventLoop::Post(std::function<void()> callback) {
  {
    absl::MutexLock lock(&post_mu_);
    posted_.push_back(std::move(callback));
  }
  const uint64_t one = 1;
  (void)!write(wake_fd_, &one, sizeof(one));
}

void EventLoop::Stop() {
  {
    absl::MutexLock lock(&post_mu_);
    stop_posted_ = true;
  }
  const uint64_t one = 1;
  (void)!write(wake_fd_, &one, sizeof(one));
}

void EventLoop::RunPosted() {
  std::vector<std::function<void()>> batch;
  {
    absl::MutexLock lock(&post_mu_);
    batch.swap(posted_);
    if (stop_posted_) {
      stop_posted_ = false;
      stop_requested_ = true;
    }
  }
  for (auto& cb : batch) cb();
}

void EventLoop::RunDueTimers() {
  const absl::Duration now = MonotonicNow();
  // Fire only timers due now; ones added by callbacks wait for next round.
  while (!timers_.empty() && timers_.begin()->first.first <= now) {
    auto it = timers_.begin();
    std::function<void()> cb = std::move(it->second);
    timer_deadlines_.erase(it->first.second);
    timers_.erase(it);
    cb();
  }
  ArmTimerFd();
}

void EventLoop::DispatchOnce(absl::Duration max_wait) {
  epoll_event events[kMaxEvents];
  const int timeout_ms =
      max_wait == absl::InfiniteDuration()
          ? -1
          : static_cast<int>(absl::ToInt64Milliseconds(
                absl::Ceil(max_wait, absl::Milliseconds(1))));
  int n = epoll_wait(epoll_fd_, events, kMaxEvents, timeout_ms);
  if (n < 0) return;  // EINTR: the caller loops.
  for (int i = 0; i < n; ++i) {
    const int fd = events[i].data.fd;
    if (fd == wake_fd_) {
      DrainCounter(wake_fd_);
      RunPosted();
      continue;
    }
    if (fd == timer_fd_) {
      DrainCounter(timer_fd_);
      armed_ = absl::InfiniteDuration();  // It fired: one-shot.
      RunDueTimers();
      continue;
    }
    auto it = watchers_.find(fd);
    if (it == watchers_.end()) continue;  // Unwatched by an earlier callback.
    std::shared_ptr<Watcher> watcher = it->second;  // Survives UnwatchFd.
    const uint32_t ready = FromEpoll(events[i].events);
    if (ready != 0) watcher->callback(fd, ready);
  }
  // Timers can be due without the timerfd having fired yet in this round.
  if (!timers_.empty() && timers_.begin()->first.first <= MonotonicNow()) {
    RunDueTimers();
  }
}

void EventLoop::Run() {
  stop_requested_ = false;
  while (!stop_requested_) DispatchOnce(absl::InfiniteDuration());
}

bool EventLoop::RunUntil(const std::function<bool()>& done,
                         absl::Duration timeout) {
  stop_requested_ = false;
  const absl::Duration end = MonotonicNow() + timeout;
  while (!done() && !stop_requested_) {
    const absl::Duration left = end - MonotonicNow();
    if (left <= absl::ZeroDuration()) break;
    DispatchOnce(left);
  }
  return done();
}

}  // namespace v6scope::probe::loop
