// The pieces of the Prometheus text exposition format (version 0.0.4)
// that need care: numbers, escaping and the naming rules.
#ifndef V6SCOPE_COMMON_METRICS_EXPOSITION_H_
#define V6SCOPE_COMMON_METRICS_EXPOSITION_H_

#include <string>

#include "absl/strings/string_view.h"

namespace v6scope::metrics {

// A sample value at full precision: an integral value below 2^63 in
// magnitude as an integer ("1234567890123", never "1.23457e+12"), any
// other finite value as the shortest decimal that parses back to the same
// double ("1796601234.567"), and "+Inf", "-Inf", "NaN" as the format
// spells them.
std::string FormatValue(double v);

// A label value between double quotes: backslash, double quote and line
// feed escaped as \\, \" and \n.
std::string EscapeLabelValue(absl::string_view v);

// A HELP text: backslash and line feed escaped as \\ and \n.
std::string EscapeHelp(absl::string_view help);

// [a-zA-Z_:][a-zA-Z0-9_:]*
bool IsValidMetricName(absl::string_view name);
// [a-zA-Z_][a-zA-Z0-9_]*, not starting with "__" (reserved).
bool IsValidLabelName(absl::string_view name);

}  // namespace v6scope::metrics

#endif  // V6SCOPE_COMMON_METRICS_EXPOSITION_H_
