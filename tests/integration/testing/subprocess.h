// Test helper: a program run as a child process (fork + exec), its stdout
// and stderr appended to a log file, killed and reaped when the handle
// goes away, so a failing test leaves nothing running behind it.
#ifndef V6SCOPE_TESTS_INTEGRATION_TESTING_SUBPROCESS_H_
#define V6SCOPE_TESTS_INTEGRATION_TESTING_SUBPROCESS_H_

#include <sys/types.h>

#include <string>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace v6scope::tests::integration::testing {

class Subprocess {
 public:
  // Runs argv[0] (a path) with `argv`, output appended to `log_path`. The
  // child gets SIGKILL if the test process dies first.
  static absl::StatusOr<Subprocess> Start(const std::vector<std::string>& argv,
                                          const std::string& log_path);

  Subprocess(Subprocess&& other) noexcept;
  Subprocess& operator=(Subprocess&& other) noexcept;
  Subprocess(const Subprocess&) = delete;
  Subprocess& operator=(const Subprocess&) = delete;
  ~Subprocess();  // Kill().

  // Waits up to `timeout` for the exit; the exit code. DEADLINE_EXCEEDED
  // if still running (it is left running), ABORTED if a signal ended it.
  absl::StatusOr<int> Wait(absl::Duration timeout);
  // SIGKILL and reap; nothing if it has already been reaped.
  void Kill();
  bool running() const { return pid_ > 0; }
  pid_t pid() const { return pid_; }

 private:
  explicit Subprocess(pid_t pid) : pid_(pid) {}
  pid_t pid_ = 0;  // 0 once reaped.
};

// Calls `done` every few milliseconds until it returns true (true) or
// `timeout` passes (false). The wait is for a condition, never a guess of
// how long something takes.
bool PollUntil(absl::Duration timeout, absl::FunctionRef<bool()> done);

// Absolute path of a file in the test's runfiles, e.g.
// RunfilePath("probe/v6scope-probe").
std::string RunfilePath(const std::string& path_in_workspace);

}  // namespace v6scope::tests::integration::testing

#endif  // V6SCOPE_TESTS_INTEGRATION_TESTING_SUBPROCESS_H_
