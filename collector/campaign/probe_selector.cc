#include "collector/campaign/probe_selector.h"

#include <algorithm>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/geo/countries.h"
#include "common/text/text_rules.h"

namespace v6scope::collector::campaign {
namespace {

using v6scope::v1::ProbeSelector;

template <typename T>
void SortUnique(google::protobuf::RepeatedField<T>* field) {
  std::sort(field->begin(), field->end());
  field->Truncate(std::unique(field->begin(), field->end()) - field->begin());
}

void SortUnique(google::protobuf::RepeatedPtrField<std::string>* field) {
  std::sort(field->begin(), field->end());
  auto end = std::unique(field->begin(), field->end());
  while (field->end() != end) field->RemoveLast();
}

absl::Status Bad(absl::string_view field, absl::string_view value,
                 absl::string_view why) {
  return absl::InvalidArgumentError(absl::StrCat(
      "selector.", field, ": \"", text::Printable(value), "\" ", why));
}

absl::Status NormalizePlaces(ProbeSelector& s) {
  for (std::string& c : *s.mutable_countries()) {
    const geo::CountryInfo* info = geo::FindCountry(c);
    if (info == nullptr) {
      return Bad("countries", c, "is not an ISO 3166-1 alpha-2 code");
    }
    c = std::string(info->code);
  }
  const std::vector<std::string> slugs = geo::AllGroupSlugs();
  for (std::string& r : *s.mutable_regions()) {
    r = absl::AsciiStrToLower(r);
    if (std::find(slugs.begin(), slugs.end(), r) == slugs.end()) {
      return Bad("regions", r,
                 absl::StrCat("is not a region; one of: ",
                              absl::StrJoin(slugs, ", ")));
    }
  }
  return absl::OkStatus();
}

absl::Status NormalizeIds(ProbeSelector& s) {
  for (uint32_t asn : s.asns()) {
    if (asn == 0) return Bad("asns", "0", "is not an AS number");
  }
  for (const std::string& id : s.probe_ids()) {
    if (id.empty() || id.size() > 128 ||
        !text::CheckTextRule(id, text::TextRule::kPrintableAscii).ok()) {
      return Bad("probe_ids", id, "is not a probe id");
    }
  }
  return absl::OkStatus();
}

bool PlaceMatches(const ProbeSelector& s, const ProbeVantage& p) {
  if (s.countries().empty() && s.regions().empty()) return true;
  if (p.country.empty()) return false;
  for (const std::string& c : s.countries()) {
    if (c == p.country) return true;
  }
  const geo::CountryInfo* info = geo::FindCountry(p.country);
  if (info == nullptr) return false;
  for (const std::string& r : s.regions()) {
    if (geo::CountryInGroup(*info, r)) return true;
  }
  return false;
}

bool NetworkMatches(const ProbeSelector& s, const ProbeVantage& p) {
  if (s.asns().empty()) return true;
  return std::find(s.asns().begin(), s.asns().end(), p.asn) != s.asns().end();
}

bool HasFilter(const ProbeSelector& s) {
  return !s.countries().empty() || !s.regions().empty() || !s.asns().empty();
}

// Selected by the filters or as the collector's vantage, ids aside.
bool MatchesBeyondIds(const ProbeSelector& s, const ProbeVantage& p) {
  if (p.revoked) return false;
  if (s.include_collector() && p.collector_vantage) return true;
  return HasFilter(s) && p.has_runs && PlaceMatches(s, p) &&
         NetworkMatches(s, p);
}

std::string Describe(const ProbeSelector& s) {
  std::vector<std::string> parts;
  if (!s.countries().empty()) {
    parts.push_back(
        absl::StrCat("countries ", absl::StrJoin(s.countries(), ",")));
  }
  if (!s.regions().empty()) {
    parts.push_back(absl::StrCat("regions ", absl::StrJoin(s.regions(), ",")));
  }
  if (!s.asns().empty()) {
    parts.push_back(absl::StrCat("asns ", absl::StrJoin(s.asns(), ",")));
  }
  return absl::StrJoin(parts, "; ");
}

}  // namespace

absl::StatusOr<ProbeSelector> NormalizeSelector(const ProbeSelector& in) {
  ProbeSelector s = in;
  absl::Status ok = NormalizePlaces(s);
  if (ok.ok()) ok = NormalizeIds(s);
  if (!ok.ok()) return ok;
  SortUnique(s.mutable_countries());
  SortUnique(s.mutable_regions());
  SortUnique(s.mutable_asns());
  SortUnique(s.mutable_probe_ids());
  if (!HasFilter(s) && s.probe_ids().empty() && !s.include_collector()) {
    return absl::InvalidArgumentError(
        "selector: names no probe: give countries, regions (\"global\" for "
        "every probe), ASNs or probe ids, or include the collector");
  }
  return s;
}

absl::StatusOr<std::vector<std::string>> SelectProbes(
    const ProbeSelector& s, absl::Span<const ProbeVantage> probes) {
  absl::flat_hash_map<std::string, const ProbeVantage*> by_id;
  for (const ProbeVantage& p : probes) by_id[p.probe_id] = &p;
  std::vector<std::string> selected;
  for (const std::string& id : s.probe_ids()) {
    auto it = by_id.find(id);
    if (it == by_id.end()) {
      return Bad("probe_ids", id, "is not an enrolled probe");
    }
    if (it->second->revoked) return Bad("probe_ids", id, "is revoked");
    selected.push_back(id);
  }
  int unrevoked = 0;
  for (const ProbeVantage& p : probes) {
    if (p.revoked) continue;
    ++unrevoked;
    if (MatchesBeyondIds(s, p)) selected.push_back(p.probe_id);
  }
  std::sort(selected.begin(), selected.end());
  selected.erase(std::unique(selected.begin(), selected.end()), selected.end());
  if (selected.empty() && !s.include_collector()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "the selector (", Describe(s), ") selects no probe: none of the ",
        unrevoked,
        " enrolled, unrevoked probes has a newest run attributed there; "
        "widen it, name probe ids, or include the collector"));
  }
  return selected;
}

bool SelectsProbe(const ProbeSelector& s, const ProbeVantage& p) {
  if (p.revoked) return false;
  const auto& ids = s.probe_ids();
  if (std::find(ids.begin(), ids.end(), p.probe_id) != ids.end()) return true;
  return MatchesBeyondIds(s, p);
}

std::string CollectorVantageWarning(const ProbeSelector& s,
                                    absl::Span<const ProbeVantage> probes) {
  if (!s.include_collector()) return "";
  for (const ProbeVantage& p : probes) {
    if (p.collector_vantage && !p.revoked) return "";
  }
  return "selector.include_collector: no collector vantage probe is "
         "enrolled, so the collector measures nothing yet: on the "
         "collector's host, enrol the v6scope-probe package with a token "
         "from `v6scope-collector vantage-token` (or `v6scope admin token "
         "create --collector_vantage`); the campaign selects it from its "
         "first poll (docs/campaigns.md, \"The collector as a vantage "
         "point\")";
}

}  // namespace v6scope::collector::campaign
