#include "bench/aggregates/fail.h"

#include <ftw.h>
#include <sys/stat.h>

#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <string>

#include "absl/strings/string_view.h"

namespace v6scope::bench::aggregates {
namespace {

// Set once by main before anything can fail; never freed (used at exit).
std::string* scratch_dir = nullptr;
bool keep_scratch = false;

}  // namespace

void SetScratchDir(const std::string& dir, bool keep) {
  scratch_dir = new std::string(dir);
  keep_scratch = keep;
}

void Fail(absl::string_view why) {
  std::cout.flush();
  if (scratch_dir != nullptr && !keep_scratch) RemoveTree(*scratch_dir);
  std::cerr << "aggregates_bench: FAILED: " << why << "\n";
  std::exit(kExitFailed);
}

void RemoveTree(const std::string& dir) {
  ::nftw(
      dir.c_str(),
      [](const char* path, const struct stat*, int, struct FTW*) {
        return ::remove(path);
      },
      16, FTW_DEPTH | FTW_PHYS);
}

}  // namespace v6scope::bench::aggregates
