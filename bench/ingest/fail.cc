#include "bench/ingest/fail.h"

#include <cstdio>
#include <cstdlib>

#include "absl/strings/str_cat.h"

namespace v6scope::bench::ingest {

void Fail(absl::string_view why) {
  std::fflush(stdout);
  std::fprintf(stderr, "ingest_bench: FAILED: %.*s\n",
               static_cast<int>(why.size()), why.data());
  std::exit(kExitFailed);
}

void OrFail(const absl::Status& s, absl::string_view what) {
  if (!s.ok()) Fail(absl::StrCat(what, ": ", s.ToString()));
}

}  // namespace v6scope::bench::ingest
