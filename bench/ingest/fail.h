// How the ingest benchmark gives up: a message on stderr and exit status 3
// (the benchmark failed), so scripts tell a failure from a missed target.
#ifndef V6SCOPE_BENCH_INGEST_FAIL_H_
#define V6SCOPE_BENCH_INGEST_FAIL_H_

#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

namespace v6scope::bench::ingest {

// Exit codes.
inline constexpr int kExitMissed = 1;
inline constexpr int kExitFailed = 3;

[[noreturn]] void Fail(absl::string_view why);

template <typename T>
T OrFail(absl::StatusOr<T> v, absl::string_view what) {
  if (!v.ok()) Fail(absl::StrCat(what, ": ", v.status().ToString()));
  return *std::move(v);
}

void OrFail(const absl::Status& s, absl::string_view what);

}  // namespace v6scope::bench::ingest

#endif  // V6SCOPE_BENCH_INGEST_FAIL_H_
