#include "collector/http/api.h"

#include <google/protobuf/util/json_util.h>

#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "api/export_format.h"
#include "api/request_params.h"
#include "collector/query/export_stream.h"
#include "collector/query/page_size.h"
#include "common/log/log.h"
#include "proto/query_service.pb.h"

namespace v6scope::collector::http {
namespace {

constexpr char kJson[] = "application/json";

int HttpStatus(const absl::Status& status) {
  switch (status.code()) {
    case absl::StatusCode::kInvalidArgument:
    case absl::StatusCode::kOutOfRange:
      return 400;
    case absl::StatusCode::kNotFound:
      return 404;
    case absl::StatusCode::kUnavailable:
    case absl::StatusCode::kResourceExhausted:
      return 503;
    default:
      return 500;
  }
}

std::string JsonString(absl::string_view text) {
  std::string out = "\"";
  for (unsigned char c : text) {
    if (c == '"' || c == '\\') {
      out.push_back('\\');
      out.push_back(static_cast<char>(c));
    } else if (c < 0x20) {
      out.append(absl::StrFormat("\\u%04x", c));
    } else {
      out.push_back(static_cast<char>(c));
    }
  }
  out.push_back('"');
  return out;
}

void Fail(const absl::Status& status, httplib::Response& res) {
  res.status = HttpStatus(status);
  res.set_content(
      absl::StrCat("{\"error\":", JsonString(status.message()), "}\n"), kJson);
}

void Reply(const google::protobuf::Message& message, httplib::Response& res) {
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  std::string json;
  const auto printed =
      google::protobuf::util::MessageToJsonString(message, &json, options);
  if (!printed.ok()) {
    Fail(absl::InternalError(std::string(printed.message())), res);
    return;
  }
  json.push_back('\n');
  res.set_header("Cache-Control", "no-store");
  res.set_content(json, kJson);
}

absl::Status UnknownParameter(absl::string_view name) {
  return absl::InvalidArgumentError(
      absl::StrCat("unknown parameter '", name, "'"));
}

api::Params QueryParams(const httplib::Request& req) {
  api::Params params;
  for (const auto& [name, value] : req.params) params[name] = value;
  return params;
}

// The export format parameter (default csv), removed from `params`.
absl::StatusOr<api::ExportFormat> TakeFormat(api::Params& params) {
  auto it = params.find("format");
  if (it == params.end()) return api::ExportFormat::kCsv;
  std::optional<api::ExportFormat> format = api::ParseExportFormat(it->second);
  if (!format.has_value()) {
    return absl::InvalidArgumentError(
        absl::StrCat("format: expected csv or jsonl, got '", it->second, "'"));
  }
  params.erase(it);
  return *format;
}

// Streams an export as a chunked response. `produce` runs on the handler
// thread once headers are out; if it fails midway the connection is cut
// (an incomplete chunked body), so a client never mistakes a truncated
// export for a complete one.
void Stream(api::ExportFormat format, const std::string& filename,
            std::function<absl::Status(const query::ExportSink&)> produce,
            httplib::Response& res) {
  res.set_header("Cache-Control", "no-store");
  res.set_header(
      "Content-Disposition",
      absl::StrCat("attachment; filename=\"", filename,
                   format == api::ExportFormat::kCsv ? ".csv" : ".jsonl",
                   "\""));
  res.set_chunked_content_provider(
      std::string(api::ExportContentType(format)),
      [produce = std::move(produce), filename](size_t /*offset*/,
                                               httplib::DataSink& sink) {
        bool client_gone = false;
        absl::Status status = produce([&](std::string chunk) {
          if (!sink.write(chunk.data(), chunk.size())) {
            client_gone = true;
            return false;
          }
          return true;
        });
        if (!status.ok()) {
          log::Warn("api.export_failed",
                    {{"export", filename}, {"error", status.message()}});
          return false;
        }
        if (!client_gone) sink.done();
        return !client_gone;
      });
}

// GET /api/v1/aggregates
void GetAggregates(const query::Queries& queries, const httplib::Request& req,
                   httplib::Response& res) {
  api::Params params = QueryParams(req);
  params.erase("format");
  absl::StatusOr<v6scope::v1::AggregatesRequest> request =
      api::ParseAggregatesRequest(params);
  if (!request.ok()) return Fail(request.status(), res);
  absl::StatusOr<v6scope::v1::AggregatesResponse> response =
      queries.aggregates().Aggregates(*request);
  if (!response.ok()) return Fail(response.status(), res);
  Reply(*response, res);
}

// GET /api/v1/allocations
void GetAllocations(const query::Queries& queries, const httplib::Request& req,
                    httplib::Response& res) {
  v6scope::v1::ListAllocationsRequest request;
  for (const auto& [name, value] : req.params) {
    if (name != "country") return Fail(UnknownParameter(name), res);
    request.set_country(value);
  }
  absl::StatusOr<v6scope::v1::ListAllocationsResponse> response =
      queries.aggregates().Allocations(request);
  if (!response.ok()) return Fail(response.status(), res);
  Reply(*response, res);
}

// GET /api/v1/probes
void GetProbes(const query::Queries& queries, const httplib::Request&,
               httplib::Response& res) {
  absl::StatusOr<v6scope::v1::ListProbesResponse> response =
      queries.probes().ListProbes({});
  if (!response.ok()) return Fail(response.status(), res);
  Reply(*response, res);
}

// The query of /api/v1/runs; the page-size bounds are the read path's.
absl::StatusOr<v6scope::v1::ListRunsRequest> ParseListRunsRequest(
    const httplib::Request& req) {
  v6scope::v1::ListRunsRequest request;
  for (const auto& [name, value] : req.params) {
    if (name == "probe_id") {
      request.set_probe_id(value);
    } else if (name == "page_token") {
      request.set_page_token(value);
    } else if (name == "page_size") {
      uint32_t page_size = 0;
      if (!absl::SimpleAtoi(value, &page_size)) {
        return absl::InvalidArgumentError(
            absl::StrCat("page_size: expected a number 1..",
                         query::kMaxPageSize, ", got '", value, "'"));
      }
      request.set_page_size(page_size);
    } else {
      return UnknownParameter(name);
    }
  }
  return request;
}

// GET /api/v1/runs
void GetRuns(const query::Queries& queries, const httplib::Request& req,
             httplib::Response& res) {
  absl::StatusOr<v6scope::v1::ListRunsRequest> request =
      ParseListRunsRequest(req);
  if (!request.ok()) return Fail(request.status(), res);
  absl::StatusOr<v6scope::v1::ListRunsResponse> response =
      queries.runs().ListRuns(*request);
  if (!response.ok()) return Fail(response.status(), res);
  Reply(*response, res);
}

// GET /api/v1/export/runs
void ExportRuns(const query::Queries& queries, const httplib::Request& req,
                httplib::Response& res) {
  api::Params params = QueryParams(req);
  absl::StatusOr<api::ExportFormat> format = TakeFormat(params);
  if (!format.ok()) return Fail(format.status(), res);
  absl::StatusOr<v6scope::v1::ExportRunsRequest> request =
      api::ParseExportRunsRequest(params);
  if (!request.ok()) return Fail(request.status(), res);
  const api::ExportFormat f = *format;
  const v6scope::v1::ExportRunsRequest r = *request;
  const query::RunQueries* runs = &queries.runs();
  Stream(
      f, "v6scope-runs",
      [runs, r, f](const query::ExportSink& sink) {
        return query::StreamRuns(runs->Export(r), f, sink);
      },
      res);
}

// GET /api/v1/export/aggregates
void ExportAggregates(const query::Queries& queries,
                      const httplib::Request& req, httplib::Response& res) {
  api::Params params = QueryParams(req);
  absl::StatusOr<api::ExportFormat> format = TakeFormat(params);
  if (!format.ok()) return Fail(format.status(), res);
  absl::StatusOr<v6scope::v1::AggregatesRequest> request =
      api::ParseAggregatesRequest(params);
  if (!request.ok()) return Fail(request.status(), res);
  const query::AggregateQueries* aggregates = &queries.aggregates();
  // Check the request (region, windows...) before the 200 goes out.
  v6scope::v1::AggregatesRequest first_page = *request;
  first_page.set_page_size(1);
  absl::StatusOr<v6scope::v1::AggregatesResponse> checked =
      aggregates->Aggregates(first_page);
  if (!checked.ok()) return Fail(checked.status(), res);
  const api::ExportFormat f = *format;
  const v6scope::v1::AggregatesRequest r = *request;
  Stream(
      f, "v6scope-aggregates",
      [aggregates, r, f](const query::ExportSink& sink) {
        return query::StreamAggregates(*aggregates, r, f, sink);
      },
      res);
}

// The one place an /api/ request meets the access check (access.h).
bool Admit(const ApiAuthorizer& authorize, const httplib::Request& req,
           httplib::Response& res) {
  int status = 0;
  std::string message;
  if (Authorized(authorize, req.remote_addr,
                 req.get_header_value("Authorization"), &status, &message)) {
    return true;
  }
  res.status = status;
  if (status == 401) res.set_header("WWW-Authenticate", "Bearer");
  res.set_content(absl::StrCat("{\"error\":", JsonString(message), "}\n"),
                  kJson);
  return false;
}

}  // namespace

void RegisterApi(const query::Queries* queries, httplib::Server& server,
                 ApiAuthorizer authorize) {
  using Handler = void (*)(const query::Queries&, const httplib::Request&,
                           httplib::Response&);
  const std::pair<const char*, Handler> routes[] = {
      {"/api/v1/aggregates", GetAggregates},
      {"/api/v1/allocations", GetAllocations},
      {"/api/v1/probes", GetProbes},
      {"/api/v1/runs", GetRuns},
      {"/api/v1/export/runs", ExportRuns},
      {"/api/v1/export/aggregates", ExportAggregates},
  };
  for (const auto& [path, handler] : routes) {
    server.Get(path, [queries, handler = handler, authorize](
                         const httplib::Request& req, httplib::Response& res) {
      if (Admit(authorize, req, res)) handler(*queries, req, res);
    });
  }
}

}  // namespace v6scope::collector::http
