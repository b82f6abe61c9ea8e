#include "collector/store/check_blob.h"

#include <lz4.h>

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "collector/store/varint.h"
#include "proto/readiness.pb.h"

namespace v6scope::collector::store {
namespace {

constexpr char kMarker = '\0';
constexpr char kLz4Block = '\x01';

absl::Status Damaged(absl::string_view what) {
  return absl::DataLossError(absl::StrCat("a stored domain check ", what));
}

}  // namespace

std::string EncodeCheckBlob(absl::string_view serialized) {
  if (serialized.empty() || serialized.size() > kMaxStoredCheckBytes) {
    return std::string(serialized);
  }
  std::string out;
  out.push_back(kMarker);
  out.push_back(kLz4Block);
  PutVarint(serialized.size(), &out);
  const size_t header = out.size();
  const int bound = LZ4_compressBound(static_cast<int>(serialized.size()));
  out.resize(header + static_cast<size_t>(bound));
  const int n =
      LZ4_compress_default(serialized.data(), out.data() + header,
                           static_cast<int>(serialized.size()), bound);
  if (n <= 0 || header + static_cast<size_t>(n) >= serialized.size()) {
    return std::string(serialized);  // Not smaller: kept as it is.
  }
  out.resize(header + static_cast<size_t>(n));
  return out;
}

absl::StatusOr<std::string> DecodeCheckBlob(absl::string_view blob) {
  if (blob.empty() || blob.front() != kMarker) return std::string(blob);
  blob.remove_prefix(1);
  if (blob.empty() || blob.front() != kLz4Block) {
    return Damaged(
        blob.empty()
            ? "is cut off after its marker"
            : absl::StrCat("names an unknown codec ",
                           static_cast<int>(static_cast<uint8_t>(blob[0]))));
  }
  blob.remove_prefix(1);
  uint64_t size = 0;
  if (!GetVarint(&blob, &size)) return Damaged("has a cut-off size");
  if (size == 0 || size > kMaxStoredCheckBytes) {
    return Damaged(absl::StrCat("claims ", size, " bytes uncompressed"));
  }
  std::string out(size, '\0');
  const int n = LZ4_decompress_safe(blob.data(), out.data(),
                                    static_cast<int>(blob.size()),
                                    static_cast<int>(size));
  if (n < 0 || static_cast<uint64_t>(n) != size) {
    return Damaged(absl::StrCat("does not decompress to its ", size, " bytes"));
  }
  return out;
}

absl::Status ParseStoredCheck(absl::string_view blob,
                              v6scope::v1::DomainCheck* check) {
  absl::StatusOr<std::string> serialized = DecodeCheckBlob(blob);
  if (!serialized.ok()) return serialized.status();
  if (!check->ParseFromString(*serialized)) {
    return Damaged("does not parse");
  }
  return absl::OkStatus();
}

}  // namespace v6scope::collector::store
