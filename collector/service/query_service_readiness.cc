// QueryService's public-service readiness calls: adapters over
// query::ReadinessQueries (UNAVAILABLE when the store keeps no readiness
// rollups).
#include "collector/service/query_reply.h"
#include "collector/service/query_service.h"

namespace v6scope::collector::service {

grpc::ServerUnaryReactor* QueryServiceImpl::GetServiceShares(
    grpc::CallbackServerContext* context,
    const v6scope::v1::ServiceSharesRequest* request,
    v6scope::v1::ServiceSharesResponse* response) {
  if (absl::Status s = access_->Authorize(*context); !s.ok()) {
    return Refuse(context, s);
  }
  return Answer(context, "GetServiceShares",
                queries_->readiness().Shares(*request), response);
}

grpc::ServerUnaryReactor* QueryServiceImpl::GetServiceSeries(
    grpc::CallbackServerContext* context,
    const v6scope::v1::ServiceSeriesRequest* request,
    v6scope::v1::ServiceSeriesResponse* response) {
  if (absl::Status s = access_->Authorize(*context); !s.ok()) {
    return Refuse(context, s);
  }
  return Answer(context, "GetServiceSeries",
                queries_->readiness().Series(*request), response);
}

grpc::ServerUnaryReactor* QueryServiceImpl::GetDomainReadiness(
    grpc::CallbackServerContext* context,
    const v6scope::v1::DomainReadinessRequest* request,
    v6scope::v1::DomainReadinessResponse* response) {
  if (absl::Status s = access_->Authorize(*context); !s.ok()) {
    return Refuse(context, s);
  }
  return Answer(context, "GetDomainReadiness",
                queries_->readiness().Domains(*request), response);
}

grpc::ServerUnaryReactor* QueryServiceImpl::GetServiceChanges(
    grpc::CallbackServerContext* context,
    const v6scope::v1::ServiceChangesRequest* request,
    v6scope::v1::ServiceChangesResponse* response) {
  if (absl::Status s = access_->Authorize(*context); !s.ok()) {
    return Refuse(context, s);
  }
  return Answer(context, "GetServiceChanges",
                queries_->readiness().Changes(*request), response);
}

grpc::ServerUnaryReactor* QueryServiceImpl::ListServiceCampaigns(
    grpc::CallbackServerContext* context,
    const v6scope::v1::ListServiceCampaignsRequest* /*request*/,
    v6scope::v1::ListServiceCampaignsResponse* response) {
  if (absl::Status s = access_->Authorize(*context); !s.ok()) {
    return Refuse(context, s);
  }
  return Answer(context, "ListServiceCampaigns",
                queries_->readiness().Campaigns(), response);
}

}  // namespace v6scope::collector::service
