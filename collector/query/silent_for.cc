#include "collector/query/silent_for.h"

#include <cstdint>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace v6scope::collector::query {
namespace {

absl::Status NotADuration(absl::string_view text, absl::string_view why) {
  return absl::InvalidArgumentError(
      absl::StrCat("silent_for: '", text, "' ", why));
}

}  // namespace

absl::StatusOr<absl::Duration> ParseSilentFor(absl::string_view text) {
  constexpr absl::string_view kNot =
      "is not a duration such as 2h, 90m, 1d or 3600s";
  if (text.size() < 2) return NotADuration(text, kNot);
  const absl::string_view digits = text.substr(0, text.size() - 1);
  for (char c : digits) {
    // SimpleAtoi alone would also take "+2" and " 2".
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) {
      return NotADuration(text, kNot);
    }
  }
  int64_t n = 0;
  if (!absl::SimpleAtoi(digits, &n)) return NotADuration(text, kNot);
  absl::Duration unit;
  switch (text.back()) {
    case 's':
      unit = absl::Seconds(1);
      break;
    case 'm':
      unit = absl::Minutes(1);
      break;
    case 'h':
      unit = absl::Hours(1);
      break;
    case 'd':
      unit = absl::Hours(24);
      break;
    default:
      return NotADuration(text, kNot);
  }
  const absl::Duration d = n * unit;
  if (d <= absl::ZeroDuration()) return NotADuration(text, "must be positive");
  // Ten years: more is a typo, and far beyond any probe's history.
  if (d > absl::Hours(24 * 3650)) {
    return NotADuration(text, "is more than 3650 days");
  }
  return d;
}

}  // namespace v6scope::collector::query
