#include "cli/services_commands.h"

#include <functional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "api/api_json.h"
#include "api/export_format.h"
#include "api/readiness_export.h"
#include "api/readiness_params.h"
#include "cli/read_key.h"
#include "common/rpc/status.h"
#include "grpcpp/client_context.h"
#include "proto/query_service.grpc.pb.h"

namespace v6scope::cli {
namespace {

using v6scope::v1::ServiceState;

absl::Status NotTaken(const std::string& flag, const std::string& what) {
  return absl::InvalidArgumentError(
      absl::StrCat("--", flag, ": services ", what, " does not take it"));
}

// The state columns of the shares tables: the readiness states most
// lists are made of, then the rest together.
constexpr ServiceState kShownStates[] = {
    v6scope::v1::SERVING_V6, v6scope::v1::NO_AAAA,
    v6scope::v1::AAAA_UNREACHABLE, v6scope::v1::NOT_SERVING_V6};

std::string ShareText(const v6scope::v1::ServiceStateShare& s) {
  return absl::StrFormat("%d %.0f%% (%.0f–%.0f%%)", s.domains(),
                         s.value() * 100, s.ci_low() * 100, s.ci_high() * 100);
}

// The cells of one share cell after its keys: networks, n, the shown
// states, other, split, untested; "withheld" and blanks below k.
std::vector<std::string> ShareCells(const v6scope::v1::ServiceShareCell& c) {
  if (c.withheld()) return {"withheld", "", "", "", "", "", "", "", ""};
  std::vector<std::string> cells = {absl::StrCat(c.networks()),
                                    absl::StrCat(c.n())};
  uint32_t other = c.n();
  for (ServiceState state : kShownStates) {
    const int i = state - v6scope::v1::NO_SERVICE;
    if (i >= c.shares_size()) {
      cells.push_back("-");
      continue;
    }
    cells.push_back(ShareText(c.shares(i)));
    other -= c.shares(i).domains();
  }
  cells.push_back(absl::StrCat(other));
  cells.push_back(absl::StrCat(c.split()));
  cells.push_back(absl::StrCat(c.untested()));
  return cells;
}

std::vector<std::string> ShareColumns(std::vector<std::string> keys) {
  for (const char* c :
       {"networks", "n", "serving_v6", "no_aaaa", "aaaa_unreachable",
        "not_serving_v6", "other", "split", "untested"}) {
    keys.push_back(c);
  }
  return keys;
}

template <typename Response>
std::string ProvenanceNote(const Response& r) {
  return absl::StrCat(r.methodology_version(), ", ", r.aggregation_version(),
                      ", datasets ", r.dataset_version(),
                      ", k = ", r.min_networks(), " networks");
}

std::string StateText(const v6scope::v1::ServiceConsensus& s) {
  if (s.kind() == "state") return v6scope::v1::ServiceState_Name(s.state());
  return s.kind() == "split" ? "split" : "-";
}

template <typename Request, typename Response>
using Fetch = std::function<absl::StatusOr<Response>(const Request&)>;

template <typename Request, typename Response>
using Rpc = std::function<grpc::Status(grpc::ClientContext*, const Request&,
                                       Response*)>;

// A fetch by one call with a fresh context carrying the read key.
template <typename Request, typename Response>
Fetch<Request, Response> Unary(Rpc<Request, Response> call) {
  return [call = std::move(call)](
             const Request& request) -> absl::StatusOr<Response> {
    grpc::ClientContext context;
    AddReadKey(context);
    Response response;
    absl::Status s = rpc::FromGrpc(call(&context, request, &response));
    if (!s.ok()) return s;
    return response;
  };
}

struct Output {
  std::string format;  // table, csv, json, jsonl.
  std::ostream* out;
};

// Parses the request, fetches the answer and presents it as `output`
// asks: a table, or written out (json: the whole answer; csv, jsonl: the
// HTTP API's records).
template <typename Request, typename Response>
absl::StatusOr<Table> Run(const api::Params& params,
                          absl::StatusOr<Request> (*parse)(const api::Params&),
                          const Fetch<Request, Response>& fetch,
                          Table (*table)(const Response&),
                          std::string (*encode)(const Response&,
                                                api::ExportFormat),
                          const Output& output) {
  absl::StatusOr<Request> request = parse(params);
  if (!request.ok()) return request.status();
  absl::StatusOr<Response> r = fetch(*request);
  if (!r.ok()) return r.status();
  if (output.format == "table") return table(*r);
  if (output.format == "json") {
    *output.out << api::ToJson(*r) << "\n";
  } else {
    *output.out << encode(*r, output.format == "csv"
                                  ? api::ExportFormat::kCsv
                                  : api::ExportFormat::kJsonLines);
  }
  return Table({});
}

absl::StatusOr<v6scope::v1::DomainReadinessResponse> AllDomains(
    v6scope::v1::QueryService::Stub& stub,
    v6scope::v1::DomainReadinessRequest request) {
  v6scope::v1::DomainReadinessResponse all;
  request.set_page_size(1000);
  do {
    grpc::ClientContext context;
    AddReadKey(context);
    v6scope::v1::DomainReadinessResponse page;
    absl::Status s =
        rpc::FromGrpc(stub.GetDomainReadiness(&context, request, &page));
    if (!s.ok()) return s;
    std::string token = page.next_page_token();
    for (auto& d : *page.mutable_domains()) *all.add_domains() = std::move(d);
    page.clear_domains();
    page.clear_next_page_token();
    all.MergeFrom(page);  // Round and provenance.
    request.set_page_token(token);
  } while (!request.page_token().empty());
  return all;
}

}  // namespace

absl::StatusOr<api::Params> ServicesParams(const std::string& what,
                                           const ServicesOptions& o) {
  if (what != "shares" && what != "series" && what != "domains" &&
      what != "changes") {
    return absl::InvalidArgumentError(
        "usage: v6scope services shares|series|domains|changes "
        "--campaign=ID (see --help)");
  }
  if (o.campaign.empty()) {
    return absl::InvalidArgumentError("--campaign=ID is required");
  }
  if (!o.service.empty() && o.service != "web" && o.service != "dns" &&
      o.service != "mail") {
    return absl::InvalidArgumentError(absl::StrCat(
        "--service: expected web, dns or mail, got '", o.service, "'"));
  }
  if (what == "series" && o.round != 0) return NotTaken("round", what);
  if (what == "domains" && !o.service.empty()) return NotTaken("service", what);
  if (what != "domains" && !o.domain.empty()) return NotTaken("domain", what);
  if (what != "changes" && o.from_round != 0) {
    return NotTaken("from_round", what);
  }
  api::Params p;
  auto set = [&p](const std::string& name, const std::string& value) {
    if (!value.empty()) p[name] = value;
  };
  auto set_number = [&p](const std::string& name, uint32_t value) {
    if (value != 0) p[name] = absl::StrCat(value);
  };
  set("campaign_id", o.campaign);
  set("country", o.country);
  set("sector", o.sector);
  set("methodology", o.methodology);
  set_number("min_networks", o.min_networks);
  if (what != "domains") set("service", o.service);
  if (what == "domains") set("domain", o.domain);
  set_number(what == "changes" ? "to_round" : "round", o.round);
  set_number("from_round", o.from_round);
  return p;
}

Table ServiceSharesTable(const v6scope::v1::ServiceSharesResponse& r) {
  Table t(ShareColumns({"country", "sector", "service"}));
  for (const v6scope::v1::ServiceShareCell& c : r.cells()) {
    std::vector<std::string> row = {c.country(), c.sector(), c.service()};
    for (std::string& cell : ShareCells(c)) row.push_back(std::move(cell));
    t.AddRow(std::move(row));
  }
  t.SetEmptyText("no readiness results for these filters");
  t.AddNote(absl::StrCat("round ", r.round(), "; ", ProvenanceNote(r)));
  return t;
}

Table ServiceSeriesTable(const v6scope::v1::ServiceSeriesResponse& r) {
  Table t(ShareColumns({"country", "sector", "service", "round"}));
  for (const v6scope::v1::ServiceShareSeries& s : r.series()) {
    for (const v6scope::v1::ServiceShareCell& c : s.points()) {
      std::vector<std::string> row = {c.country(), c.sector(), c.service(),
                                      absl::StrCat(c.round())};
      for (std::string& cell : ShareCells(c)) row.push_back(std::move(cell));
      t.AddRow(std::move(row));
    }
  }
  t.SetEmptyText("no readiness results for these filters");
  t.AddNote(ProvenanceNote(r));
  return t;
}

Table DomainReadinessTable(const v6scope::v1::DomainReadinessResponse& r) {
  Table t({"sector", "domain", "country", "networks", "web", "dns", "mail",
           "disagreement"});
  for (const v6scope::v1::DomainReadiness& d : r.domains()) {
    std::vector<std::string> disagreeing;
    for (const auto& dis : d.disagreements()) {
      disagreeing.push_back(dis.service());
    }
    const std::string disagreement =
        disagreeing.empty() ? "-" : absl::StrJoin(disagreeing, ",");
    for (const v6scope::v1::CountryReadinessView& v : d.countries()) {
      std::vector<std::string> row = {d.sector(), d.domain(), v.country()};
      if (v.withheld()) {
        row.insert(row.end(), {"withheld", "", "", "", disagreement});
      } else {
        row.push_back(absl::StrCat(v.networks()));
        for (int i = 0; i < 3; ++i) {
          row.push_back(i < v.services_size() ? StateText(v.services(i)) : "-");
        }
        row.push_back(disagreement);
      }
      t.AddRow(std::move(row));
    }
  }
  t.SetEmptyText("no readiness results for these filters");
  t.AddNote(absl::StrCat("round ", r.round(), "; ", ProvenanceNote(r)));
  return t;
}

Table ServiceChangesTable(const v6scope::v1::ServiceChangesResponse& r) {
  Table t(
      {"country", "service", "change", "sector", "domain", "before", "after"});
  uint64_t compared = 0;
  for (const v6scope::v1::ServiceChangeRecord& c : r.changes()) {
    compared += c.compared();
    for (const auto* list : {&c.gained(), &c.lost()}) {
      for (const v6scope::v1::ReadinessDomainChange& d : *list) {
        t.AddRow({c.country(), c.service(),
                  list == &c.gained() ? "gained" : "lost", d.sector(),
                  d.domain(), v6scope::v1::ServiceState_Name(d.before()),
                  v6scope::v1::ServiceState_Name(d.after())});
      }
    }
  }
  t.SetEmptyText(r.from_round() == 0 ? "nothing to compare: no earlier round"
                                     : "no domain gained or lost IPv6");
  t.AddNote(absl::StrCat("round ", r.from_round(), " -> ", r.to_round(), ": ",
                         compared, " domain-services compared; ",
                         ProvenanceNote(r)));
  return t;
}

Table ServiceCampaignsTable(
    const v6scope::v1::ListServiceCampaignsResponse& r) {
  Table t({"campaign_id", "name", "state", "domains", "sectors"});
  t.SetEmptyText("no campaign on this collector");
  for (const auto& c : r.campaigns()) {
    t.AddRow({c.campaign_id(), c.name(), c.state(), absl::StrCat(c.domains()),
              absl::StrJoin(c.sectors(), ",")});
  }
  return t;
}

absl::StatusOr<Table> ServiceCampaignsCommand(
    std::shared_ptr<grpc::Channel> channel) {
  auto stub = v6scope::v1::QueryService::NewStub(channel);
  grpc::ClientContext context;
  AddReadKey(context);
  v6scope::v1::ListServiceCampaignsResponse response;
  grpc::Status status = stub->ListServiceCampaigns(
      &context, v6scope::v1::ListServiceCampaignsRequest(), &response);
  if (!status.ok()) return rpc::FromGrpc(status);
  return ServiceCampaignsTable(response);
}

absl::StatusOr<Table> ServicesCommand(std::shared_ptr<grpc::Channel> channel,
                                      const std::string& what,
                                      const ServicesOptions& options,
                                      const std::string& format,
                                      std::ostream& out) {
  absl::StatusOr<api::Params> params = ServicesParams(what, options);
  if (!params.ok()) return params.status();
  std::shared_ptr<v6scope::v1::QueryService::Stub> stub =
      v6scope::v1::QueryService::NewStub(channel);
  const Output output{format, &out};
  if (what == "shares") {
    return Run(*params, api::ParseServiceSharesRequest,
               Unary<v6scope::v1::ServiceSharesRequest,
                     v6scope::v1::ServiceSharesResponse>(
                   [stub](auto* c, const auto& q, auto* a) {
                     return stub->GetServiceShares(c, q, a);
                   }),
               ServiceSharesTable, api::ServiceSharesExport, output);
  }
  if (what == "series") {
    return Run(*params, api::ParseServiceSeriesRequest,
               Unary<v6scope::v1::ServiceSeriesRequest,
                     v6scope::v1::ServiceSeriesResponse>(
                   [stub](auto* c, const auto& q, auto* a) {
                     return stub->GetServiceSeries(c, q, a);
                   }),
               ServiceSeriesTable, api::ServiceSeriesExport, output);
  }
  if (what == "domains") {
    return Run(*params, api::ParseDomainReadinessRequest,
               Fetch<v6scope::v1::DomainReadinessRequest,
                     v6scope::v1::DomainReadinessResponse>(
                   [stub](const v6scope::v1::DomainReadinessRequest& q) {
                     return AllDomains(*stub, q);
                   }),
               DomainReadinessTable, api::DomainReadinessExport, output);
  }
  return Run(*params, api::ParseServiceChangesRequest,
             Unary<v6scope::v1::ServiceChangesRequest,
                   v6scope::v1::ServiceChangesResponse>(
                 [stub](auto* c, const auto& q, auto* a) {
                   return stub->GetServiceChanges(c, q, a);
                 }),
             ServiceChangesTable, api::ServiceChangesExport, output);
}

}  // namespace v6scope::cli
