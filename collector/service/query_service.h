// QueryService: read access to stored runs and probes (public fields only).
#ifndef V6SCOPE_COLLECTOR_SERVICE_QUERY_SERVICE_H_
#define V6SCOPE_COLLECTOR_SERVICE_QUERY_SERVICE_H_

#include "collector/store/store.h"
#include "proto/query_service.grpc.pb.h"

namespace v6scope::collector {

class QueryServiceImpl final
    : public v6scope::v1::QueryService::CallbackService {
 public:
  explicit QueryServiceImpl(Store* store) : store_(store) {}

  grpc::ServerUnaryReactor* ListRuns(
      grpc::CallbackServerContext* context,
      const v6scope::v1::ListRunsRequest* request,
      v6scope::v1::ListRunsResponse* response) override;

  grpc::ServerUnaryReactor* ListProbes(
      grpc::CallbackServerContext* context,
      const v6scope::v1::ListProbesRequest* request,
      v6scope::v1::ListProbesResponse* response) override;

 private:
  Store* const store_;
};

}  // namespace v6scope::collector

#endif  // V6SCOPE_COLLECTOR_SERVICE_QUERY_SERVICE_H_
