#include "common/metrics/exposition.h"

#include <charconv>
#include <cmath>
#include <cstdint>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace v6scope::metrics {
namespace {

bool IsNameChar(char c, bool colon_ok) {
  return absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '_' ||
         (colon_ok && c == ':');
}

bool IsValidName(absl::string_view name, bool colon_ok) {
  if (name.empty()) return false;
  if (absl::ascii_isdigit(static_cast<unsigned char>(name[0]))) return false;
  for (char c : name) {
    if (!IsNameChar(c, colon_ok)) return false;
  }
  return true;
}

}  // namespace

std::string FormatValue(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  // 2^63: every double below it in magnitude that is integral converts to
  // int64 exactly (doubles that large are integers anyway).
  constexpr double kTwo63 = 9223372036854775808.0;
  if (std::trunc(v) == v && std::fabs(v) < kTwo63) {
    return absl::StrCat(static_cast<int64_t>(v));
  }
  // Shortest round-trip form (C++17 to_chars without a precision).
  char buf[64];
  const std::to_chars_result r = std::to_chars(buf, buf + sizeof(buf), v);
  return std::string(buf, r.ptr);
}

std::string EscapeLabelValue(absl::string_view v) {
  std::string out;
  out.reserve(v.size());
  for (char c : v) {
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    if (c == '\\' || c == '"') out.push_back('\\');
    out.push_back(c);
  }
  return out;
}

std::string EscapeHelp(absl::string_view help) {
  std::string out;
  out.reserve(help.size());
  for (char c : help) {
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    if (c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  return out;
}

bool IsValidMetricName(absl::string_view name) {
  return IsValidName(name, /*colon_ok=*/true);
}

bool IsValidLabelName(absl::string_view name) {
  return IsValidName(name, /*colon_ok=*/false) && !absl::StartsWith(name, "__");
}

}  // namespace v6scope::metrics
