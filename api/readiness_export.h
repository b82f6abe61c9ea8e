// The readiness records of QueryService as CSV (RFC 4180) and JSON Lines,
// for the HTTP API's format=csv|jsonl and `v6scope services`. Every row
// and line carries its provenance (methodology, aggregation and dataset
// versions, k), so a file stands on its own. A withheld record keeps its
// keys and reason and has empty numbers. State names are the enum's
// ("SERVING_V6"), as in the JSON.
//
//   shares, series  one row per cell (series: per point); JSON Lines one
//                   ServiceShareCell (series: ServiceShareSeries) a line
//   domains         one row per (domain, country view, service); one
//                   DomainReadiness a line
//   changes         one row per gained or lost domain (a record without
//                   any: one row, change empty); one ServiceChangeRecord
//                   a line
#ifndef V6SCOPE_API_READINESS_EXPORT_H_
#define V6SCOPE_API_READINESS_EXPORT_H_

#include <string>

#include "api/export_format.h"
#include "proto/query_service.pb.h"

namespace v6scope::api {

// The whole answer in `format`, header first for CSV.
std::string ServiceSharesExport(const v6scope::v1::ServiceSharesResponse& r,
                                ExportFormat format);
std::string ServiceSeriesExport(const v6scope::v1::ServiceSeriesResponse& r,
                                ExportFormat format);
std::string DomainReadinessExport(const v6scope::v1::DomainReadinessResponse& r,
                                  ExportFormat format);
std::string ServiceChangesExport(const v6scope::v1::ServiceChangesResponse& r,
                                 ExportFormat format);

// The CSV headers (CRLF included, as every CSV line).
std::string ServiceSharesCsvHeader();
std::string DomainReadinessCsvHeader();
std::string ServiceChangesCsvHeader();

}  // namespace v6scope::api

#endif  // V6SCOPE_API_READINESS_EXPORT_H_
