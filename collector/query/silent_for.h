// The `silent_for` parameter of the probe listing (gRPC
// ListProbesRequest.silent_for, HTTP ?silent_for=, CLI --silent_for): how
// long a probe must have stored no run to be listed as silent.
#ifndef V6SCOPE_COLLECTOR_QUERY_SILENT_FOR_H_
#define V6SCOPE_COLLECTOR_QUERY_SILENT_FOR_H_

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace v6scope::collector::query {

// A positive whole number of seconds, minutes, hours or days: "3600s",
// "90m", "2h", "1d" (at most 3650 days). Anything else is
// INVALID_ARGUMENT naming the value, e.g. "silent_for: '2x' is not a
// duration such as 2h, 90m, 1d or 3600s".
absl::StatusOr<absl::Duration> ParseSilentFor(absl::string_view text);

}  // namespace v6scope::collector::query

#endif  // V6SCOPE_COLLECTOR_QUERY_SILENT_FOR_H_
