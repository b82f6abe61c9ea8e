// What an import is told: the format (or auto-detection), the CSV columns,
// the default sector and the limits.
#ifndef V6SCOPE_COLLECTOR_CAMPAIGN_IMPORT_OPTIONS_H_
#define V6SCOPE_COLLECTOR_CAMPAIGN_IMPORT_OPTIONS_H_

#include <optional>
#include <string>

#include "absl/strings/string_view.h"
#include "collector/campaign/domain_list.h"
#include "collector/campaign/sector.h"

namespace v6scope::collector::campaign {

enum class ListFormat {
  kAuto,
  kText,    // One name a line.
  kCsv,     // Header; a name column and an optional sector column.
  kDotGov,  // CISA's .gov registry CSV (current-full.csv).
  kTranco,  // "rank,domain", no header.
  kToml,    // ipv6-in-real-life: [[sector]] tables with main_host.
};

// "auto", "text", "csv", "dotgov", "tranco", "toml".
absl::string_view ListFormatName(ListFormat format);
std::optional<ListFormat> ParseListFormat(absl::string_view name);

struct ImportOptions {
  ListFormat format = ListFormat::kAuto;
  // The file's name (a path is fine): auto-detection reads its extension,
  // the TOML importer its stem as the sector ("bank.toml" -> banking).
  std::string file_name;
  // CSV: header of the name column ("" = the first of domain, domain
  // name, name, host, hostname) and of the sector column ("" = "sector"
  // if there is one), matched case-insensitively.
  std::string name_column;
  std::string sector_column;
  // Plain text, CSV without a sector column or with an empty cell.
  Sector default_sector = Sector::kOther;
  ImportLimits limits;
};

}  // namespace v6scope::collector::campaign

#endif  // V6SCOPE_COLLECTOR_CAMPAIGN_IMPORT_OPTIONS_H_
