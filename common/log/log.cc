#include "common/log/log.h"

#include <unistd.h>

#include <atomic>
#include <cerrno>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace v6scope::log {
namespace {

absl::Mutex component_mu;
std::string* component ABSL_GUARDED_BY(component_mu) = nullptr;
std::atomic<int> min_level{static_cast<int>(Level::kInfo)};
std::atomic<int> output_fd{2};

absl::string_view LevelName(Level level) {
  switch (level) {
    case Level::kDebug:
      return "debug";
    case Level::kInfo:
      return "info";
    case Level::kWarn:
      return "warn";
    case Level::kError:
      return "error";
  }
  return "info";
}

bool NeedsQuoting(absl::string_view v) {
  if (v.empty()) return true;
  for (char c : v) {
    if (c <= ' ' || c == '"' || c == '=' || c == '\\' || c == 0x7f) {
      return true;
    }
  }
  return false;
}

void AppendValue(std::string* out, absl::string_view v) {
  if (!NeedsQuoting(v)) {
    out->append(v.data(), v.size());
    return;
  }
  out->push_back('"');
  for (char c : v) {
    switch (c) {
      case '"':
        out->append("\\\"");
        break;
      case '\\':
        out->append("\\\\");
        break;
      case '\n':
        out->append("\\n");
        break;
      case '\t':
        out->append("\\t");
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
          absl::StrAppend(
              out, "\\x",
              absl::Hex(static_cast<unsigned char>(c), absl::kZeroPad2));
        } else {
          out->push_back(c);
        }
    }
  }
  out->push_back('"');
}

}  // namespace

Field::Field(absl::string_view k, int64_t v) : key(k), value(absl::StrCat(v)) {}
Field::Field(absl::string_view k, uint64_t v)
    : key(k), value(absl::StrCat(v)) {}
Field::Field(absl::string_view k, double v) : key(k), value(absl::StrCat(v)) {}
Field::Field(absl::string_view k, const absl::Status& s)
    : key(k), value(s.ok() ? "OK" : s.ToString()) {}

void SetComponent(absl::string_view name) {
  absl::MutexLock lock(&component_mu);
  delete component;
  component = new std::string(name);
}

void SetMinLevel(Level level) { min_level = static_cast<int>(level); }

void SetOutputFd(int fd) { output_fd = fd; }

std::string FormatLine(Level level, absl::string_view event, Fields fields) {
  std::string line =
      absl::StrCat("ts=",
                   absl::FormatTime("%Y-%m-%dT%H:%M:%E6SZ", absl::Now(),
                                    absl::UTCTimeZone()),
                   " level=", LevelName(level));
  {
    absl::MutexLock lock(&component_mu);
    if (component != nullptr) absl::StrAppend(&line, " comp=", *component);
  }
  line.append(" event=");
  AppendValue(&line, event);
  for (const Field& f : fields) {
    line.push_back(' ');
    line.append(f.key.data(), f.key.size());
    line.push_back('=');
    AppendValue(&line, f.value);
  }
  return line;
}

void Write(Level level, absl::string_view event, Fields fields) {
  if (static_cast<int>(level) < min_level.load()) return;
  std::string line = FormatLine(level, event, fields);
  line.push_back('\n');
  const int fd = output_fd.load();
  const char* p = line.data();
  size_t left = line.size();
  while (left > 0) {
    ssize_t n = ::write(fd, p, left);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;  // Nowhere to log to; never crash for it.
    p += n;
    left -= static_cast<size_t>(n);
  }
}

}  // namespace v6scope::log
