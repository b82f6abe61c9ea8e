// Where a country stands among its peers on one per-country metric: its
// rank within its ITU-D region and within the UN groups it belongs to
// (LDC, LLDC, SIDS), and each group's median. For the national progress
// report; the metric is the caller's (e.g. IPv6 /32 equivalents).
//
// Only countries with a value take part: a country missing from the
// values is unknown, not zero, and is neither ranked nor counted. No
// per-capita metric is implied: no population data is used.
//
// Pure functions; thread-safe.
#ifndef V6SCOPE_COMMON_GEO_STANDING_H_
#define V6SCOPE_COMMON_GEO_STANDING_H_

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace v6scope::geo {

// Country code as in the table ("KE", upper case) → value of the metric.
using CountryValues = std::map<std::string, double>;

// One group's view of its members' values.
struct GroupSummary {
  std::string group;  // A CountryInGroup slug: "africa", "ldc", ...
  // Members with a value, best first (highest value; ties by code).
  std::vector<std::string> ranked;
  double median = 0;  // Of the members' values; 0 when there are none.
};

// A country's place in one group.
struct GroupStanding {
  std::string group;
  // 1 = highest value. Ties share the better rank and the next rank is
  // skipped ("1, 2, 2, 4"), so equal values never look ordered.
  int rank = 0;
  int members = 0;  // Members of the group with a value.
  double median = 0;
};

struct CountryStanding {
  std::string cc;
  double value = 0;
  // The country's ITU-D region first, then "ldc", "lldc", "sids" where it
  // belongs; a region of kUnknown (Antarctica) gives no entry.
  std::vector<GroupStanding> groups;
};

// The members of `group_slug` found in `values`, ranked, with the median.
GroupSummary SummarizeGroup(absl::string_view group_slug,
                            const CountryValues& values);

// Median of `values` (mean of the middle two for an even count); 0 for
// none.
double Median(std::vector<double> values);

// The standing of `cc` (any case); nullopt if it is not a country of the
// table or has no value.
std::optional<CountryStanding> StandingOf(absl::string_view cc,
                                          const CountryValues& values);

}  // namespace v6scope::geo

#endif  // V6SCOPE_COMMON_GEO_STANDING_H_
