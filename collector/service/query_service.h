// QueryService: read access for researchers and operators — stored runs,
// probes (public fields only), aggregates, allocation context, raw
// exports and public-service readiness. A gRPC adapter over collector/query
// (the only read path, shared with the HTTP JSON API), so both answer alike; it
// never reads the store. Every call passes ReadAccess first (a read key off
// loopback, see auth.h).
#ifndef V6SCOPE_COLLECTOR_SERVICE_QUERY_SERVICE_H_
#define V6SCOPE_COLLECTOR_SERVICE_QUERY_SERVICE_H_

#include "collector/query/queries.h"
#include "collector/report/country_report.h"
#include "collector/service/auth.h"
#include "proto/query_service.grpc.pb.h"

namespace v6scope::collector::service {

class QueryServiceImpl final
    : public v6scope::v1::QueryService::CallbackService {
 public:
  // `queries`, `access` and `reports` must outlive the service; without
  // `reports`, GetCountryReport is UNIMPLEMENTED.
  QueryServiceImpl(const query::Queries* queries, const ReadAccess* access,
                   const report::Reports* reports = nullptr)
      : queries_(queries), access_(access), reports_(reports) {}

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

  // Public-service readiness (query_service_readiness.cc).
  grpc::ServerUnaryReactor* GetServiceShares(
      grpc::CallbackServerContext* context,
      const v6scope::v1::ServiceSharesRequest* request,
      v6scope::v1::ServiceSharesResponse* response) override;

  grpc::ServerUnaryReactor* GetServiceSeries(
      grpc::CallbackServerContext* context,
      const v6scope::v1::ServiceSeriesRequest* request,
      v6scope::v1::ServiceSeriesResponse* response) override;

  grpc::ServerUnaryReactor* GetDomainReadiness(
      grpc::CallbackServerContext* context,
      const v6scope::v1::DomainReadinessRequest* request,
      v6scope::v1::DomainReadinessResponse* response) override;

  grpc::ServerUnaryReactor* GetServiceChanges(
      grpc::CallbackServerContext* context,
      const v6scope::v1::ServiceChangesRequest* request,
      v6scope::v1::ServiceChangesResponse* response) override;

  grpc::ServerUnaryReactor* ListServiceCampaigns(
      grpc::CallbackServerContext* context,
      const v6scope::v1::ListServiceCampaignsRequest* request,
      v6scope::v1::ListServiceCampaignsResponse* response) override;

  // The national progress report (query_service_report.cc).
  grpc::ServerUnaryReactor* GetCountryReport(
      grpc::CallbackServerContext* context,
      const v6scope::v1::CountryReportRequest* request,
      v6scope::v1::CountryReportResponse* response) override;

  grpc::ServerUnaryReactor* GetRegionReport(
      grpc::CallbackServerContext* context,
      const v6scope::v1::RegionReportRequest* request,
      v6scope::v1::RegionReportResponse* response) override;

 private:
  const query::Queries* const queries_;
  const ReadAccess* const access_;
  const report::Reports* const reports_;
};

}  // namespace v6scope::collector::service

#endif  // V6SCOPE_COLLECTOR_SERVICE_QUERY_SERVICE_H_
