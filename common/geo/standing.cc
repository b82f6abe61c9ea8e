#include "common/geo/standing.h"

#include <algorithm>
#include <utility>

#include "absl/strings/ascii.h"
#include "common/geo/countries.h"

namespace v6scope::geo {
namespace {

// Group slugs of `country`: its ITU-D region, then its UN groups.
std::vector<std::string> GroupsOf(const CountryInfo& country) {
  std::vector<std::string> groups;
  if (country.itu != ItuRegion::kUnknown) {
    groups.emplace_back(ItuRegionName(country.itu));
  }
  if (country.ldc) groups.emplace_back("ldc");
  if (country.lldc) groups.emplace_back("lldc");
  if (country.sids) groups.emplace_back("sids");
  return groups;
}

// (value, canonical code) of the members of `group` in `values`, best
// first: highest value, ties by code.
std::vector<std::pair<double, std::string>> Members(
    const std::string& group, const CountryValues& values) {
  std::vector<std::pair<double, std::string>> members;
  for (const auto& [cc, value] : values) {
    const CountryInfo* country = FindCountry(cc);
    if (country == nullptr || !CountryInGroup(*country, group)) continue;
    members.emplace_back(value, std::string(country->code));
  }
  std::sort(members.begin(), members.end(), [](const auto& a, const auto& b) {
    if (a.first != b.first) return a.first > b.first;
    return a.second < b.second;
  });
  return members;
}

}  // namespace

double Median(std::vector<double> values) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const size_t mid = values.size() / 2;
  if (values.size() % 2 == 1) return values[mid];
  return (values[mid - 1] + values[mid]) / 2;
}

GroupSummary SummarizeGroup(absl::string_view group_slug,
                            const CountryValues& values) {
  GroupSummary summary;
  summary.group = absl::AsciiStrToLower(group_slug);
  std::vector<double> numbers;
  for (auto& [value, cc] : Members(summary.group, values)) {
    numbers.push_back(value);
    summary.ranked.push_back(std::move(cc));
  }
  summary.median = Median(std::move(numbers));
  return summary;
}

std::optional<CountryStanding> StandingOf(absl::string_view cc,
                                          const CountryValues& values) {
  const CountryInfo* country = FindCountry(cc);
  if (country == nullptr) return std::nullopt;
  const auto it = values.find(std::string(country->code));
  if (it == values.end()) return std::nullopt;
  CountryStanding standing;
  standing.cc = std::string(country->code);
  standing.value = it->second;
  for (const std::string& group : GroupsOf(*country)) {
    const std::vector<std::pair<double, std::string>> members =
        Members(group, values);
    std::vector<double> numbers;
    GroupStanding g;
    g.group = group;
    g.members = static_cast<int>(members.size());
    // Competition rank: one plus the members strictly above.
    g.rank = 1;
    for (const auto& [value, other] : members) {
      numbers.push_back(value);
      if (value > standing.value) ++g.rank;
    }
    g.median = Median(std::move(numbers));
    standing.groups.push_back(std::move(g));
  }
  return standing;
}

}  // namespace v6scope::geo
