// Test helper: the structured log (common/log, logfmt) a child process
// writes, read as it grows. Tests wait for and look up events by name and
// fields instead of matching text.
#ifndef V6SCOPE_TESTS_INTEGRATION_TESTING_EVENT_LOG_H_
#define V6SCOPE_TESTS_INTEGRATION_TESTING_EVENT_LOG_H_

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace v6scope::tests::integration::testing {

// One log line's fields, key -> value (quotes and escapes removed).
using LogFields = std::map<std::string, std::string>;

// Parses one logfmt line: key=value pairs separated by spaces, a value in
// double quotes when it holds spaces, quotes or '='.
LogFields ParseLogfmt(absl::string_view line);

class EventLog {
 public:
  explicit EventLog(std::string path) : path_(std::move(path)) {}

  // Every line with event=`event` whose fields include all of `want`
  // (exact values), in order.
  std::vector<LogFields> Events(absl::string_view event,
                                const LogFields& want = {}) const;
  bool Has(absl::string_view event, const LogFields& want = {}) const {
    return !Events(event, want).empty();
  }
  // Polls until Has(event, want) or `timeout` passes.
  bool WaitFor(absl::string_view event, const LogFields& want,
               absl::Duration timeout) const;
  // The last `lines` lines, for failure messages.
  std::string Tail(int lines = 15) const;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

}  // namespace v6scope::tests::integration::testing

#endif  // V6SCOPE_TESTS_INTEGRATION_TESTING_EVENT_LOG_H_
