#include "collector/aggregate/window.h"

#include <optional>

#include "absl/strings/match.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"

namespace v6scope::collector::aggregate {

absl::string_view WindowKindName(WindowKind kind) {
  switch (kind) {
    case WindowKind::kDay:
      return "day";
    case WindowKind::kWeek:
      return "week";
    case WindowKind::kMonth:
      return "month";
  }
  return "day";
}

std::optional<WindowKind> ParseWindowKind(absl::string_view name) {
  for (WindowKind kind : kAllWindowKinds) {
    if (absl::EqualsIgnoreCase(name, WindowKindName(kind))) return kind;
  }
  return std::nullopt;
}

absl::Time WindowStart(WindowKind kind, absl::Time t) {
  const absl::TimeZone utc = absl::UTCTimeZone();
  const absl::CivilDay day = absl::ToCivilDay(t, utc);
  switch (kind) {
    case WindowKind::kDay:
      return absl::FromCivil(day, utc);
    case WindowKind::kWeek: {
      // PrevWeekday is strictly before: step one day past first.
      const absl::CivilDay monday =
          absl::PrevWeekday(day + 1, absl::Weekday::monday);
      return absl::FromCivil(monday, utc);
    }
    case WindowKind::kMonth:
      return absl::FromCivil(absl::CivilMonth(day), utc);
  }
  return absl::FromCivil(day, utc);
}

absl::Time WindowEnd(WindowKind kind, absl::Time start) {
  const absl::TimeZone utc = absl::UTCTimeZone();
  switch (kind) {
    case WindowKind::kDay:
      return absl::FromCivil(absl::ToCivilDay(start, utc) + 1, utc);
    case WindowKind::kWeek:
      return absl::FromCivil(absl::ToCivilDay(start, utc) + 7, utc);
    case WindowKind::kMonth:
      return absl::FromCivil(absl::ToCivilMonth(start, utc) + 1, utc);
  }
  return start;
}

absl::Time PreviousWindowStart(WindowKind kind, absl::Time start) {
  return WindowStart(kind, start - absl::Seconds(1));
}

}  // namespace v6scope::collector::aggregate
