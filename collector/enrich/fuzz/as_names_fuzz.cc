// Fuzzes the AS-names list parser (bgp.potaroo.net asnames format).
#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "collector/enrich/as_names.h"
#include "collector/enrich/data_file.h"
#include "collector/enrich/fuzz/fuzz_file.h"

namespace v6scope::collector::enrich::fuzz {
namespace {

void FuzzAsNames(const uint8_t* data, size_t size) {
  absl::StatusOr<DataFile> file = ReadAsDataFile(data, size);
  if (!file.ok()) return;
  MalformedLines bad(file->path, /*max_logged=*/0);
  const AsNames names = AsNames::Parse(file->contents, &bad);
  // The ASNs of the first lines (as far as they are numbers), and edges.
  std::vector<uint32_t> asns = {0u, 1u, 13335u, 23456u, 65535u, 4294967295u};
  for (absl::string_view line :
       absl::StrSplit(file->contents, absl::MaxSplits('\n', 16))) {
    uint32_t asn = 0;
    if (absl::SimpleAtoi(line.substr(0, line.find('\t')), &asn)) {
      asns.push_back(asn);
    }
  }
  for (uint32_t asn : asns) {
    std::optional<AsNames::Entry> entry = names.Lookup(asn);
    // Touch the views: they must point into the parsed text.
    if (entry.has_value()) {
      volatile size_t n = entry->name.size() + entry->cc.size();
      if (!entry->name.empty()) n += entry->name.front();
      if (!entry->cc.empty()) n += entry->cc.back();
      (void)n;
    }
  }
}

}  // namespace
}  // namespace v6scope::collector::enrich::fuzz

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  v6scope::collector::enrich::fuzz::SilenceLogs();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  v6scope::collector::enrich::fuzz::FuzzAsNames(data, size);
  return 0;
}
