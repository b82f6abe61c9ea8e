#include "common/log/error_id.h"

#include <cstdint>

#include "absl/random/random.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/log/log.h"

namespace v6scope::log {
namespace {

constexpr absl::string_view kIdPrefix = "(error id ";

}  // namespace

std::string NewErrorId(absl::BitGenRef gen) {
  const uint64_t bits =
      absl::Uniform<uint64_t>(gen) & ((uint64_t{1} << 48) - 1);
  return absl::StrFormat("%012x", bits);
}

std::string NewErrorId() {
  thread_local absl::BitGen gen;
  return NewErrorId(gen);
}

absl::Status PublicError(absl::StatusCode code,
                         absl::string_view public_message,
                         const absl::Status& detail, absl::string_view event,
                         absl::string_view method) {
  const std::string id = NewErrorId();
  Warn(event, {{"id", id},
               {"method", method},
               {"code", absl::StatusCodeToString(code)},
               {"detail", detail}});
  return absl::Status(code,
                      absl::StrCat(public_message, " ", kIdPrefix, id, ")"));
}

std::string LogWithErrorId(absl::string_view event,
                           const absl::Status& detail) {
  std::string id = NewErrorId();
  Warn(event, {{"id", id}, {"detail", detail}});
  return id;
}

std::string ErrorIdOf(const absl::Status& status) {
  absl::string_view m = status.message();
  const size_t at = m.rfind(kIdPrefix);
  if (at == absl::string_view::npos) return "";
  absl::string_view id = m.substr(at + kIdPrefix.size());
  if (id.size() != 13 || id.back() != ')') return "";
  return std::string(id.substr(0, 12));
}

}  // namespace v6scope::log
