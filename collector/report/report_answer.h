// One answer to a report request, as both adapters give it (the gRPC
// QueryService.GetCountryReport and the HTTP /report/XX page): the figures,
// and with `html` the page in the language asked for.
#ifndef V6SCOPE_COLLECTOR_REPORT_REPORT_ANSWER_H_
#define V6SCOPE_COLLECTOR_REPORT_REPORT_ANSWER_H_

#include "absl/status/statusor.h"
#include "collector/report/country_report.h"
#include "proto/query_service.pb.h"

namespace v6scope::collector::report {

// INVALID_ARGUMENT names the field at fault (country, period, lang).
absl::StatusOr<v6scope::v1::CountryReportResponse> AnswerCountryReport(
    const Reports& reports, const v6scope::v1::CountryReportRequest& request);

// The same for a region's summary page (RegionReportRequest.country_link
// says where its rows link to).
absl::StatusOr<v6scope::v1::RegionReportResponse> AnswerRegionReport(
    const Reports& reports, const v6scope::v1::RegionReportRequest& request);

}  // namespace v6scope::collector::report

#endif  // V6SCOPE_COLLECTOR_REPORT_REPORT_ANSWER_H_
