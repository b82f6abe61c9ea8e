#include "collector/query/export_stream.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "api/request_params.h"
#include "collector/query/page_size.h"

namespace v6scope::collector::query {
absl::Status StreamRuns(RunExport source, api::ExportFormat format,
                        const ExportSink& sink) {
  if (format == api::ExportFormat::kCsv && !sink(api::RunsCsvHeader())) {
    return absl::OkStatus();
  }
  while (!source.done()) {
    absl::StatusOr<std::vector<v6scope::v1::StoredRun>> slice = source.Next();
    if (!slice.ok()) return slice.status();
    std::string chunk;
    for (const v6scope::v1::StoredRun& run : *slice) {
      api::AppendRunRecords(run, format, &chunk);
    }
    if (!chunk.empty() && !sink(std::move(chunk))) return absl::OkStatus();
  }
  return absl::OkStatus();
}

absl::Status StreamAggregates(const AggregateQueries& queries,
                              v6scope::v1::AggregatesRequest request,
                              api::ExportFormat format,
                              const ExportSink& sink) {
  if (format == api::ExportFormat::kCsv && !sink(api::AggregatesCsvHeader())) {
    return absl::OkStatus();
  }
  request.set_page_size(kMaxPageSize);
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
