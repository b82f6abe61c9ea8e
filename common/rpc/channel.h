// Client channels to a collector, with the transport-security policy:
// TLS (optionally with a client certificate) anywhere; plaintext only to a
// loopback collector unless explicitly forced, so credentials and results
// never cross a network in clear by accident.
#ifndef V6SCOPE_COMMON_RPC_CHANNEL_H_
#define V6SCOPE_COMMON_RPC_CHANNEL_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "grpcpp/channel.h"

namespace v6scope::rpc {

struct ChannelOptions {
  // PEM file of the CA that signed the collector's certificate. Empty:
  // plaintext.
  std::string ca_file;
  // Optional client certificate and key (PEM) for mutual TLS.
  std::string client_cert_file;
  std::string client_key_file;
  // Allow plaintext to a non-loopback address (testing only).
  bool allow_insecure_remote = false;
};

// Largest message a v6scope peer sends or accepts (see proto/*.proto).
inline constexpr int kMaxMessageBytes = 4 * 1024 * 1024;

absl::StatusOr<std::shared_ptr<grpc::Channel>> MakeChannel(
    const std::string& target, const ChannelOptions& options);

}  // namespace v6scope::rpc

#endif  // V6SCOPE_COMMON_RPC_CHANNEL_H_
