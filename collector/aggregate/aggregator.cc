#include "collector/aggregate/aggregator.h"

#include <google/protobuf/util/time_util.h>

#include <algorithm>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"
#include "collector/aggregate/wilson.h"
#include "common/geo/countries.h"
#include "methodology/observation.h"

namespace v6scope::collector::aggregate {
namespace {

using ::google::protobuf::util::TimeUtil;
using ::v6scope::v1::GroupAggregate;

// Everything counted for one (window, group), before publication.
struct Tally {
  uint64_t probes = 0;
  uint64_t runs = 0;
  uint64_t measured = 0;
  uint64_t capable = 0;
  uint64_t preferred = 0;
  uint64_t broken = 0;
  uint64_t v4_broken = 0;
  uint64_t pmtu = 0;
  uint64_t nat64 = 0;
  uint64_t resolver_tested = 0;
  uint64_t resolver_v6 = 0;
  std::vector<int64_t> gaps_us;
  std::map<int, uint64_t> causes;
  // Probes per methodology version of their latest observation (all
  // probes, measured or not: the filter selects probes).
  std::map<std::string, uint64_t> versions;
  // Sample-data probes among `probes`, and the probes per country (an AS
  // group's country is where most of its probes are).
  uint64_t synthetic = 0;
  std::map<std::string, uint64_t> countries;

  void Add(const ProbeWindow& row, bool is_synthetic) {
    const methodology::Observation& o = row.latest;
    ++probes;
    synthetic += is_synthetic;
    if (!o.country.empty()) ++countries[o.country];
    runs += static_cast<uint64_t>(row.runs);
    ++versions[o.methodology_version];
    if (!methodology::IsMeasured(o)) return;
    ++measured;
    capable += methodology::IsV6Capable(o);
    preferred += methodology::IsV6Preferred(o);
    broken += methodology::IsV6Broken(o);
    v4_broken += methodology::IsV4Broken(o);
    pmtu += methodology::IsPmtuBroken(o);
    nat64 += methodology::IsBehindNat64(o);
    if (o.resolver_v6 != methodology::ResolverV6::kNotTested) {
      ++resolver_tested;
      resolver_v6 += o.resolver_v6 == methodology::ResolverV6::kYes;
    }
    if (o.gap_us.has_value()) gaps_us.push_back(*o.gap_us);
    for (int cause = 1; cause < 32; ++cause) {
      if ((o.root_causes >> cause) & 1u) ++causes[cause];
    }
  }
};

void SetShare(uint64_t count, uint64_t total, v6scope::v1::Share* share) {
  share->set_count(count);
  share->set_total(total);
  share->set_value(total == 0 ? 0.0
                              : static_cast<double>(count) /
                                    static_cast<double>(total));
  const Interval ci = WilsonInterval(count, total);
  share->set_ci_low(ci.low);
  share->set_ci_high(ci.high);
}

// The groups a probe's latest observation puts it in.
std::vector<std::string> GroupsOf(const methodology::Observation& o,
                                  v6scope::v1::GroupBy by) {
  switch (by) {
    case v6scope::v1::ASN:
      return {o.asn == 0 ? kUnknownGroup : absl::StrCat(o.asn)};
    case v6scope::v1::GLOBAL:
      return {"global"};
    case v6scope::v1::RIR:
    case v6scope::v1::ITU_REGION:
    case v6scope::v1::DEV_GROUP: {
      const geo::CountryInfo* info = geo::FindCountry(o.country);
      if (info == nullptr) return {};
      if (by == v6scope::v1::RIR) {
        if (info->rir == geo::Rir::kUnknown) return {};
        return {std::string(geo::RirName(info->rir))};
      }
      if (by == v6scope::v1::ITU_REGION) {
        if (info->itu == geo::ItuRegion::kUnknown) return {};
        return {std::string(geo::ItuRegionName(info->itu))};
      }
      std::vector<std::string> groups;
      if (info->ldc) groups.push_back("ldc");
      if (info->lldc) groups.push_back("lldc");
      if (info->sids) groups.push_back("sids");
      return groups;
    }
    case v6scope::v1::COUNTRY:
    default:
      return {o.country.empty() ? kUnknownGroup : o.country};
  }
}

bool IsGroupSlug(const std::string& slug) {
  const std::vector<std::string> slugs = geo::AllGroupSlugs();
  return std::find(slugs.begin(), slugs.end(), slug) != slugs.end();
}

// Display names of region and group slugs.
std::string GroupDisplayName(const std::string& slug) {
  static const auto* const kNames = new std::map<std::string, std::string>{
      {"global", "Global"},
      {"africa", "Africa"},
      {"americas", "Americas"},
      {"arab-states", "Arab States"},
      {"asia-pacific", "Asia-Pacific"},
      {"cis", "CIS"},
      {"europe", "Europe"},
      {"afrinic", "AFRINIC"},
      {"apnic", "APNIC"},
      {"arin", "ARIN"},
      {"lacnic", "LACNIC"},
      {"ripencc", "RIPE NCC"},
      {"ldc", "Least developed countries"},
      {"lldc", "Landlocked developing countries"},
      {"sids", "Small island developing states"},
  };
  auto it = kNames->find(slug);
  return it == kNames->end() ? "" : it->second;
}

std::string GroupName(const std::string& key, const AggregateOptions& options) {
  if (key == kUnknownGroup) return "not attributed";
  switch (options.group_by) {
    case v6scope::v1::ASN: {
      uint32_t asn = 0;
      if (options.as_name && absl::SimpleAtoi(key, &asn)) {
        return options.as_name(asn);
      }
      return "";
    }
    case v6scope::v1::COUNTRY: {
      const geo::CountryInfo* info = geo::FindCountry(key);
      return info == nullptr ? "" : std::string(info->name);
    }
    default:
      return GroupDisplayName(key);
  }
}

// Sort key: ASNs numerically, "unknown" after everything.
std::tuple<bool, uint64_t, std::string> KeyOrder(const std::string& key) {
  uint64_t number = 0;
  const bool numeric = absl::SimpleAtoi(key, &number);
  return {key == kUnknownGroup, numeric ? number : 0, key};
}

// Sort key of methodology versions: numerically ("10" after "9"), anything
// else (a run stored without a verdict has "") after them.
std::tuple<bool, uint64_t, std::string> VersionOrder(
    const std::string& version) {
  uint64_t number = 0;
  const bool numeric = absl::SimpleAtoi(version, &number);
  return {!numeric, number, version};
}

// The causes with their shares of the measured probes, and the probes per
// methodology version, ascending.
void PublishCausesAndVersions(const Tally& t, GroupAggregate& g) {
  for (const auto& [cause, probes] : t.causes) {
    v6scope::v1::CauseCount* c = g.add_causes();
    c->set_cause(static_cast<v6scope::v1::RootCause>(cause));
    c->set_probes(probes);
    SetShare(probes, t.measured, c->mutable_share());
  }
  std::vector<std::pair<std::string, uint64_t>> versions(t.versions.begin(),
                                                         t.versions.end());
  std::sort(versions.begin(), versions.end(), [](const auto& a, const auto& b) {
    return VersionOrder(a.first) < VersionOrder(b.first);
  });
  for (const auto& [version, probes] : versions) {
    v6scope::v1::MethodologyCount* m = g.add_methodology_versions();
    m->set_version(version);
    m->set_probes(probes);
  }
}

// The country most of the group's probes are in (the first by code on a
// tie); "" when none is known.
std::string MainCountry(const Tally& t) {
  std::string country;
  uint64_t most = 0;
  for (const auto& [cc, probes] : t.countries) {
    if (probes > most) {
      country = cc;
      most = probes;
    }
  }
  return country;
}

// Whether `row` is counted under the region and methodology filters.
bool Selected(const ProbeWindow& row, const AggregateOptions& options) {
  if (row.kind != options.window) return false;
  if (!options.methodology.empty() &&
      row.latest.methodology_version != options.methodology) {
    return false;
  }
  if (options.region.empty() || options.region == "global") return true;
  const geo::CountryInfo* info = geo::FindCountry(row.latest.country);
  return info != nullptr && geo::CountryInGroup(*info, options.region);
}

absl::Status CheckOptions(const AggregateOptions& options) {
  if (!options.region.empty() && !IsGroupSlug(options.region)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "region: unknown group '", options.region,
        "' (one of: ", absl::StrJoin(geo::AllGroupSlugs(), ", "), ")"));
  }
  if (!options.methodology.empty() &&
      !methodology::IsKnownMethodologyVersion(options.methodology)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "methodology: unknown version '", options.methodology, "' (one of: ",
        absl::StrJoin(methodology::KnownMethodologyVersions(), ", "),
        "; empty for every version)"));
  }
  return absl::OkStatus();
}

GroupAggregate Publish(int64_t window_start_us, const std::string& key,
                       Tally& t, const AggregateOptions& options) {
  GroupAggregate g;
  g.set_key(key);
  g.set_name(GroupName(key, options));
  const absl::Time start = absl::FromUnixMicros(window_start_us);
  *g.mutable_window_start() =
      TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(start));
  *g.mutable_window_end() = TimeUtil::MicrosecondsToTimestamp(
      absl::ToUnixMicros(WindowEnd(options.window, start)));
  if (options.group_by == v6scope::v1::COUNTRY && options.allocations) {
    std::optional<v6scope::v1::CountryAllocations> allocations =
        options.allocations(key);
    if (allocations.has_value()) *g.mutable_allocations() = *allocations;
  }
  if (t.probes < options.min_probes) {
    g.set_insufficient_data(true);  // And not a single number.
    return g;
  }
  g.set_probes(t.probes);
  g.set_synthetic_probes(static_cast<uint32_t>(t.synthetic));
  if (options.group_by == v6scope::v1::ASN) g.set_country(MainCountry(t));
  // Saturates: more than 4e9 runs of one group in one window is not real.
  g.set_runs(static_cast<uint32_t>(std::min<uint64_t>(t.runs, UINT32_MAX)));
  g.set_measured_probes(t.measured);
  SetShare(t.capable, t.measured, g.mutable_v6_capable());
  SetShare(t.preferred, t.measured, g.mutable_v6_preferred());
  SetShare(t.broken, t.measured, g.mutable_v6_broken());
  SetShare(t.v4_broken, t.measured, g.mutable_v4_broken());
  SetShare(t.pmtu, t.measured, g.mutable_pmtu_broken());
  SetShare(t.nat64, t.measured, g.mutable_nat64());
  SetShare(t.resolver_v6, t.resolver_tested, g.mutable_resolver_v6());
  g.set_gap_probes(static_cast<uint32_t>(t.gaps_us.size()));
  const std::optional<double> median = Median(t.gaps_us);
  if (median.has_value()) g.set_median_gap_ms(*median / 1000.0);
  PublishCausesAndVersions(t, g);
  return g;
}

}  // namespace

std::optional<double> Median(std::vector<int64_t>& values) {
  if (values.empty()) return std::nullopt;
  const size_t mid = values.size() / 2;
  std::nth_element(values.begin(), values.begin() + mid, values.end());
  const double upper = static_cast<double>(values[mid]);
  if (values.size() % 2 == 1) return upper;
  const int64_t lower = *std::max_element(values.begin(), values.begin() + mid);
  return (static_cast<double>(lower) + upper) / 2;
}

absl::StatusOr<std::vector<GroupAggregate>> Aggregate(
    const std::vector<ProbeWindow>& rows, const AggregateOptions& options) {
  absl::Status checked = CheckOptions(options);
  if (!checked.ok()) return checked;
  std::map<std::pair<int64_t, std::string>, Tally> tallies;
  for (const ProbeWindow& row : rows) {
    if (!Selected(row, options)) continue;
    for (std::string& key : GroupsOf(row.latest, options.group_by)) {
      tallies[{row.window_start_us, std::move(key)}].Add(
          row, options.synthetic && options.synthetic(row.probe_id));
    }
  }
  std::vector<std::pair<std::pair<int64_t, std::string>, Tally*>> ordered;
  ordered.reserve(tallies.size());
  for (auto& [key, tally] : tallies) ordered.push_back({key, &tally});
  std::sort(ordered.begin(), ordered.end(), [](const auto& a, const auto& b) {
    if (a.first.first != b.first.first) return a.first.first < b.first.first;
    return KeyOrder(a.first.second) < KeyOrder(b.first.second);
  });
  std::vector<GroupAggregate> groups;
  groups.reserve(ordered.size());
  for (auto& [key, tally] : ordered) {
    groups.push_back(Publish(key.first, key.second, *tally, options));
  }
  return groups;
}

}  // namespace v6scope::collector::aggregate
