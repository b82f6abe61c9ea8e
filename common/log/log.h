// Structured, greppable logging: one line per event, logfmt style.
//
//   ts=2026-11-29T02:10:00.123456Z level=info comp=collector event=batch.stored
//   probe=p-1a2b seq=3..7 stored=5
//
// Values with spaces, quotes or '=' are double-quoted with escapes. Each
// line is written with a single write(2) so lines from several threads
// never interleave. Thread-safe.
#ifndef V6SCOPE_COMMON_LOG_LOG_H_
#define V6SCOPE_COMMON_LOG_LOG_H_

#include <cstdint>
#include <initializer_list>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace v6scope::log {

enum class Level { kDebug, kInfo, kWarn, kError };

// One key=value pair. Converts from the common value types.
struct Field {
  Field(absl::string_view k, absl::string_view v) : key(k), value(v) {}
  Field(absl::string_view k, const std::string& v) : key(k), value(v) {}
  Field(absl::string_view k, const char* v) : key(k), value(v) {}
  Field(absl::string_view k, int64_t v);
  Field(absl::string_view k, uint64_t v);
  Field(absl::string_view k, int v) : Field(k, static_cast<int64_t>(v)) {}
  Field(absl::string_view k, unsigned v) : Field(k, static_cast<uint64_t>(v)) {}
  Field(absl::string_view k, long long v) : Field(k, static_cast<int64_t>(v)) {}
  Field(absl::string_view k, unsigned long long v)
      : Field(k, static_cast<uint64_t>(v)) {}
  Field(absl::string_view k, double v);
  Field(absl::string_view k, bool v) : key(k), value(v ? "true" : "false") {}
  Field(absl::string_view k, const absl::Status& s);

  absl::string_view key;
  std::string value;
};

using Fields = std::initializer_list<Field>;

// Sets the comp= value of every line (the program's name), once at start.
void SetComponent(absl::string_view component);
// Lines below this level are dropped (default kInfo).
void SetMinLevel(Level level);
// Where lines go (default: 2, stderr). For tests.
void SetOutputFd(int fd);

// Formats one line without the trailing newline (exposed for tests).
std::string FormatLine(Level level, absl::string_view event, Fields fields);

void Write(Level level, absl::string_view event, Fields fields = {});
inline void Debug(absl::string_view event, Fields fields = {}) {
  Write(Level::kDebug, event, fields);
}
inline void Info(absl::string_view event, Fields fields = {}) {
  Write(Level::kInfo, event, fields);
}
inline void Warn(absl::string_view event, Fields fields = {}) {
  Write(Level::kWarn, event, fields);
}
inline void Error(absl::string_view event, Fields fields = {}) {
  Write(Level::kError, event, fields);
}

}  // namespace v6scope::log

#endif  // V6SCOPE_COMMON_LOG_LOG_H_
