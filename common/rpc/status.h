// Conversions between absl::Status (inside modules) and grpc::Status (on
// the wire). The code numbers are the same in both.
#ifndef V6SCOPE_COMMON_RPC_STATUS_H_
#define V6SCOPE_COMMON_RPC_STATUS_H_

#include <string>

#include "absl/status/status.h"
#include "grpcpp/support/status.h"

namespace v6scope::rpc {

inline grpc::Status ToGrpc(const absl::Status& s) {
  if (s.ok()) return grpc::Status::OK;
  return grpc::Status(static_cast<grpc::StatusCode>(s.code()),
                      std::string(s.message()));
}

inline absl::Status FromGrpc(const grpc::Status& s) {
  if (s.ok()) return absl::OkStatus();
  return absl::Status(static_cast<absl::StatusCode>(s.error_code()),
                      s.error_message());
}

}  // namespace v6scope::rpc

#endif  // V6SCOPE_COMMON_RPC_STATUS_H_
