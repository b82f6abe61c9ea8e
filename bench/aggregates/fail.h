// How the aggregates benchmark gives up: a message on stderr and exit
// status 3 (the benchmark failed), after removing its scratch directory
// unless it is kept, so scripts tell a failure from a missed target.
#ifndef V6SCOPE_BENCH_AGGREGATES_FAIL_H_
#define V6SCOPE_BENCH_AGGREGATES_FAIL_H_

#include <string>

#include "absl/strings/string_view.h"

namespace v6scope::bench::aggregates {

// Exit codes.
inline constexpr int kExitMissed = 1;
inline constexpr int kExitFailed = 3;

// The directory Fail() removes unless `keep`.
void SetScratchDir(const std::string& dir, bool keep);

[[noreturn]] void Fail(absl::string_view why);

// Removes `dir` and everything under it.
void RemoveTree(const std::string& dir);

}  // namespace v6scope::bench::aggregates

#endif  // V6SCOPE_BENCH_AGGREGATES_FAIL_H_
