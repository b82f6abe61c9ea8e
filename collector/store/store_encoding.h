// What the SQLite and PostgreSQL stores encode alike: times as unix
// microseconds, page tokens, the limits of signed 64-bit columns and the
// page and export-slice bounds of the Store interface. Internal to
// collector/store; one copy so the two stores cannot drift apart.
#ifndef V6SCOPE_COLLECTOR_STORE_STORE_ENCODING_H_
#define V6SCOPE_COLLECTOR_STORE_STORE_ENCODING_H_

#include <cstdint>
#include <limits>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "collector/store/run_sink.h"

namespace v6scope::collector::store {

inline constexpr int64_t kMaxInt64 = std::numeric_limits<int64_t>::max();
inline constexpr uint32_t kMaxPageSize = 1000;
inline constexpr uint32_t kMaxExportSlice = 10000;

// Times are stored as unix microseconds (absl saturates infinite times).
inline int64_t Micros(absl::Time t) { return absl::ToUnixMicros(t); }

// "v1:<id>" in web-safe base64 (the prefix lets a future token format be
// told apart from this one).
std::string EncodePageToken(int64_t last_id);
// The id below which the page starts; the largest id for "no token".
// INVALID_ARGUMENT "malformed page token" otherwise.
absl::StatusOr<int64_t> DecodePageToken(const std::string& token);

// Rejects what the schema cannot represent (both stores keep sequence
// numbers and counters in signed 64-bit integers), before anything is
// written.
absl::Status ValidateBatch(const RunBatch& batch);

}  // namespace v6scope::collector::store

#endif  // V6SCOPE_COLLECTOR_STORE_STORE_ENCODING_H_
