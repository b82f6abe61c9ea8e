#include "common/rpc/channel.h"

#include "absl/strings/str_cat.h"
#include "common/fs/files.h"
#include "common/net/ip_address.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/support/channel_arguments.h"

namespace v6scope::rpc {

absl::StatusOr<std::shared_ptr<grpc::Channel>> MakeChannel(
    const std::string& target, const ChannelOptions& options) {
  if (target.empty()) {
    return absl::InvalidArgumentError("no collector address given");
  }
  grpc::ChannelArguments args;
  args.SetMaxReceiveMessageSize(kMaxMessageBytes);
  args.SetMaxSendMessageSize(kMaxMessageBytes);
  std::shared_ptr<grpc::ChannelCredentials> creds;
  if (options.client_cert_file.empty() != options.client_key_file.empty()) {
    return absl::InvalidArgumentError(
        "a client certificate and its key go together");
  }
  if (options.ca_file.empty() && !options.client_cert_file.empty()) {
    return absl::InvalidArgumentError(
        "a client certificate needs TLS: give the collector's CA file too");
  }
  if (options.ca_file.empty()) {
    if (!net::IsLoopbackHostPort(target) && !options.allow_insecure_remote) {
      return absl::FailedPreconditionError(absl::StrCat(
          "refusing plaintext to non-loopback collector ", target,
          ": give its CA certificate with --ca_file for TLS (or allow "
          "plaintext with --insecure_remote, for testing only)"));
    }
    creds = grpc::InsecureChannelCredentials();
  } else {
    grpc::SslCredentialsOptions ssl;
    absl::StatusOr<std::string> ca = fs::ReadFile(options.ca_file);
    if (!ca.ok()) return ca.status();
    ssl.pem_root_certs = *ca;
    if (!options.client_cert_file.empty()) {
      absl::StatusOr<std::string> cert = fs::ReadFile(options.client_cert_file);
      if (!cert.ok()) return cert.status();
      absl::StatusOr<std::string> key = fs::ReadFile(options.client_key_file);
      if (!key.ok()) return key.status();
      ssl.pem_cert_chain = *cert;
      ssl.pem_private_key = *key;
    }
    creds = grpc::SslCredentials(ssl);
  }
  return grpc::CreateCustomChannel(target, creds, args);
}

}  // namespace v6scope::rpc
