// Fuzzes the RIR statistics exchange file parser (delegated-*-latest) and
// what the collector builds from it: the delegation tables and the
// per-country allocation context, then looks up each record's own block.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "collector/enrich/data_file.h"
#include "collector/enrich/fuzz/fuzz_file.h"
#include "collector/enrich/rir_stats.h"

namespace v6scope::collector::enrich::fuzz {
namespace {

void LookUpRecords(const RirTables& tables, const RirFile& file) {
  size_t n = 0;
  for (const RirRecord& r : file.records) {
    if (++n > 32) break;  // Enough to reach every lookup path.
    if (r.type == ResourceType::kAsn) {
      (void)tables.LookupAsn(r.start_asn);
    } else {
      (void)tables.Lookup(r.start_address);
      const int bits = r.start_address.bit_length();
      const int length =
          r.type == ResourceType::kIpv6 && r.value <= 128 ? r.value : bits;
      (void)tables.LookupCovering(
          net::IpPrefix::FromAddress(r.start_address, length));
    }
  }
  for (const net::IpAddress& a : ProbeAddresses()) (void)tables.Lookup(a);
}

void FuzzRir(const uint8_t* data, size_t size) {
  absl::StatusOr<DataFile> file = ReadAsDataFile(data, size);
  if (!file.ok()) return;
  MalformedLines bad(file->path, /*max_logged=*/0);
  const RirFile parsed = ParseRirFile(file->contents, &bad);
  (void)parsed.registry();
  (void)parsed.date();
  (void)ComputeAllocationContext({&parsed});
  if (!BuildTablesFor(size)) return;
  RirTables::Builder builder;
  builder.AddFile(parsed);
  const RirTables tables = std::move(builder).Build();
  LookUpRecords(tables, parsed);
}

}  // namespace
}  // namespace v6scope::collector::enrich::fuzz

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  v6scope::collector::enrich::fuzz::SilenceLogs();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  v6scope::collector::enrich::fuzz::FuzzRir(data, size);
  return 0;
}
