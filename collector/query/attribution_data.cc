#include "collector/query/attribution_data.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/geo/countries.h"

namespace v6scope::collector::query {
namespace {

constexpr geo::Rir kRirs[] = {geo::Rir::kAfrinic, geo::Rir::kApnic,
                              geo::Rir::kArin, geo::Rir::kLacnic,
                              geo::Rir::kRipeNcc};

// How the registries write their own names.
absl::string_view DisplayName(geo::Rir rir) {
  switch (rir) {
    case geo::Rir::kAfrinic:
      return "AFRINIC";
    case geo::Rir::kApnic:
      return "APNIC";
    case geo::Rir::kArin:
      return "ARIN";
    case geo::Rir::kLacnic:
      return "LACNIC";
    case geo::Rir::kRipeNcc:
      return "RIPE NCC";
    case geo::Rir::kUnknown:
      break;
  }
  return "";
}

// geo::RirName and enrich::RegistryName use the same slugs ("ripencc").
bool Loaded(const enrich::AttributionIndex* index, geo::Rir rir) {
  return index != nullptr && index->HasRegistry(geo::RirName(rir));
}

}  // namespace

v6scope::v1::AttributionData DescribeAttributionData(
    const enrich::AttributionIndex* index) {
  v6scope::v1::AttributionData data;
  if (index == nullptr) return data;
  for (const std::string& registry : index->registries()) {
    data.add_registries(registry);
  }
  for (const std::string& file : index->PartialFiles()) {
    data.add_partial_files(file);
  }
  data.set_partial(data.partial_files_size() > 0);
  return data;
}

std::string MissingRegistryNote(const enrich::AttributionIndex* index,
                                absl::string_view country) {
  const geo::CountryInfo* info = geo::FindCountry(country);
  if (info == nullptr || info->rir == geo::Rir::kUnknown) return "";
  if (Loaded(index, info->rir)) return "";
  return absl::StrCat("no ", DisplayName(info->rir), " data loaded");
}

std::vector<std::string> AllocationNotes(const enrich::AttributionIndex* index,
                                         absl::string_view country) {
  std::vector<std::string> notes;
  if (!country.empty()) {
    std::string note = MissingRegistryNote(index, country);
    if (!note.empty()) notes.push_back(std::move(note));
  } else {
    std::vector<absl::string_view> missing;
    for (geo::Rir rir : kRirs) {
      if (!Loaded(index, rir)) missing.push_back(DisplayName(rir));
    }
    if (!missing.empty()) {
      notes.push_back(
          absl::StrCat("no ", absl::StrJoin(missing, ", "), " data loaded"));
    }
  }
  if (index != nullptr && !index->PartialFiles().empty()) {
    notes.push_back("attribution data incomplete");
  }
  return notes;
}

}  // namespace v6scope::collector::query
