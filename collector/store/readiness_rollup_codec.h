// How the stores keep a readiness rollup row's two non-scalar parts: the
// per-service state counts (kServiceCount x kStateCount numbers) and the
// distinct probe ASNs. Internal to collector/store.
//
// SQLite keeps both as BLOBs of unsigned varints (counts: service-major,
// state-minor; ASNs: ascending, each the difference from the previous):
// 33 counts that are mostly 0 or small take ~33 bytes, and a handful of
// ASNs of a country ~3 bytes each, where 33 INTEGER columns or a child
// table of ASNs would take several times that (and a child table one more
// B-tree write per network). SQLite merges them in SQL with two functions
// registered on the write connection (sqlite_readiness_rollups.h), one
// upsert a key. PostgreSQL keeps bigint[] arrays instead, so that
// its upsert merges in SQL under the row lock ON CONFLICT takes (several
// collectors may write at once); its rows are read back as comma-joined
// text (array_to_string), parsed here.
#ifndef V6SCOPE_COLLECTOR_STORE_READINESS_ROLLUP_CODEC_H_
#define V6SCOPE_COLLECTOR_STORE_READINESS_ROLLUP_CODEC_H_

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "collector/aggregate/readiness/result.h"
#include "collector/aggregate/readiness/rollup.h"

namespace v6scope::collector::store {

using ServiceCounts = std::array<aggregate::readiness::StateCounts,
                                 aggregate::readiness::kServiceCount>;

std::string EncodeCountsBlob(const ServiceCounts& counts);
// False unless `blob` is exactly what EncodeCountsBlob makes.
bool DecodeCountsBlob(absl::string_view blob, ServiceCounts* counts);

std::string EncodeAsnsBlob(const std::vector<uint32_t>& asns);
bool DecodeAsnsBlob(absl::string_view blob, std::vector<uint32_t>* asns);

// PostgreSQL array literals: "{1,0,...}" (service-major) and "{64500,...}".
std::string CountsArrayLiteral(const ServiceCounts& counts);
std::string AsnsArrayLiteral(const std::vector<uint32_t>& asns);
// From array_to_string(column, ','): "" is an empty array.
bool ParseJoinedCounts(absl::string_view text, ServiceCounts* counts);
bool ParseJoinedAsns(absl::string_view text, std::vector<uint32_t>* asns);

}  // namespace v6scope::collector::store

#endif  // V6SCOPE_COLLECTOR_STORE_READINESS_ROLLUP_CODEC_H_
