#include "collector/service/query_reply.h"

#include "collector/query/readiness_queries.h"
#include "common/log/error_id.h"
#include "common/rpc/status.h"

namespace v6scope::collector::service {

grpc::Status ForClient(const absl::Status& s, absl::string_view method) {
  if (s.ok() || absl::IsInvalidArgument(s)) return rpc::ToGrpc(s);
  if (absl::IsUnavailable(s) && s.message() == query::kNoReadinessRollups) {
    return rpc::ToGrpc(s);
  }
  return rpc::ToGrpc(
      log::PublicError(s.code(), "query failed", s, "grpc.error", method));
}

grpc::ServerUnaryReactor* Refuse(grpc::CallbackServerContext* context,
                                 const absl::Status& status) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  reactor->Finish(rpc::ToGrpc(status));
  return reactor;
}

}  // namespace v6scope::collector::service
