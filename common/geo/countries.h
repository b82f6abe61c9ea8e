// Country reference table: for every ISO 3166-1 alpha-2 code that can
// appear in an RIR statistics exchange file, the RIR whose service region
// covers it, its ITU-D region and its UN development groups (LDC, LLDC,
// SIDS). Used to group measurement aggregates by region.
//
// Everything here is constant data and pure functions: thread-safe, no I/O,
// no allocation except in AllGroupSlugs(). Sources, cut-off dates and the
// classification choices are documented at the table in countries.cc.
#ifndef V6SCOPE_COMMON_GEO_COUNTRIES_H_
#define V6SCOPE_COMMON_GEO_COUNTRIES_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/types/span.h"

namespace v6scope::geo {

// The five Regional Internet Registries.
enum class Rir : uint8_t {
  kUnknown,
  kAfrinic,
  kApnic,
  kArin,
  kLacnic,
  kRipeNcc,
};

// The six regions of the ITU Telecommunication Development Sector (ITU-D).
enum class ItuRegion : uint8_t {
  kUnknown,
  kAfrica,
  kAmericas,
  kArabStates,
  kAsiaPacific,
  kCis,
  kEurope,
};

struct CountryInfo {
  absl::string_view code;  // ISO 3166-1 alpha-2, upper case ("KE")
  absl::string_view name;  // English short name, UTF-8
  Rir rir;                 // the RIR whose service region covers it
  ItuRegion itu;           // kUnknown only for Antarctica
  bool ldc;                // Least Developed Country (UN-OHRLLS)
  bool lldc;               // Landlocked Developing Country (UN-OHRLLS)
  bool sids;               // Small Island Developing State (UN-OHRLLS)
};

// The entry for `code` (two letters, any case), or nullptr if there is
// none. The RIR files' non-country codes ("EU", "AP", "ZZ") and anything
// that is not an ISO 3166-1 alpha-2 code yield nullptr. Binary search.
const CountryInfo* FindCountry(absl::string_view code);

// The whole table, sorted by code, codes unique.
absl::Span<const CountryInfo> AllCountries();

// Stable lower-case slugs: "afrinic", "apnic", "arin", "lacnic", "ripencc";
// "unknown" for Rir::kUnknown.
absl::string_view RirName(Rir rir);
// The inverse of RirName, case-insensitive. "unknown" is not a registry:
// it (and anything else) yields nullopt.
std::optional<Rir> ParseRir(absl::string_view slug);

// Stable lower-case slugs: "africa", "americas", "arab-states",
// "asia-pacific", "cis", "europe"; "unknown" for ItuRegion::kUnknown.
absl::string_view ItuRegionName(ItuRegion region);
// The inverse of ItuRegionName, case-insensitive. "unknown" is not a
// region: it (and anything else) yields nullopt.
std::optional<ItuRegion> ParseItuRegion(absl::string_view slug);

// Region groups, named by slug (case-insensitive):
//   "global"                    every country
//   "ldc", "lldc", "sids"       the UN development groups
//   an ITU region slug          e.g. "arab-states"
//   a RIR slug                  e.g. "ripencc"
// An unknown slug matches no country.
bool CountryInGroup(const CountryInfo& country, absl::string_view group_slug);

// Every slug CountryInGroup accepts, in a fixed order: "global", "ldc",
// "lldc", "sids", then the ITU regions, then the RIRs (enum order).
std::vector<std::string> AllGroupSlugs();

}  // namespace v6scope::geo

#endif  // V6SCOPE_COMMON_GEO_COUNTRIES_H_
