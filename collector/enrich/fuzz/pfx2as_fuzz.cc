// Fuzzes the CAIDA prefix-to-AS (pfx2as) parser and the longest-prefix
// table built from it, and the origin-field parser on its own.
#include <cstddef>
#include <cstdint>

#include "absl/strings/string_view.h"
#include "collector/enrich/data_file.h"
#include "collector/enrich/fuzz/fuzz_file.h"
#include "collector/enrich/prefix_table.h"

namespace v6scope::collector::enrich::fuzz {
namespace {

void FuzzPfx2as(const uint8_t* data, size_t size) {
  // The origin field parser sees every input too: it is the part of a
  // line with the most structure ("A_B,C").
  absl::StatusOr<OriginField> field = ParseOriginField(
      absl::string_view(reinterpret_cast<const char*>(data), size));
  if (field.ok()) {
    (void)PrimaryOrigin(*field);
    (void)field->ToString();
    (void)field->Asns();
  }
  absl::StatusOr<DataFile> file = ReadAsDataFile(data, size);
  if (!file.ok()) return;
  MalformedLines bad(file->path, /*max_logged=*/0);
  PrefixTable::Builder builder;
  builder.AddContents(file->contents, &bad);
  if (!BuildTablesFor(size)) return;
  const PrefixTable table = std::move(builder).Build();
  for (const net::IpAddress& a : ProbeAddresses()) {
    (void)table.Lookup(a);
    (void)table.OriginAsn(a);
    (void)table.LookupCovering(net::PublicTruncation(a));
  }
  (void)table.MemoryBytes();
}

}  // namespace
}  // namespace v6scope::collector::enrich::fuzz

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  v6scope::collector::enrich::fuzz::SilenceLogs();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  v6scope::collector::enrich::fuzz::FuzzPfx2as(data, size);
  return 0;
}
