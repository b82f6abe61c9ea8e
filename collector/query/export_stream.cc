#include "collector/query/export_stream.h"

#include <google/protobuf/util/time_util.h>

#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "api/request_params.h"

namespace v6scope::collector::query {
namespace {

using ::google::protobuf::util::TimeUtil;

absl::Time FromProto(const google::protobuf::Timestamp& t) {
  return absl::FromUnixMicros(TimeUtil::TimestampToMicroseconds(t));
}

}  // namespace

store::ExportFilter ToExportFilter(
    const v6scope::v1::ExportRunsRequest& request) {
  store::ExportFilter filter;
  if (request.has_since()) filter.since = FromProto(request.since());
  if (request.has_until()) filter.until = FromProto(request.until());
  filter.probe_id = request.probe_id();
  filter.country = request.country();
  filter.asn = request.asn();
  return filter;
}

absl::Status StreamRuns(store::RunReader& store,
                        const store::ExportFilter& filter,
                        api::ExportFormat format, const ExportSink& sink) {
  if (format == api::ExportFormat::kCsv && !sink(api::RunsCsvHeader())) {
    return absl::OkStatus();
  }
  int64_t after = 0;
  while (true) {
    absl::StatusOr<store::ExportPage> page =
        store.ExportRuns(filter, after, kExportSlice);
    if (!page.ok()) return page.status();
    std::string chunk;
    for (const v6scope::v1::StoredRun& run : page->runs) {
      api::AppendRunRecords(run, format, &chunk);
    }
    if (!chunk.empty() && !sink(std::move(chunk))) return absl::OkStatus();
    if (page->done) return absl::OkStatus();
    after = page->cursor;
  }
}

absl::Status StreamAggregates(const AggregateQueries& queries,
                              v6scope::v1::AggregatesRequest request,
                              api::ExportFormat format,
                              const ExportSink& sink) {
  if (format == api::ExportFormat::kCsv && !sink(api::AggregatesCsvHeader())) {
    return absl::OkStatus();
  }
  request.set_page_size(1000);
  request.clear_page_token();
  v6scope::v1::AggregateExportRecord record;
  record.set_group_by(api::GroupByName(request.group_by()));
  record.set_window(api::WindowName(request.window()));
  while (true) {
    absl::StatusOr<v6scope::v1::AggregatesResponse> response =
        queries.Aggregates(request);
    if (!response.ok()) return response.status();
    record.set_min_probes(response->min_probes());
    record.set_methodology_version(response->methodology_version());
    record.set_datasets(response->datasets());
    std::string chunk;
    for (v6scope::v1::GroupAggregate& group : *response->mutable_groups()) {
      *record.mutable_group() = std::move(group);
      api::AppendAggregateRecord(record, format, &chunk);
    }
    if (!chunk.empty() && !sink(std::move(chunk))) return absl::OkStatus();
    if (response->next_page_token().empty()) return absl::OkStatus();
    request.set_page_token(response->next_page_token());
  }
}

}  // namespace v6scope::collector::query
