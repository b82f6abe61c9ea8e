// Paths of the test fixtures (tests/data/enrich) and of the real shared
// data set (../shared/data next to the workspace), for tests and
// benchmarks. Test-only.
#ifndef V6SCOPE_TESTS_DATA_DATA_PATHS_H_
#define V6SCOPE_TESTS_DATA_DATA_PATHS_H_

#include <string>

namespace v6scope::tests::data {

// Absolute path of tests/data/enrich/<name> in the runfiles.
std::string FixturePath(const std::string& name);

// The shared data directory (holding prefix2as/, rir/, asnames/), or "" if
// it cannot be found. Tried in order: $V6SCOPE_SHARED_DATA; ../shared/data
// beside the workspace, the workspace being found by resolving the
// runfiles' symlinks back to the source tree; ../shared/data beside
// $BUILD_WORKSPACE_DIRECTORY (bazel run). `*tried` lists what was looked at.
std::string SharedDataDir(std::string* tried);

}  // namespace v6scope::tests::data

#endif  // V6SCOPE_TESTS_DATA_DATA_PATHS_H_
