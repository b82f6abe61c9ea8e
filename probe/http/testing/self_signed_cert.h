// A throw-away self-signed certificate for TLS tests, made in-process with
// libcrypto (no openssl CLI, no files): an ECDSA P-256 key and a
// certificate valid from an hour ago for a day, usable both as the server's
// certificate and, given to a client as its CA file, as the trust anchor.
//
// Thread-safe (no shared state). Test code only.
#ifndef V6SCOPE_PROBE_HTTP_TESTING_SELF_SIGNED_CERT_H_
#define V6SCOPE_PROBE_HTTP_TESTING_SELF_SIGNED_CERT_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace v6scope::probe::http::testing {

struct SelfSignedCert {
  std::string cert_pem;
  std::string key_pem;  // Unencrypted PKCS#8.
};

// `dns_names` and `ip_addresses` ("127.0.0.1", "::1") become the
// certificate's subjectAltName entries, which is what clients verify.
absl::StatusOr<SelfSignedCert> MakeSelfSignedCert(
    const std::vector<std::string>& dns_names,
    const std::vector<std::string>& ip_addresses);

}  // namespace v6scope::probe::http::testing

#endif  // V6SCOPE_PROBE_HTTP_TESTING_SELF_SIGNED_CERT_H_
