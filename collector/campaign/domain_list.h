// A campaign's domain list: ordered, de-duplicated, each name with its
// sector and the line it came from; and the builder every importer feeds,
// which owns the rules shared by all formats (normalisation, duplicates,
// the size limit, the warnings cap).
#ifndef V6SCOPE_COLLECTOR_CAMPAIGN_DOMAIN_LIST_H_
#define V6SCOPE_COLLECTOR_CAMPAIGN_DOMAIN_LIST_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/hash/hash.h"
#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "collector/campaign/sector.h"

namespace v6scope::collector::campaign {

// At most this many names in one list (duplicates counted as read).
inline constexpr int64_t kMaxNames = 1'000'000;

struct DomainEntry {
  std::string name;  // Normalised apex (domain_name.h).
  Sector sector = Sector::kOther;
  int64_t line = 0;  // 1-based line of the file it was read from.
};

class DomainList {
 public:
  DomainList() = default;
  explicit DomainList(std::vector<DomainEntry> entries)
      : entries_(std::move(entries)) {}

  const std::vector<DomainEntry>& entries() const { return entries_; }
  size_t size() const { return entries_.size(); }
  bool empty() const { return entries_.empty(); }

 private:
  std::vector<DomainEntry> entries_;
};

struct ImportResult {
  DomainList list;
  // "line 17: ..." in line order; at most ImportLimits::max_warnings, the
  // rest only counted (a list of a million duplicates stays small).
  std::vector<std::string> warnings;
  int64_t warnings_dropped = 0;
  int64_t names_read = 0;     // Including duplicates and skipped names.
  int64_t names_skipped = 0;  // Invalid, with skip_invalid_names.
};

struct ImportLimits {
  int64_t max_names = kMaxNames;
  size_t max_warnings = 1000;
  // Invalid names become warnings and are left out, instead of failing
  // the import (published lists such as Tranco hold a few).
  bool skip_invalid_names = false;
};

class DomainListBuilder {
 public:
  explicit DomainListBuilder(const ImportLimits& limits);
  DomainListBuilder(const DomainListBuilder&) = delete;
  DomainListBuilder& operator=(const DomainListBuilder&) = delete;

  // Adds the name read at `line` (`where`: "" or ", column 2 (Domain)").
  // INVALID_ARGUMENT "line N...: ..." for an invalid name (unless skipped)
  // or the name past the limit; a duplicate is a warning, first one kept.
  absl::Status Add(absl::string_view raw, Sector sector, int64_t line,
                   absl::string_view where = "");
  void Warn(int64_t line, absl::string_view message);

  ImportResult Finish() &&;

 private:
  // Entries de-duplicated by index, so each name is stored once.
  struct IndexHash {
    using is_transparent = void;
    const std::vector<DomainEntry>* entries;
    size_t operator()(uint32_t i) const { return (*this)((*entries)[i].name); }
    size_t operator()(absl::string_view s) const {
      return absl::Hash<absl::string_view>()(s);
    }
  };
  struct IndexEq {
    using is_transparent = void;
    const std::vector<DomainEntry>* entries;
    absl::string_view Name(uint32_t i) const { return (*entries)[i].name; }
    absl::string_view Name(absl::string_view s) const { return s; }
    template <typename A, typename B>
    bool operator()(const A& a, const B& b) const {
      return Name(a) == Name(b);
    }
  };

  void Duplicate(absl::string_view raw, const std::string& name, Sector sector,
                 int64_t line, const DomainEntry& first);

  ImportLimits limits_;
  std::vector<DomainEntry> entries_;
  absl::flat_hash_set<uint32_t, IndexHash, IndexEq> seen_;
  ImportResult result_;
};

}  // namespace v6scope::collector::campaign

#endif  // V6SCOPE_COLLECTOR_CAMPAIGN_DOMAIN_LIST_H_
