#include "collector/store/store_encoding.h"

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"

namespace v6scope::collector::store {
namespace {

constexpr char kPageTokenPrefix[] = "v1:";

}  // namespace

std::string EncodePageToken(int64_t last_id) {
  return absl::WebSafeBase64Escape(absl::StrCat(kPageTokenPrefix, last_id));
}

absl::StatusOr<int64_t> DecodePageToken(const std::string& token) {
  if (token.empty()) return kMaxInt64;
  std::string decoded;
  int64_t id = 0;
  absl::string_view rest;
  if (absl::WebSafeBase64Unescape(token, &decoded)) {
    rest = decoded;
    if (absl::ConsumePrefix(&rest, kPageTokenPrefix) &&
        absl::SimpleAtoi(rest, &id) && id > 0) {
      return id;
    }
  }
  return absl::InvalidArgumentError("malformed page token");
}

absl::Status ValidateBatch(const RunBatch& batch) {
  if (batch.probe_id.empty()) {
    return absl::InvalidArgumentError("batch without probe_id");
  }
  const uint64_t max = static_cast<uint64_t>(kMaxInt64);
  if (batch.first_seq > max ||
      (!batch.runs.empty() && batch.runs.size() - 1 > max - batch.first_seq)) {
    return absl::InvalidArgumentError(
        absl::StrCat("batch of probe ", batch.probe_id,
                     ": sequence numbers beyond ", kMaxInt64));
  }
  if (batch.dropped_runs > max) {
    return absl::InvalidArgumentError(
        absl::StrCat("batch of probe ", batch.probe_id,
                     ": dropped_runs beyond ", kMaxInt64));
  }
  return absl::OkStatus();
}

}  // namespace v6scope::collector::store
