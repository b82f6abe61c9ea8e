// Human-readable and JSON renderings of a run, for `v6scope-probe run-once`
// and the v6scope CLI.
#ifndef V6SCOPE_PROBE_SUITE_RUN_FORMAT_H_
#define V6SCOPE_PROBE_SUITE_RUN_FORMAT_H_

#include <string>

#include "absl/status/statusor.h"
#include "proto/results.pb.h"

namespace v6scope::probe::suite {

// A few aligned lines: times, inventory, public prefixes, tests, verdict.
std::string FormatRunText(const v6scope::v1::Run& run);

// The protobuf JSON mapping of the run, on one line.
absl::StatusOr<std::string> FormatRunJson(const v6scope::v1::Run& run);

}  // namespace v6scope::probe::suite

#endif  // V6SCOPE_PROBE_SUITE_RUN_FORMAT_H_
