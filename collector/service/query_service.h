// QueryService: read access for researchers and operators — stored runs,
// probes (public fields only), aggregates, allocation context and raw
// exports. A gRPC adapter over collector/query (the only read path, shared
// with the HTTP JSON API), so both answer alike; it never reads the store.
#ifndef V6SCOPE_COLLECTOR_SERVICE_QUERY_SERVICE_H_
#define V6SCOPE_COLLECTOR_SERVICE_QUERY_SERVICE_H_

#include "collector/query/queries.h"
#include "proto/query_service.grpc.pb.h"

namespace v6scope::collector::service {

class QueryServiceImpl final
    : public v6scope::v1::QueryService::CallbackService {
 public:
  // `queries` must outlive the service.
  explicit QueryServiceImpl(const query::Queries* queries)
      : queries_(queries) {}

  grpc::ServerUnaryReactor* ListRuns(
      grpc::CallbackServerContext* context,
      const v6scope::v1::ListRunsRequest* request,
      v6scope::v1::ListRunsResponse* response) override;

  grpc::ServerUnaryReactor* ListProbes(
      grpc::CallbackServerContext* context,
      const v6scope::v1::ListProbesRequest* request,
      v6scope::v1::ListProbesResponse* response) override;

  grpc::ServerUnaryReactor* GetAggregates(
      grpc::CallbackServerContext* context,
      const v6scope::v1::AggregatesRequest* request,
      v6scope::v1::AggregatesResponse* response) override;

  grpc::ServerUnaryReactor* ListAllocations(
      grpc::CallbackServerContext* context,
      const v6scope::v1::ListAllocationsRequest* request,
      v6scope::v1::ListAllocationsResponse* response) override;

  grpc::ServerWriteReactor<v6scope::v1::ExportRunsChunk>* ExportRuns(
      grpc::CallbackServerContext* context,
      const v6scope::v1::ExportRunsRequest* request) override;

 private:
  const query::Queries* const queries_;
};

}  // namespace v6scope::collector::service

#endif  // V6SCOPE_COLLECTOR_SERVICE_QUERY_SERVICE_H_
