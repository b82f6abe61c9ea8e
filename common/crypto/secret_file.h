// Reading a secret (an enrolment token, a read key) from a file or from
// standard input, so it never has to be on a command line, where every
// local user sees it in `ps`.
#ifndef V6SCOPE_COMMON_CRYPTO_SECRET_FILE_H_
#define V6SCOPE_COMMON_CRYPTO_SECRET_FILE_H_

#include <istream>
#include <string>

#include "absl/status/statusor.h"

namespace v6scope::crypto {

// The first line of the file at `path`, or of `stdin_stream` when `path`
// is "-", without surrounding whitespace. INVALID_ARGUMENT when it is
// empty or longer than 4096 bytes; file errors name the path.
absl::StatusOr<std::string> ReadSecret(const std::string& path,
                                       std::istream& stdin_stream);

}  // namespace v6scope::crypto

#endif  // V6SCOPE_COMMON_CRYPTO_SECRET_FILE_H_
