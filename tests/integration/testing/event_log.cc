#include "tests/integration/testing/event_log.h"

#include <fstream>
#include <sstream>

#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "tests/integration/testing/subprocess.h"

namespace v6scope::tests::integration::testing {
namespace {

// Reads a value starting at line[*pos] (after '='); advances *pos past it.
std::string ReadValue(absl::string_view line, size_t* pos) {
  std::string value;
  size_t i = *pos;
  if (i < line.size() && line[i] == '"') {
    for (++i; i < line.size() && line[i] != '"'; ++i) {
      if (line[i] == '\\' && i + 1 < line.size()) ++i;
      value.push_back(line[i]);
    }
    *pos = i + 1;  // Past the closing quote.
    return value;
  }
  while (i < line.size() && line[i] != ' ') value.push_back(line[i++]);
  *pos = i;
  return value;
}

std::vector<std::string> Lines(const std::string& path) {
  std::ifstream file(path);
  std::stringstream text;
  text << file.rdbuf();
  return absl::StrSplit(text.str(), '\n', absl::SkipEmpty());
}

bool Matches(const LogFields& fields, const LogFields& want) {
  for (const auto& [key, value] : want) {
    auto it = fields.find(key);
    if (it == fields.end() || it->second != value) return false;
  }
  return true;
}

}  // namespace

LogFields ParseLogfmt(absl::string_view line) {
  LogFields fields;
  size_t pos = 0;
  while (pos < line.size()) {
    while (pos < line.size() && line[pos] == ' ') ++pos;
    const size_t eq = line.find('=', pos);
    const size_t space = line.find(' ', pos);
    if (eq == absl::string_view::npos ||
        (space != absl::string_view::npos && space < eq)) {
      // A bare word: not a field.
      pos = space == absl::string_view::npos ? line.size() : space;
      continue;
    }
    std::string key(line.substr(pos, eq - pos));
    pos = eq + 1;
    fields[key] = ReadValue(line, &pos);
  }
  return fields;
}

std::vector<LogFields> EventLog::Events(absl::string_view event,
                                        const LogFields& want) const {
  std::vector<LogFields> found;
  for (const std::string& line : Lines(path_)) {
    LogFields fields = ParseLogfmt(line);
    auto it = fields.find("event");
    if (it != fields.end() && it->second == event && Matches(fields, want)) {
      found.push_back(std::move(fields));
    }
  }
  return found;
}

bool EventLog::WaitFor(absl::string_view event, const LogFields& want,
                       absl::Duration timeout) const {
  return PollUntil(timeout, [&] { return Has(event, want); });
}

std::string EventLog::Tail(int lines) const {
  std::vector<std::string> all = Lines(path_);
  const size_t from =
      all.size() > static_cast<size_t>(lines) ? all.size() - lines : 0;
  return absl::StrJoin(all.begin() + from, all.end(), "\n");
}

}  // namespace v6scope::tests::integration::testing
