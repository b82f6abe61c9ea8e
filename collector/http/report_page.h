// GET /report/XX — a country's national IPv6 progress report — and GET
// /report/region/SLUG — the summary of a region's (docs/reports.md),
// behind the same read-key check and rate limit as /api/v1 (registered by
// ApiRoutes):
//
//   ?period=YYYY-MM   the month (default: this month)
//   ?lang=fr          the page's language; without it, or when it names no
//                     supported language, the browser's Accept-Language
//   ?format=json      the report's figures (CountryReport, RegionReport)
//                     instead of the printable HTML page
#ifndef V6SCOPE_COLLECTOR_HTTP_REPORT_PAGE_H_
#define V6SCOPE_COLLECTOR_HTTP_REPORT_PAGE_H_

#include "collector/report/country_report.h"
#include "common/http/mhd_server.h"

namespace v6scope::collector::http {

inline constexpr char kReportPathPrefix[] = "/report/";

v6scope::http::Response GetCountryReportPage(const report::Reports& reports,
                                             const v6scope::http::Request& req);

}  // namespace v6scope::collector::http

#endif  // V6SCOPE_COLLECTOR_HTTP_REPORT_PAGE_H_
