// The sector tag of a listed domain: a closed set, so reports per sector
// add up across campaigns and countries, with aliases for the names the
// public lists use (ipv6-in-real-life's "bank", "telco", "medical"; the
// .gov registry's organisation types are mapped in csv_parser.cc).
#ifndef V6SCOPE_COLLECTOR_CAMPAIGN_SECTOR_H_
#define V6SCOPE_COLLECTOR_CAMPAIGN_SECTOR_H_

#include <optional>
#include <string>

#include "absl/strings/string_view.h"

namespace v6scope::collector::campaign {

enum class Sector {
  kGovernment,
  kEducation,
  kHealth,
  kBanking,
  kTelecom,
  kTransport,
  kTopSites,
  kOther,
};

// The canonical name: "government", ..., "top-sites", "other".
absl::string_view SectorName(Sector sector);

// A canonical name or an alias, case-insensitive, '_' and ' ' read as
// '-' ("Top sites", "top_sites", "bank", "telco", "medical", "utility"
// -> other, ...); nullopt if unknown.
std::optional<Sector> ParseSector(absl::string_view text);

// "government, education, ..., other": for error messages.
std::string SectorList();

}  // namespace v6scope::collector::campaign

#endif  // V6SCOPE_COLLECTOR_CAMPAIGN_SECTOR_H_
