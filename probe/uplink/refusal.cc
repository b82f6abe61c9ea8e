#include "probe/uplink/refusal.h"

#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"

namespace v6scope::probe::uplink {
namespace {

constexpr absl::string_view kRuns = "runs[";

struct Found {
  size_t digits_at = 0;  // Where the index's digits start in the message.
  size_t digits_len = 0;
  size_t index = 0;
};

// The first "runs[<digits>]" at the start of a path: at the start of the
// message or after '.' or ' ' (not "tests_runs[" or the like).
std::optional<Found> FindRunIndex(absl::string_view m) {
  for (size_t at = m.find(kRuns); at != absl::string_view::npos;
       at = m.find(kRuns, at + 1)) {
    if (at > 0 && m[at - 1] != '.' && m[at - 1] != ' ') continue;
    const size_t from = at + kRuns.size();
    size_t end = from;
    while (end < m.size() && absl::ascii_isdigit(m[end])) ++end;
    Found f{from, end - from, 0};
    if (end == from || end >= m.size() || m[end] != ']' ||
        !absl::SimpleAtoi(m.substr(from, end - from), &f.index)) {
      continue;
    }
    return f;
  }
  return std::nullopt;
}

}  // namespace

std::optional<size_t> RefusedRunIndex(absl::string_view message) {
  std::optional<Found> f = FindRunIndex(message);
  if (!f.has_value()) return std::nullopt;
  return f->index;
}

bool NamesBatchField(absl::string_view message) {
  absl::ConsumePrefix(&message, "UploadRequest does not parse: ");
  absl::ConsumePrefix(&message, "batch.");
  return absl::StartsWith(message, "first_seq:") ||
         absl::StartsWith(message, "dropped_runs:") ||
         absl::StartsWith(message, "runs:");
}

absl::Status ShiftRefusedRun(const absl::Status& s, size_t offset) {
  if (offset == 0 || !absl::IsInvalidArgument(s)) return s;
  const absl::string_view m = s.message();
  std::optional<Found> f = FindRunIndex(m);
  if (!f.has_value()) return s;
  return absl::InvalidArgumentError(
      absl::StrCat(m.substr(0, f->digits_at), f->index + offset,
                   m.substr(f->digits_at + f->digits_len)));
}

}  // namespace v6scope::probe::uplink
