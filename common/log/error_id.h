// Errors shown to clients without internals: a short public message and an
// error id; the details (SQL, file paths, library messages) go only to the
// log line carrying the same id, so an operator can find them from what a
// user reports.
//
// The client sees
//   UNAVAILABLE: could not check the credential (error id 3f9a0c1b2d4e)
// and the log has
//   event=grpc.error id=3f9a0c1b2d4e method=Upload code=UNAVAILABLE
//   detail="UNAVAILABLE: step SELECT ...: database is locked"
#ifndef V6SCOPE_COMMON_LOG_ERROR_ID_H_
#define V6SCOPE_COMMON_LOG_ERROR_ID_H_

#include <cstddef>
#include <string>

#include "absl/random/bit_gen_ref.h"
#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace v6scope::log {

inline constexpr size_t kErrorIdChars = 12;

// 12 lowercase hex characters (48 random bits: unique enough to grep a
// log for, not a secret). The overload without a generator uses a
// thread-local one; tests pass their own.
std::string NewErrorId(absl::BitGenRef gen);
std::string NewErrorId();

// Logs `detail` at warning level as `event` with a fresh id and `method`
// (the RPC method or HTTP route), and returns `code` with `public_message`
// and the id: "<public_message> (error id <id>)". `detail` never reaches
// the returned status.
absl::Status PublicError(absl::StatusCode code,
                         absl::string_view public_message,
                         const absl::Status& detail, absl::string_view event,
                         absl::string_view method);

// Logs `event` at warn level with id= and detail= (the status in full)
// and returns the id, for an answer built elsewhere (an HTTP error body).
std::string LogWithErrorId(absl::string_view event, const absl::Status& detail);

// The id of a status made by PublicError, or "" if it has none.
std::string ErrorIdOf(const absl::Status& status);

}  // namespace v6scope::log

#endif  // V6SCOPE_COMMON_LOG_ERROR_ID_H_
