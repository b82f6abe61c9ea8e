#include "tests/data/data_paths.h"

#include <sys/stat.h>

#include <climits>
#include <cstdlib>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace v6scope::tests::data {
namespace {

constexpr char kFixtureDir[] = "tests/data/enrich";
constexpr char kMarker[] = "prefix2as/RouteViewIPv4.pfx2as.gz";

std::string Env(const char* name) {
  const char* value = std::getenv(name);
  return value == nullptr ? "" : value;
}

bool IsDataDir(const std::string& dir) {
  struct stat st;
  return !dir.empty() &&
         stat(absl::StrCat(dir, "/", kMarker).c_str(), &st) == 0;
}

std::string RealPath(const std::string& path) {
  char resolved[PATH_MAX];
  return realpath(path.c_str(), resolved) == nullptr ? "" : resolved;
}

// The source tree the runfiles link back to: a fixture's real path minus
// its path in the workspace.
std::string WorkspaceFromRunfiles() {
  const std::string fixture = RealPath(FixturePath("asnames.txt"));
  const std::string suffix = absl::StrCat("/", kFixtureDir, "/asnames.txt");
  if (!absl::EndsWith(fixture, suffix)) return "";
  return fixture.substr(0, fixture.size() - suffix.size());
}

}  // namespace

std::string FixturePath(const std::string& name) {
  std::string root = Env("TEST_SRCDIR");
  if (root.empty()) {
    // Not under `bazel test` (a benchmark run by hand): the runfiles tree
    // next to the binary.
    root = RealPath("/proc/self/exe") + ".runfiles";
  }
  return absl::StrCat(root, "/v6scope/", kFixtureDir, "/", name);
}

std::string SharedDataDir(std::string* tried) {
  std::vector<std::string> candidates;
  if (!Env("V6SCOPE_SHARED_DATA").empty()) {
    candidates.push_back(Env("V6SCOPE_SHARED_DATA"));
  }
  if (const std::string ws = WorkspaceFromRunfiles(); !ws.empty()) {
    candidates.push_back(ws + "/../shared/data");
  }
  if (!Env("BUILD_WORKSPACE_DIRECTORY").empty()) {
    candidates.push_back(Env("BUILD_WORKSPACE_DIRECTORY") + "/../shared/data");
  }
  if (tried != nullptr) *tried = absl::StrJoin(candidates, ", ");
  for (const std::string& dir : candidates) {
    if (IsDataDir(dir)) {
      const std::string real = RealPath(dir);
      return real.empty() ? dir : real;
    }
  }
  return "";
}

}  // namespace v6scope::tests::data
