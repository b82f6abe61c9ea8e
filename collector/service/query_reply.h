// How QueryService's unary calls finish: the query layer's own refusals
// (INVALID_ARGUMENT naming the parameter, UNAVAILABLE for readiness
// without rollups) reach the client as they are; anything else comes from
// the store and keeps its code but not its message (SQL, file paths),
// which is logged under an error id instead.
#ifndef V6SCOPE_COLLECTOR_SERVICE_QUERY_REPLY_H_
#define V6SCOPE_COLLECTOR_SERVICE_QUERY_REPLY_H_

#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "grpcpp/grpcpp.h"

namespace v6scope::collector::service {

grpc::Status ForClient(const absl::Status& s, absl::string_view method);

// Finishes a unary call with what a query answered.
template <typename Response>
grpc::ServerUnaryReactor* Answer(grpc::CallbackServerContext* context,
                                 absl::string_view method,
                                 absl::StatusOr<Response> answer,
                                 Response* response) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  if (answer.ok()) *response = *std::move(answer);
  reactor->Finish(ForClient(answer.status(), method));
  return reactor;
}

// Finishes a unary call refused before the query runs (no or a bad read
// key). The status is already fit for the client (auth.h).
grpc::ServerUnaryReactor* Refuse(grpc::CallbackServerContext* context,
                                 const absl::Status& status);

}  // namespace v6scope::collector::service

#endif  // V6SCOPE_COLLECTOR_SERVICE_QUERY_REPLY_H_
