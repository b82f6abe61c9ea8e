// Error ids: what a client sees of an internal failure is a short message
// and an id; the details (SQL, file paths, library messages) go only into
// the log line carrying the same id, so an operator can find them from a
// user's report and an attacker learns nothing about the internals.
//
//   client: {"error": "internal error", "error_id": "3f9c0a7e12b4"}
//   log:    level=warn event=http.error id=3f9c0a7e12b4 detail="..."
#ifndef V6SCOPE_COMMON_LOG_ERROR_ID_H_
#define V6SCOPE_COMMON_LOG_ERROR_ID_H_

#include <string>

#include "absl/random/bit_gen_ref.h"
#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace v6scope::log {

inline constexpr size_t kErrorIdChars = 12;

// 12 lowercase hex characters (48 random bits: unique enough to find one
// line in a log, too short to be a secret).
std::string NewErrorId(absl::BitGenRef gen);
// The same from a per-thread generator.
std::string NewErrorId();

// Logs `event` at warn level with id= and detail= (the status in full)
// and returns the id for the client's answer.
std::string LogWithErrorId(absl::string_view event, const absl::Status& detail);

}  // namespace v6scope::log

#endif  // V6SCOPE_COMMON_LOG_ERROR_ID_H_
