// Fuzzes the domain-list importers: the input as every format and
// auto-detected, with small limits. Whatever is accepted must be a list of
// distinct names that are already normalised.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <sstream>
#include <string>

#include "absl/container/flat_hash_set.h"
#include "collector/campaign/domain_name.h"
#include "collector/campaign/list_import.h"

namespace v6scope::collector::campaign::fuzz {
namespace {

void Check(const ImportResult& result) {
  absl::flat_hash_set<std::string> seen;
  for (const DomainEntry& entry : result.list.entries()) {
    absl::StatusOr<std::string> again = NormalizeDomainName(entry.name);
    if (!again.ok() || *again != entry.name) std::abort();
    if (!seen.insert(entry.name).second) std::abort();
    if (entry.line < 1) std::abort();
  }
  if (result.list.empty()) std::abort();  // An empty list is an error.
}

void FuzzImport(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  for (ListFormat format :
       {ListFormat::kAuto, ListFormat::kText, ListFormat::kCsv,
        ListFormat::kDotGov, ListFormat::kTranco, ListFormat::kToml}) {
    ImportOptions options;
    options.format = format;
    options.file_name = "bank.toml";
    options.limits.max_names = 1000;
    options.limits.max_warnings = 10;
    options.limits.skip_invalid_names = size % 2 == 1;
    std::istringstream in(text);
    absl::StatusOr<ImportResult> result = ImportDomainList(in, options);
    if (result.ok()) Check(*result);
  }
}

}  // namespace
}  // namespace v6scope::collector::campaign::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  v6scope::collector::campaign::fuzz::FuzzImport(data, size);
  return 0;
}
