#include "tests/integration/testing/subprocess.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace v6scope::tests::integration::testing {
namespace {

// Between fork and exec only async-signal-safe calls: report and _exit.
[[noreturn]] void ChildFail(const char* what) {
  const char* reason = std::strerror(errno);
  (void)!write(STDERR_FILENO, what, std::strlen(what));
  (void)!write(STDERR_FILENO, ": ", 2);
  (void)!write(STDERR_FILENO, reason, std::strlen(reason));
  (void)!write(STDERR_FILENO, "\n", 1);
  _exit(127);
}

[[noreturn]] void ExecChild(std::vector<char*>& argv, int log_fd,
                            pid_t parent) {
  if (dup2(log_fd, STDOUT_FILENO) < 0 || dup2(log_fd, STDERR_FILENO) < 0) {
    _exit(127);
  }
  if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0) ChildFail("prctl");
  if (getppid() != parent) _exit(127);  // The test is already gone.
  execv(argv[0], argv.data());
  ChildFail(argv[0]);
}

}  // namespace

absl::StatusOr<Subprocess> Subprocess::Start(
    const std::vector<std::string>& args, const std::string& log_path) {
  if (args.empty()) return absl::InvalidArgumentError("no program to run");
  std::vector<char*> argv;
  for (const std::string& arg : args) {
    argv.push_back(const_cast<char*>(arg.c_str()));
  }
  argv.push_back(nullptr);
  const int log_fd =
      open(log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (log_fd < 0) {
    return absl::InternalError(
        absl::StrCat("open ", log_path, ": ", std::strerror(errno)));
  }
  const pid_t parent = getpid();
  const pid_t pid = fork();
  if (pid == 0) ExecChild(argv, log_fd, parent);
  const int fork_errno = errno;
  close(log_fd);
  if (pid < 0) {
    return absl::InternalError(
        absl::StrCat("fork: ", std::strerror(fork_errno)));
  }
  return Subprocess(pid);
}

Subprocess::Subprocess(Subprocess&& other) noexcept
    : pid_(std::exchange(other.pid_, 0)) {}

Subprocess& Subprocess::operator=(Subprocess&& other) noexcept {
  if (this != &other) {
    Kill();
    pid_ = std::exchange(other.pid_, 0);
  }
  return *this;
}

Subprocess::~Subprocess() { Kill(); }

absl::StatusOr<int> Subprocess::Wait(absl::Duration timeout) {
  if (pid_ <= 0) return absl::FailedPreconditionError("already reaped");
  int status = 0;
  const bool exited = PollUntil(timeout, [&] {
    const pid_t done = waitpid(pid_, &status, WNOHANG);
    return done == pid_ || (done < 0 && errno != EINTR);
  });
  if (!exited) {
    return absl::DeadlineExceededError(absl::StrCat(
        "pid ", pid_, " still running after ", absl::FormatDuration(timeout)));
  }
  pid_ = 0;
  if (WIFSIGNALED(status)) {
    return absl::AbortedError(
        absl::StrCat("killed by signal ", WTERMSIG(status)));
  }
  return WEXITSTATUS(status);
}

void Subprocess::Kill() {
  if (pid_ <= 0) return;
  kill(pid_, SIGKILL);
  int status = 0;
  while (waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
  }
  pid_ = 0;
}

bool PollUntil(absl::Duration timeout, absl::FunctionRef<bool()> done) {
  const absl::Time deadline = absl::Now() + timeout;
  while (true) {
    if (done()) return true;
    if (absl::Now() >= deadline) return false;
    absl::SleepFor(absl::Milliseconds(10));
  }
}

std::string RunfilePath(const std::string& path_in_workspace) {
  const char* srcdir = std::getenv("TEST_SRCDIR");
  std::string root;
  if (srcdir != nullptr && *srcdir != '\0') {
    root = srcdir;
  } else {
    // Run by hand: the runfiles tree next to the binary.
    char exe[PATH_MAX];
    const ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
    root = absl::StrCat(std::string(exe, n > 0 ? n : 0), ".runfiles");
  }
  return absl::StrCat(root, "/v6scope/", path_in_workspace);
}

}  // namespace v6scope::tests::integration::testing
