// Aggregation windows: calendar days, ISO weeks and calendar months, all in
// UTC, so that a window means the same thing to every collector and every
// reader whatever their time zone.
#ifndef V6SCOPE_COLLECTOR_AGGREGATE_WINDOW_H_
#define V6SCOPE_COLLECTOR_AGGREGATE_WINDOW_H_

#include <optional>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace v6scope::collector::aggregate {

// Values are stored in the rollup table: never renumber.
enum class WindowKind { kDay = 1, kWeek = 2, kMonth = 3 };

inline constexpr WindowKind kAllWindowKinds[] = {
    WindowKind::kDay, WindowKind::kWeek, WindowKind::kMonth};

// "day", "week", "month".
absl::string_view WindowKindName(WindowKind kind);
// The inverse (case-insensitive); nullopt for anything else.
std::optional<WindowKind> ParseWindowKind(absl::string_view name);

// Start of the window that contains `t`: 00:00 UTC of its day, of the
// Monday of its ISO 8601 week, or of the 1st of its month. A window is the
// half-open interval [start, end).
absl::Time WindowStart(WindowKind kind, absl::Time t);
// Start of the next window; `start` must be a window start.
absl::Time WindowEnd(WindowKind kind, absl::Time start);
// Start of the previous window; `start` must be a window start.
absl::Time PreviousWindowStart(WindowKind kind, absl::Time start);

}  // namespace v6scope::collector::aggregate

#endif  // V6SCOPE_COLLECTOR_AGGREGATE_WINDOW_H_
