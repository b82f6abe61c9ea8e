#include "common/log/error_id.h"

#include <cstdint>

#include "absl/random/random.h"
#include "absl/strings/str_format.h"
#include "common/log/log.h"

namespace v6scope::log {

std::string NewErrorId(absl::BitGenRef gen) {
  const uint64_t bits = absl::Uniform<uint64_t>(gen) & ((1ull << 48) - 1);
  return absl::StrFormat("%012x", bits);
}

std::string NewErrorId() {
  thread_local absl::BitGen gen;
  return NewErrorId(gen);
}

std::string LogWithErrorId(absl::string_view event,
                           const absl::Status& detail) {
  std::string id = NewErrorId();
  Warn(event, {{"id", id}, {"detail", detail}});
  return id;
}

}  // namespace v6scope::log
