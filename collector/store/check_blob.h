// The stored form of a readiness check (domain_results.check_blob, both
// stores): the serialized v6scope.v1.DomainCheck, LZ4-compressed.
//
// Why: a check with its verdict is about 2 KiB and compresses 2.5:1; the
// SQLite writer's time went mostly to writing its pages (to the WAL and
// again at the checkpoint), so storing a third fewer bytes lets the
// writer keep up with more probes (docs/benchmarks.md, "Readiness
// ingest").
//
// Format: 0x00, a codec byte (0x01: one LZ4 block), the uncompressed size
// as a varint, the block. A serialized message never starts with 0x00 (no
// field is numbered 0), so a blob that does not is a check stored as
// plain protobuf: rows from before this format, and checks too small or
// too random to shrink. Both read the same way.
#ifndef V6SCOPE_COLLECTOR_STORE_CHECK_BLOB_H_
#define V6SCOPE_COLLECTOR_STORE_CHECK_BLOB_H_

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "proto/readiness.pb.h"

namespace v6scope::collector::store {

// The largest check a stored blob may claim to hold uncompressed: far
// above what the ingest accepts (a batch is bounded by the gRPC message
// limit), so only a corrupt blob meets it.
inline constexpr size_t kMaxStoredCheckBytes = 16 << 20;

// `serialized` (a serialized DomainCheck) in the stored form: compressed
// when that makes it smaller, else as it is.
std::string EncodeCheckBlob(absl::string_view serialized);

// The serialized DomainCheck a stored blob holds. DATA_LOSS naming what is
// wrong when a compressed blob is damaged (unknown codec, a size beyond
// kMaxStoredCheckBytes, a block that does not decompress to that size).
absl::StatusOr<std::string> DecodeCheckBlob(absl::string_view blob);

// DecodeCheckBlob, then the check parsed into `check`; DATA_LOSS when the
// bytes do not parse.
absl::Status ParseStoredCheck(absl::string_view blob,
                              v6scope::v1::DomainCheck* check);

}  // namespace v6scope::collector::store

#endif  // V6SCOPE_COLLECTOR_STORE_CHECK_BLOB_H_
