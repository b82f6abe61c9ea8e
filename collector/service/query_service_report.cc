// QueryService.GetCountryReport and GetRegionReport: adapters over
// collector/report, whose figures come from collector/query like every other
// answer here.
#include "collector/report/report_answer.h"
#include "collector/service/query_reply.h"
#include "collector/service/query_service.h"

namespace v6scope::collector::service {

grpc::ServerUnaryReactor* QueryServiceImpl::GetCountryReport(
    grpc::CallbackServerContext* context,
    const v6scope::v1::CountryReportRequest* request,
    v6scope::v1::CountryReportResponse* response) {
  if (absl::Status s = access_->Authorize(*context); !s.ok()) {
    return Refuse(context, s);
  }
  if (reports_ == nullptr) {
    return Refuse(context,
                  absl::UnimplementedError("reports are not served here"));
  }
  return Answer(context, "GetCountryReport",
                report::AnswerCountryReport(*reports_, *request), response);
}

grpc::ServerUnaryReactor* QueryServiceImpl::GetRegionReport(
    grpc::CallbackServerContext* context,
    const v6scope::v1::RegionReportRequest* request,
    v6scope::v1::RegionReportResponse* response) {
  if (absl::Status s = access_->Authorize(*context); !s.ok()) {
    return Refuse(context, s);
  }
  if (reports_ == nullptr) {
    return Refuse(context,
                  absl::UnimplementedError("reports are not served here"));
  }
  return Answer(context, "GetRegionReport",
                report::AnswerRegionReport(*reports_, *request), response);
}

}  // namespace v6scope::collector::service
