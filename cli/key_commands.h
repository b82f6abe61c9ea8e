// `v6scope admin key create|list|revoke`: researchers' read keys, for an
// administrator holding the admin secret.
#ifndef V6SCOPE_CLI_KEY_COMMANDS_H_
#define V6SCOPE_CLI_KEY_COMMANDS_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "cli/table.h"
#include "grpcpp/channel.h"

namespace v6scope::cli {

// Creates a key; the table has the key (shown only this once), its id and
// its expiry.
absl::StatusOr<Table> CreateReadKey(std::shared_ptr<grpc::Channel> channel,
                                    const std::string& admin_secret,
                                    const std::string& name,
                                    const std::string& org,
                                    absl::Duration lifetime);

// Every key (never the keys themselves).
absl::StatusOr<Table> ListReadKeys(std::shared_ptr<grpc::Channel> channel,
                                   const std::string& admin_secret);

absl::Status RevokeReadKey(std::shared_ptr<grpc::Channel> channel,
                           const std::string& admin_secret,
                           const std::string& key_id);

}  // namespace v6scope::cli

#endif  // V6SCOPE_CLI_KEY_COMMANDS_H_
