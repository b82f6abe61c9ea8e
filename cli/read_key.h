// The researcher's read key the CLI's query calls carry: a collector
// answers QueryService off loopback only with one (docs/guides/
// researcher.md). Set once by main, from --key_file or $V6SCOPE_KEY, before
// any call; never from a flag's value, which `ps` would show.
#ifndef V6SCOPE_CLI_READ_KEY_H_
#define V6SCOPE_CLI_READ_KEY_H_

#include <string>

#include "grpcpp/client_context.h"

namespace v6scope::cli {

void SetReadKey(std::string key);

// Adds "authorization: Bearer <key>" when a key is set.
void AddReadKey(grpc::ClientContext& context);

}  // namespace v6scope::cli

#endif  // V6SCOPE_CLI_READ_KEY_H_
