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
constexpr absl::string_view kResults = "results[";

struct Found {
  size_t digits_at = 0;  // Where the index's digits start in the message.
  size_t digits_len = 0;
  size_t index = 0;
};

// The first "<list>[<digits>]" (list: "runs[", "results[") at the start
// of a path: at the start of the message or after '.' or ' ' (not
// "tests_runs[" or the like).
std::optional<Found> FindIndex(absl::string_view m, absl::string_view list) {
  for (size_t at = m.find(list); at != absl::string_view::npos;
       at = m.find(list, at + 1)) {
    if (at > 0 && m[at - 1] != '.' && m[at - 1] != ' ') continue;
    const size_t from = at + list.size();
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

absl::Status Shift(const absl::Status& s, size_t offset,
                   absl::string_view list) {
  if (offset == 0 || !absl::IsInvalidArgument(s)) return s;
  const absl::string_view m = s.message();
  std::optional<Found> f = FindIndex(m, list);
  if (!f.has_value()) return s;
  return absl::InvalidArgumentError(
      absl::StrCat(m.substr(0, f->digits_at), f->index + offset,
                   m.substr(f->digits_at + f->digits_len)));
}

std::optional<size_t> Index(absl::string_view message, absl::string_view list) {
  std::optional<Found> f = FindIndex(message, list);
  if (!f.has_value()) return std::nullopt;
  return f->index;
}

}  // namespace

std::optional<size_t> RefusedRunIndex(absl::string_view message) {
  return Index(message, kRuns);
}

std::optional<size_t> RefusedResultIndex(absl::string_view message) {
  return Index(message, kResults);
}

bool NamesBatchField(absl::string_view message) {
  absl::ConsumePrefix(&message, "UploadRequest does not parse: ");
  absl::ConsumePrefix(&message, "batch.");
  return absl::StartsWith(message, "first_seq:") ||
         absl::StartsWith(message, "dropped_runs:") ||
         absl::StartsWith(message, "runs:");
}

bool NamesDomainBatchField(absl::string_view message) {
  absl::ConsumePrefix(&message, "UploadRequest does not parse: ");
  absl::ConsumePrefix(&message, "domain_batch.");
  return absl::StartsWith(message, "first_seq:") ||
         absl::StartsWith(message, "dropped_results:") ||
         absl::StartsWith(message, "results:");
}

bool IsWithoutCampaigns(const absl::Status& s) {
  return absl::IsInvalidArgument(s) &&
         absl::StrContains(s.message(), "UploadRequest carries no batch");
}

absl::Status ShiftRefusedRun(const absl::Status& s, size_t offset) {
  return Shift(s, offset, kRuns);
}

absl::Status ShiftRefusedResult(const absl::Status& s, size_t offset) {
  return Shift(s, offset, kResults);
}

}  // namespace v6scope::probe::uplink
