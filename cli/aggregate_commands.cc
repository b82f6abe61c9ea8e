#include "cli/aggregate_commands.h"

#include <google/protobuf/util/time_util.h>

#include <algorithm>
#include <cstdint>
#include <iostream>
#include <memory>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "api/request_params.h"
#include "cli/read_key.h"
#include "common/rpc/status.h"
#include "grpcpp/client_context.h"
#include "proto/query_service.grpc.pb.h"

namespace v6scope::cli {
namespace {

using ::google::protobuf::util::TimeUtil;

std::string Percent(double share) {
  return absl::StrFormat("%.0f%%", share * 100);
}

std::string ShareCell(const v6scope::v1::Share& share) {
  if (share.total() == 0) return "-";
  return absl::StrFormat("%s (%.0f–%.0f%%)", Percent(share.value()),
                         share.ci_low() * 100, share.ci_high() * 100);
}

std::string Day(const google::protobuf::Timestamp& t) {
  return TimeUtil::ToString(t).substr(0, 10);
}

// "V6_BLACKHOLE 25% (5–70%); NAT64_BROKEN ...", in the group's (enum)
// order; a collector before per-cause shares gives probe counts instead.
std::string CausesCell(const v6scope::v1::GroupAggregate& g) {
  std::vector<std::string> causes;
  for (const v6scope::v1::CauseCount& c : g.causes()) {
    std::string name = v6scope::v1::RootCause_Name(c.cause());
    if (name.empty()) name = absl::StrCat("unknown(", c.cause(), ")");
    causes.push_back(c.share().total() == 0
                         ? absl::StrCat(name, " ", c.probes(), " probes")
                         : absl::StrCat(name, " ", ShareCell(c.share())));
  }
  return causes.empty() ? "-" : absl::StrJoin(causes, "; ");
}

// Probes per methodology version: "1=3;2=4" (as in the CSV export).
std::string VersionsCell(const v6scope::v1::GroupAggregate& g) {
  std::vector<std::string> versions;
  for (const v6scope::v1::MethodologyCount& m : g.methodology_versions()) {
    versions.push_back(absl::StrCat(m.version().empty() ? "none" : m.version(),
                                    "=", m.probes()));
  }
  return versions.empty() ? "-" : absl::StrJoin(versions, ";");
}

}  // namespace

absl::StatusOr<v6scope::v1::AggregatesResponse> FetchAggregates(
    std::shared_ptr<grpc::Channel> channel,
    v6scope::v1::AggregatesRequest request) {
  auto stub = v6scope::v1::QueryService::NewStub(channel);
  v6scope::v1::AggregatesResponse all;
  request.set_page_size(1000);
  while (true) {
    grpc::ClientContext context;
    AddReadKey(context);
    v6scope::v1::AggregatesResponse page;
    grpc::Status status = stub->GetAggregates(&context, request, &page);
    if (!status.ok()) return rpc::FromGrpc(status);
    for (auto& group : *page.mutable_groups()) {
      *all.add_groups() = std::move(group);
    }
    all.set_min_probes(page.min_probes());
    all.set_methodology_version(page.methodology_version());
    all.set_datasets(page.datasets());
    if (page.has_latest_run_at()) {
      *all.mutable_latest_run_at() = page.latest_run_at();
    }
    if (page.next_page_token().empty()) return all;
    request.set_page_token(page.next_page_token());
  }
}

std::string EmptyWindowText(const v6scope::v1::AggregatesResponse& response) {
  if (!response.has_latest_run_at()) return "no data yet";
  google::protobuf::Timestamp seconds;
  seconds.set_seconds(response.latest_run_at().seconds());
  return absl::StrCat(
      "no data in this window (latest: ", TimeUtil::ToString(seconds), ")");
}

Table AggregatesTable(const v6scope::v1::AggregatesResponse& response,
                      v6scope::v1::GroupBy group_by) {
  const bool by_asn = group_by == v6scope::v1::ASN;
  std::vector<std::string> columns = {"window", "key", "name"};
  if (by_asn) columns.push_back("country");
  for (const char* c : {"probes", "runs", "v6_capable", "v6_preferred",
                        "v6_broken", "v4_broken", "pmtu_broken", "nat64",
                        "resolver_v6", "gap_ms", "versions", "causes"}) {
    columns.push_back(c);
  }
  Table table(columns);
  table.SetEmptyText(EmptyWindowText(response));
  uint32_t synthetic = 0;
  for (const v6scope::v1::GroupAggregate& g : response.groups()) {
    std::vector<std::string> row = {Day(g.window_start()), g.key(), g.name()};
    if (by_asn) row.push_back(g.country().empty() ? "-" : g.country());
    synthetic = std::max(synthetic, g.synthetic_probes());
    if (g.insufficient_data()) {
      // AddRow pads the remaining cells.
      row.insert(row.end(), {absl::StrCat("<", response.min_probes()), "",
                             "insufficient data"});
      table.AddRow(std::move(row));
      continue;
    }
    row.insert(
        row.end(),
        {absl::StrCat(g.probes()), absl::StrCat(g.runs()),
         ShareCell(g.v6_capable()), ShareCell(g.v6_preferred()),
         ShareCell(g.v6_broken()), ShareCell(g.v4_broken()),
         ShareCell(g.pmtu_broken()), ShareCell(g.nat64()),
         ShareCell(g.resolver_v6()),
         g.has_median_gap_ms() ? absl::StrFormat("%.1f", g.median_gap_ms())
                               : "-",
         VersionsCell(g), CausesCell(g)});
    table.AddRow(std::move(row));
  }
  if (synthetic > 0) {
    table.AddNote(absl::StrCat(
        "note: includes synthetic sample probes (up to ", synthetic,
        " in a group; v6scope-collector sample-data): not measurements"));
  }
  return table;
}

void WriteAggregates(const v6scope::v1::AggregatesRequest& request,
                     const v6scope::v1::AggregatesResponse& response,
                     api::ExportFormat format, std::ostream& out) {
  if (format == api::ExportFormat::kCsv) {
    out << api::AggregatesCsvHeader();
  }
  v6scope::v1::AggregateExportRecord record;
  record.set_group_by(api::GroupByName(request.group_by()));
  record.set_window(api::WindowName(request.window()));
  record.set_min_probes(response.min_probes());
  record.set_methodology_version(response.methodology_version());
  record.set_datasets(response.datasets());
  for (const v6scope::v1::GroupAggregate& group : response.groups()) {
    *record.mutable_group() = group;
    std::string line;
    api::AppendAggregateRecord(record, format, &line);
    out << line;
  }
}

Table AllocationsTable(const v6scope::v1::ListAllocationsResponse& response,
                       std::ostream& out, std::ostream& err) {
  Table table({"country", "v6_delegations", "slash32_equivalents", "first_date",
               "latest_date"});
  for (const v6scope::v1::CountryAllocations& a : response.allocations()) {
    table.AddRow({a.country(), absl::StrCat(a.delegations()),
                  absl::StrFormat("%.2f", a.slash32_equivalents()),
                  a.first_date(), a.latest_date()});
  }
  // An empty table would read as "no delegations"; when data are missing
  // the note is the answer. Beside a table the notes go to stderr, so
  // CSV/JSON output stays parseable.
  if (table.rows() == 0 && response.notes_size() > 0) {
    for (const std::string& note : response.notes()) out << note << "\n";
    return Table({});
  }
  for (const std::string& note : response.notes()) {
    err << "note: " << note << "\n";
  }
  return table;
}

absl::StatusOr<Table> ListAllocations(std::shared_ptr<grpc::Channel> channel,
                                      const std::string& country) {
  auto stub = v6scope::v1::QueryService::NewStub(channel);
  grpc::ClientContext context;
  AddReadKey(context);
  v6scope::v1::ListAllocationsRequest request;
  request.set_country(country);
  v6scope::v1::ListAllocationsResponse response;
  grpc::Status status = stub->ListAllocations(&context, request, &response);
  if (!status.ok()) return rpc::FromGrpc(status);
  return AllocationsTable(response, std::cout, std::cerr);
}

absl::StatusOr<uint64_t> ExportRuns(
    std::shared_ptr<grpc::Channel> channel,
    const v6scope::v1::ExportRunsRequest& request, api::ExportFormat format,
    std::ostream& out) {
  auto stub = v6scope::v1::QueryService::NewStub(channel);
  grpc::ClientContext context;
  AddReadKey(context);
  std::unique_ptr<grpc::ClientReader<v6scope::v1::ExportRunsChunk>> reader =
      stub->ExportRuns(&context, request);
  if (format == api::ExportFormat::kCsv) {
    out << api::RunsCsvHeader();
  }
  uint64_t runs = 0;
  v6scope::v1::ExportRunsChunk chunk;
  while (reader->Read(&chunk)) {
    std::string text;
    for (const v6scope::v1::StoredRun& run : chunk.runs()) {
      api::AppendRunRecords(run, format, &text);
      ++runs;
    }
    out << text;
    if (!out) {
      context.TryCancel();
      return absl::DataLossError("cannot write the export (disk full?)");
    }
  }
  grpc::Status status = reader->Finish();
  if (!status.ok()) return rpc::FromGrpc(status);
  out.flush();
  return runs;
}

}  // namespace v6scope::cli
