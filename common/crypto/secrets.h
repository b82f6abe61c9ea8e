// Secrets: enrolment tokens, probe credentials and the admin secret.
//
// Secrets are random (OpenSSL's CSPRNG), shown once, and stored only as
// SHA-256 hashes; comparisons are constant-time so a wrong guess leaks no
// timing about how much of it was right.
#ifndef V6SCOPE_COMMON_CRYPTO_SECRETS_H_
#define V6SCOPE_COMMON_CRYPTO_SECRETS_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace v6scope::crypto {

// `bytes` random bytes as lower-case hex (2*bytes characters).
absl::StatusOr<std::string> RandomHex(size_t bytes);

// Lower-case hex SHA-256 of `data` (64 characters).
std::string Sha256Hex(absl::string_view data);

// True when a == b, in time independent of where they differ.
bool ConstantTimeEquals(absl::string_view a, absl::string_view b);

}  // namespace v6scope::crypto

#endif  // V6SCOPE_COMMON_CRYPTO_SECRETS_H_
