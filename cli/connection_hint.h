// What to try when the collector cannot be reached: a TLS collector asked
// in plaintext (no --ca_file) closes the connection during the handshake,
// which gRPC reports only as "UNAVAILABLE: Socket closed".
#ifndef V6SCOPE_CLI_CONNECTION_HINT_H_
#define V6SCOPE_CLI_CONNECTION_HINT_H_

#include <string>

#include "absl/status/status.h"

namespace v6scope::cli {

// `status` as one line, with a hint naming --ca_file (and the system
// store) when it is UNAVAILABLE and no CA file was given.
std::string WithConnectionHint(const absl::Status& status, bool has_ca_file);

}  // namespace v6scope::cli

#endif  // V6SCOPE_CLI_CONNECTION_HINT_H_
