// Imports one domain list with collector/campaign and prints one line:
//   import <file> names=<n> kept=<n> seconds=<s> names_per_s=<r>
//   peak_rss_kb=<k>
// Usage: import_bench FILE [--skip_invalid] [--format=NAME]
// Exits 1 if the import fails (the error on stderr), 2 on bad usage.
#include <sys/resource.h>

#include <cstdio>
#include <string>

#include "absl/strings/match.h"
#include "absl/time/clock.h"
#include "collector/campaign/list_import.h"

namespace v6scope::bench::campaign {
namespace {

using ::v6scope::collector::campaign::ImportDomainListFile;
using ::v6scope::collector::campaign::ImportOptions;
using ::v6scope::collector::campaign::ImportResult;
using ::v6scope::collector::campaign::ListFormat;
using ::v6scope::collector::campaign::ParseListFormat;

long PeakRssKb() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}

int Run(int argc, char** argv) {
  ImportOptions options;
  std::string path;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--skip_invalid") {
      options.limits.skip_invalid_names = true;
    } else if (absl::StartsWith(arg, "--format=")) {
      std::optional<ListFormat> format = ParseListFormat(arg.substr(9));
      if (!format) return 2;
      options.format = *format;
    } else if (path.empty() && !absl::StartsWith(arg, "--")) {
      path = arg;
    } else {
      std::fprintf(stderr, "usage: import_bench FILE [--skip_invalid]\n");
      return 2;
    }
  }
  if (path.empty()) return 2;
  const absl::Time start = absl::Now();
  absl::StatusOr<ImportResult> result = ImportDomainListFile(path, options);
  const double seconds = absl::ToDoubleSeconds(absl::Now() - start);
  if (!result.ok()) {
    std::fprintf(stderr, "%s\n",
                 std::string(result.status().message()).c_str());
    return 1;
  }
  std::printf(
      "import %s names=%lld kept=%zu seconds=%.3f names_per_s=%.0f "
      "peak_rss_kb=%ld\n",
      path.c_str(), static_cast<long long>(result->names_read),
      result->list.size(), seconds,
      static_cast<double>(result->names_read) / seconds, PeakRssKb());
  return 0;
}

}  // namespace
}  // namespace v6scope::bench::campaign

int main(int argc, char** argv) {
  return v6scope::bench::campaign::Run(argc, argv);
}
