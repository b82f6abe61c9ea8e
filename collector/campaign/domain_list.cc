#include "collector/campaign/domain_list.h"

#include <utility>

#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "collector/campaign/domain_name.h"

namespace v6scope::collector::campaign {

DomainListBuilder::DomainListBuilder(const ImportLimits& limits)
    : limits_(limits), seen_(0, IndexHash{&entries_}, IndexEq{&entries_}) {}

absl::Status DomainListBuilder::Add(absl::string_view raw, Sector sector,
                                    int64_t line, absl::string_view where) {
  if (++result_.names_read > limits_.max_names) {
    return absl::InvalidArgumentError(absl::StrCat(
        "line ", line, where, ": name number ", result_.names_read,
        " is past the limit of ", limits_.max_names,
        " names in one list: split the list into several campaigns"));
  }
  absl::StatusOr<std::string> name = NormalizeDomainName(raw);
  if (!name.ok()) {
    if (!limits_.skip_invalid_names) {
      return absl::InvalidArgumentError(
          absl::StrCat("line ", line, where, ": ", name.status().message()));
    }
    ++result_.names_skipped;
    Warn(line, absl::StrCat(name.status().message(), " (skipped)"));
    return absl::OkStatus();
  }
  if (auto it = seen_.find(absl::string_view(*name)); it != seen_.end()) {
    Duplicate(raw, *name, sector, line, entries_[*it]);
    return absl::OkStatus();
  }
  entries_.push_back({*std::move(name), sector, line});
  seen_.insert(static_cast<uint32_t>(entries_.size() - 1));
  return absl::OkStatus();
}

void DomainListBuilder::Duplicate(absl::string_view raw,
                                  const std::string& name, Sector sector,
                                  int64_t line, const DomainEntry& first) {
  const absl::string_view as_read = absl::StripAsciiWhitespace(raw);
  std::string message = as_read == name
                            ? absl::StrCat(name, " repeats line ", first.line)
                            : absl::StrCat("\"", as_read, "\" is ", name,
                                           ", which repeats line ", first.line);
  absl::StrAppend(&message, " (line ", first.line, " kept");
  if (sector != first.sector) {
    absl::StrAppend(&message, ", with its sector ", SectorName(first.sector),
                    ", not ", SectorName(sector));
  }
  Warn(line, absl::StrCat(message, ")"));
}

void DomainListBuilder::Warn(int64_t line, absl::string_view message) {
  if (result_.warnings.size() >= limits_.max_warnings) {
    ++result_.warnings_dropped;
    return;
  }
  result_.warnings.push_back(absl::StrCat("line ", line, ": ", message));
}

ImportResult DomainListBuilder::Finish() && {
  seen_.clear();
  result_.list = DomainList(std::move(entries_));
  return std::move(result_);
}

}  // namespace v6scope::collector::campaign
