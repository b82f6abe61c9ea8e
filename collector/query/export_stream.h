// Streams exports record by record with constant memory: runs slice by
// slice from the store, aggregates page by page from AggregateQueries.
// The sink gets chunks of formatted text and returns false to stop (the
// client went away), which ends the export without an error.
#ifndef V6SCOPE_COLLECTOR_QUERY_EXPORT_STREAM_H_
#define V6SCOPE_COLLECTOR_QUERY_EXPORT_STREAM_H_

#include <functional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "api/export_format.h"
#include "collector/query/aggregate_queries.h"
#include "collector/store/run_reader.h"
#include "proto/query_service.pb.h"

namespace v6scope::collector::query {

using ExportSink = std::function<bool(std::string chunk)>;

// The store filter of an export request.
store::ExportFilter ToExportFilter(
    const v6scope::v1::ExportRunsRequest& request);

// Runs per store read (and per gRPC message of ExportRuns).
inline constexpr uint32_t kExportSlice = 500;

// A CSV export starts with its header row.
absl::Status StreamRuns(store::RunReader& store,
                        const store::ExportFilter& filter,
                        api::ExportFormat format, const ExportSink& sink);

// Every page of the request (its page_token and page_size are ignored).
absl::Status StreamAggregates(const AggregateQueries& queries,
                              v6scope::v1::AggregatesRequest request,
                              api::ExportFormat format, const ExportSink& sink);

}  // namespace v6scope::collector::query

#endif  // V6SCOPE_COLLECTOR_QUERY_EXPORT_STREAM_H_
