// The enrich fuzzers feed their bytes as a file, so the whole load path
// runs (whole-file read, gzip detection and inflation), not just the line
// parser.
#ifndef V6SCOPE_COLLECTOR_ENRICH_FUZZ_FUZZ_FILE_H_
#define V6SCOPE_COLLECTOR_ENRICH_FUZZ_FUZZ_FILE_H_

#include <cstddef>
#include <cstdint>
#include <vector>

#include "absl/status/statusor.h"
#include "collector/enrich/data_file.h"
#include "common/net/ip_address.h"

namespace v6scope::collector::enrich::fuzz {

// Writes `data` to this process's scratch file (in $TMPDIR, replaced on
// every call) and reads it back with ReadDataFile.
absl::StatusOr<DataFile> ReadAsDataFile(const uint8_t* data, size_t size);

// Addresses worth looking up in any table: edges of both families and a
// v4-mapped one.
const std::vector<net::IpAddress>& ProbeAddresses();

// Whether this input also builds the lookup tables. Building one costs a
// pass over its 65,536 buckets (~5 ms instrumented) whatever the input,
// which would cap the fuzzer near 60 inputs/s and starve the parsers; so
// tables are built for one input size in eight, decided by the input alone
// (a fuzzer must be deterministic) and reached by any mutation that
// changes the size.
bool BuildTablesFor(size_t size);

// Sends common/log's lines to /dev/null: a malformed line is logged, and
// millions of them would slow the fuzzer down to the terminal's pace.
void SilenceLogs();

}  // namespace v6scope::collector::enrich::fuzz

#endif  // V6SCOPE_COLLECTOR_ENRICH_FUZZ_FUZZ_FILE_H_
