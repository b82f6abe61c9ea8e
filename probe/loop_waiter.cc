#include "probe/loop_waiter.h"

#include <signal.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "absl/strings/str_cat.h"

namespace v6scope::probe {

absl::StatusOr<std::unique_ptr<LoopWaiter>> LoopWaiter::Create(
    loop::EventLoop* loop, const time::Clock* clock) {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  const int fd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
  if (fd < 0) {
    return absl::InternalError(
        absl::StrCat("signalfd: ", std::strerror(errno)));
  }
  std::unique_ptr<LoopWaiter> w(new LoopWaiter(loop, clock, fd));
  absl::Status s =
      loop->WatchFd(fd, loop::EventLoop::kReadable,
                    [p = w.get()](int, uint32_t) { p->ReadSignal(); });
  if (!s.ok()) return s;  // The destructor closes the fd.
  return w;
}

LoopWaiter::~LoopWaiter() {
  loop_->UnwatchFd(signal_fd_);
  ::close(signal_fd_);
}

void LoopWaiter::ReadSignal() {
  signalfd_siginfo info;
  while (::read(signal_fd_, &info, sizeof(info)) == sizeof(info)) {
    if (!signal_.empty()) continue;  // The first one says why.
    signal_ = info.ssi_signo == SIGINT ? "SIGINT" : "SIGTERM";
  }
}

Waiter::Result LoopWaiter::WaitUntil(absl::Time deadline) {
  bool timed_out = false;
  loop::EventLoop::TimerId timer = 0;
  if (deadline != absl::InfiniteFuture()) {
    timer = loop_->RunAfter(deadline - clock_->Now(),
                            [&timed_out] { timed_out = true; });
  }
  loop_->RunUntil([&] { return timed_out || woken_ || !signal_.empty(); },
                  absl::InfiniteDuration());
  if (timer != 0) loop_->CancelTimer(timer);
  if (!signal_.empty()) return Result::kSignal;
  if (woken_) {
    woken_ = false;
    return Result::kWoken;
  }
  return Result::kDeadline;
}

void LoopWaiter::Wake() {
  loop_->Post([this] { woken_ = true; });
}

}  // namespace v6scope::probe
