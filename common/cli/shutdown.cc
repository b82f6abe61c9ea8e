#include "common/cli/shutdown.h"

#include <signal.h>

#include <cerrno>
#include <ctime>

namespace v6scope::cli {
namespace {

sigset_t ShutdownSet() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  return set;
}

std::string SignalName(int sig) {
  return sig == SIGTERM  ? "SIGTERM"
         : sig == SIGINT ? "SIGINT"
         : sig == SIGHUP ? "SIGHUP"
                         : "signal";
}

}  // namespace

void BlockShutdownSignals() {
  sigset_t set = ShutdownSet();
  // SIGHUP is blocked too: a daemon reloads on it (WaitForSignal) or
  // ignores it, but it must never kill the process by default.
  sigaddset(&set, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  // A write to a closed socket must be an error, not a process kill.
  signal(SIGPIPE, SIG_IGN);
}

std::string WaitForShutdownSignal() {
  sigset_t set = ShutdownSet();
  int sig = 0;
  while (sigwait(&set, &sig) != 0) {
  }
  return SignalName(sig);
}

std::string WaitForSignal() {
  sigset_t set = ShutdownSet();
  sigaddset(&set, SIGHUP);
  int sig = 0;
  while (sigwait(&set, &sig) != 0) {
  }
  return SignalName(sig);
}

std::string WaitForShutdownSignalFor(absl::Duration timeout) {
  sigset_t set = ShutdownSet();
  timespec ts = absl::ToTimespec(timeout);
  for (;;) {
    int sig = sigtimedwait(&set, nullptr, &ts);
    if (sig > 0) return SignalName(sig);
    if (errno == EAGAIN) return "";
    // EINTR: another signal; keep waiting (the remaining time is close
    // enough for a shutdown poll).
  }
}

}  // namespace v6scope::cli
