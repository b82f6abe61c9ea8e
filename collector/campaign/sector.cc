#include "collector/campaign/sector.h"

#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"

namespace v6scope::collector::campaign {
namespace {

constexpr std::pair<absl::string_view, Sector> kNames[] = {
    {"government", Sector::kGovernment}, {"education", Sector::kEducation},
    {"health", Sector::kHealth},         {"banking", Sector::kBanking},
    {"telecom", Sector::kTelecom},       {"transport", Sector::kTransport},
    {"top-sites", Sector::kTopSites},    {"other", Sector::kOther},
};

// Names used by the public lists (ipv6-in-real-life file and table names)
// and common spellings. Utilities, groceries and logistics are everyday
// services but none of the sectors the readiness reports break out.
constexpr std::pair<absl::string_view, Sector> kAliases[] = {
    {"gov", Sector::kGovernment},
    {"govt", Sector::kGovernment},
    {"public", Sector::kGovernment},
    {"public-sector", Sector::kGovernment},
    {"edu", Sector::kEducation},
    {"school", Sector::kEducation},
    {"university", Sector::kEducation},
    {"medical", Sector::kHealth},
    {"healthcare", Sector::kHealth},
    {"hospital", Sector::kHealth},
    {"bank", Sector::kBanking},
    {"finance", Sector::kBanking},
    {"financial", Sector::kBanking},
    {"telco", Sector::kTelecom},
    {"telecoms", Sector::kTelecom},
    {"isp", Sector::kTelecom},
    {"transportation", Sector::kTransport},
    {"top", Sector::kTopSites},
    {"topsites", Sector::kTopSites},
    {"top-site", Sector::kTopSites},
    {"tranco", Sector::kTopSites},
    {"utility", Sector::kOther},
    {"utilities", Sector::kOther},
    {"groceries", Sector::kOther},
    {"logistics", Sector::kOther},
};

}  // namespace

absl::string_view SectorName(Sector sector) {
  for (const auto& [name, value] : kNames) {
    if (value == sector) return name;
  }
  return "other";
}

std::optional<Sector> ParseSector(absl::string_view text) {
  std::string key = absl::AsciiStrToLower(absl::StripAsciiWhitespace(text));
  key = absl::StrReplaceAll(key, {{"_", "-"}, {" ", "-"}});
  for (const auto& [name, value] : kNames) {
    if (name == key) return value;
  }
  for (const auto& [name, value] : kAliases) {
    if (name == key) return value;
  }
  return std::nullopt;
}

std::string SectorList() {
  return absl::StrJoin(kNames, ", ", [](std::string* out, const auto& entry) {
    out->append(entry.first.data(), entry.first.size());
  });
}

}  // namespace v6scope::collector::campaign
