#include "probe/campaign/usage_file.h"

#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "common/fs/files.h"

namespace v6scope::probe::campaign {

absl::Status WriteUsageFile(const std::string& path, const DayUsage& usage) {
  std::string out = absl::StrCat("day=", usage.day, "\n");
  for (const auto& [campaign, u] : usage.by_campaign) {
    absl::StrAppend(&out, campaign, " ", u.domains, " ", u.bytes, "\n");
  }
  return fs::WriteFileAtomically(path, out, 0600);
}

absl::StatusOr<DayUsage> ReadUsageFile(const std::string& path) {
  absl::StatusOr<std::string> text = fs::ReadFile(path);
  if (!text.ok()) return text.status();
  DayUsage usage;
  bool has_day = false;
  for (absl::string_view line :
       absl::StrSplit(*text, '\n', absl::SkipEmpty())) {
    if (absl::ConsumePrefix(&line, "day=")) {
      has_day = absl::SimpleAtoi(line, &usage.day);
      if (!has_day) break;
      continue;
    }
    std::vector<absl::string_view> f = absl::StrSplit(line, ' ');
    Usage u;
    if (f.size() != 3 || !absl::SimpleAtoi(f[1], &u.domains) ||
        !absl::SimpleAtoi(f[2], &u.bytes)) {
      return absl::DataLossError(absl::StrCat("bad line in ", path));
    }
    usage.by_campaign[std::string(f[0])] = u;
  }
  if (!has_day) return absl::DataLossError(absl::StrCat("no day in ", path));
  return usage;
}

}  // namespace v6scope::probe::campaign
