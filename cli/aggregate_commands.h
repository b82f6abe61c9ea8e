// The researchers' commands of the v6scope CLI: aggregates (networks,
// countries, regions), allocation context and exports, over the
// collector's QueryService. Requests are built by the same parameter parser
// as the HTTP API (api/request_params.h), so both accept the
// same words.
#ifndef V6SCOPE_CLI_AGGREGATE_COMMANDS_H_
#define V6SCOPE_CLI_AGGREGATE_COMMANDS_H_

#include <memory>
#include <ostream>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "api/export_format.h"
#include "cli/table.h"
#include "grpcpp/channel.h"
#include "proto/query_service.pb.h"

namespace v6scope::cli {

// Every page of the request, in order.
absl::StatusOr<v6scope::v1::AggregatesResponse> FetchAggregates(
    std::shared_ptr<grpc::Channel> channel,
    v6scope::v1::AggregatesRequest request);

// An aligned table for people: shares as "72% (65–78%)", groups below k as
// "insufficient data"; v4_broken next to v6_broken, the probes per
// methodology version ("1=3;2=4") and each root cause with its share.
// ASN groups get a country column. No group: "no data in this window
// (latest: …)" ("no data yet" on an empty collector); groups counting
// sample-data probes: a note under the table.
Table AggregatesTable(const v6scope::v1::AggregatesResponse& response,
                      v6scope::v1::GroupBy group_by);

// The response in an export format (the same rows/lines as the HTTP
// export), header first for CSV.
void WriteAggregates(const v6scope::v1::AggregatesRequest& request,
                     const v6scope::v1::AggregatesResponse& response,
                     api::ExportFormat format, std::ostream& out);

// The allocations of `response` as a table; when it has no row but notes
// ("no AFRINIC data loaded") writes those to `out` instead and returns an
// empty Table({}); beside rows, writes them to `err` as "note: ...".
Table AllocationsTable(const v6scope::v1::ListAllocationsResponse& response,
                       std::ostream& out, std::ostream& err);

absl::StatusOr<Table> ListAllocations(std::shared_ptr<grpc::Channel> channel,
                                      const std::string& country);

// Streams ExportRuns to `out` as it arrives (constant memory). Returns the
// number of runs written.
absl::StatusOr<uint64_t> ExportRuns(
    std::shared_ptr<grpc::Channel> channel,
    const v6scope::v1::ExportRunsRequest& request, api::ExportFormat format,
    std::ostream& out);

}  // namespace v6scope::cli

#endif  // V6SCOPE_CLI_AGGREGATE_COMMANDS_H_
