#include "collector/http/api.h"

#include <google/protobuf/util/json_util.h>

#include <algorithm>
#include <cmath>
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
#include "common/http/push_stream.h"
#include "common/log/error_id.h"
#include "common/log/log.h"
#include "proto/query_service.pb.h"

namespace v6scope::collector::http {
namespace {

using ::v6scope::http::Request;
using ::v6scope::http::Response;
using ::v6scope::http::Route;

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

// The error answer. A client error (4xx) says what was wrong with the
// request; a server error (5xx) may come from the store and carry SQL,
// paths or library messages, so the client gets a short message and an id,
// and the details go to the log line with that id.
Response Fail(const absl::Status& status) {
  Response res;
  res.status = HttpStatus(status);
  res.content_type = kJson;
  res.headers.emplace_back("Cache-Control", "no-store");
  if (res.status < 500) {
    res.body = absl::StrCat("{\"error\":", JsonString(status.message()), "}\n");
    return res;
  }
  const std::string id = log::LogWithErrorId("http.error", status);
  res.body = absl::StrCat(
      "{\"error\":",
      JsonString(res.status == 503 ? "service unavailable" : "internal error"),
      ",\"error_id\":", JsonString(id), "}\n");
  return res;
}

Response Reply(const google::protobuf::Message& message) {
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  std::string json;
  const auto printed =
      google::protobuf::util::MessageToJsonString(message, &json, options);
  if (!printed.ok()) {
    return Fail(absl::InternalError(std::string(printed.message())));
  }
  json.push_back('\n');
  Response res;
  res.content_type = kJson;
  res.headers.emplace_back("Cache-Control", "no-store");
  res.body = std::move(json);
  return res;
}

absl::Status UnknownParameter(absl::string_view name) {
  return absl::InvalidArgumentError(
      absl::StrCat("unknown parameter '", name, "'"));
}

api::Params QueryParams(const Request& req) {
  api::Params params;
  for (const auto& [name, value] : req.query) params[name] = value;
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

// Streams an export as a chunked response. `produce` runs on its own
// thread once headers are out (common/http/push_stream.h); if it fails
// midway the connection is cut (an incomplete chunked body), so a client
// never mistakes a truncated export for a complete one.
Response Stream(api::ExportFormat format, const std::string& filename,
                std::function<absl::Status(const query::ExportSink&)> produce) {
  Response res;
  res.content_type = std::string(api::ExportContentType(format));
  res.headers.emplace_back("Cache-Control", "no-store");
  res.headers.emplace_back(
      "Content-Disposition",
      absl::StrCat("attachment; filename=\"", filename,
                   format == api::ExportFormat::kCsv ? ".csv" : ".jsonl",
                   "\""));
  res.stream =
      v6scope::http::PushStream([produce = std::move(produce), filename](
                                    const v6scope::http::ChunkSink& sink) {
        absl::Status status = produce(sink);
        if (!status.ok()) {
          log::LogWithErrorId(
              "api.export_failed",
              absl::Status(status.code(),
                           absl::StrCat(filename, ": ", status.message())));
        }
        return status;
      });
  return res;
}

// GET /api/v1/aggregates
Response GetAggregates(const query::Queries& queries, const Request& req) {
  api::Params params = QueryParams(req);
  params.erase("format");
  absl::StatusOr<v6scope::v1::AggregatesRequest> request =
      api::ParseAggregatesRequest(params);
  if (!request.ok()) return Fail(request.status());
  absl::StatusOr<v6scope::v1::AggregatesResponse> response =
      queries.aggregates().Aggregates(*request);
  if (!response.ok()) return Fail(response.status());
  return Reply(*response);
}

// GET /api/v1/allocations
Response GetAllocations(const query::Queries& queries, const Request& req) {
  v6scope::v1::ListAllocationsRequest request;
  for (const auto& [name, value] : req.query) {
    if (name != "country") return Fail(UnknownParameter(name));
    request.set_country(value);
  }
  absl::StatusOr<v6scope::v1::ListAllocationsResponse> response =
      queries.aggregates().Allocations(request);
  if (!response.ok()) return Fail(response.status());
  return Reply(*response);
}

// GET /api/v1/probes[?silent_for=2h]
Response GetProbes(const query::Queries& queries, const Request& req) {
  v6scope::v1::ListProbesRequest request;
  for (const auto& [name, value] : req.query) {
    if (name != "silent_for") return Fail(UnknownParameter(name));
    request.set_silent_for(value);
  }
  absl::StatusOr<v6scope::v1::ListProbesResponse> response =
      queries.probes().ListProbes(request);
  if (!response.ok()) return Fail(response.status());
  return Reply(*response);
}

// The query of /api/v1/runs; the page-size bounds are the read path's.
absl::StatusOr<v6scope::v1::ListRunsRequest> ParseListRunsRequest(
    const Request& req) {
  v6scope::v1::ListRunsRequest request;
  for (const auto& [name, value] : req.query) {
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
Response GetRuns(const query::Queries& queries, const Request& req) {
  absl::StatusOr<v6scope::v1::ListRunsRequest> request =
      ParseListRunsRequest(req);
  if (!request.ok()) return Fail(request.status());
  absl::StatusOr<v6scope::v1::ListRunsResponse> response =
      queries.runs().ListRuns(*request);
  if (!response.ok()) return Fail(response.status());
  return Reply(*response);
}

// GET /api/v1/export/runs
Response ExportRuns(const query::Queries& queries, const Request& req) {
  api::Params params = QueryParams(req);
  absl::StatusOr<api::ExportFormat> format = TakeFormat(params);
  if (!format.ok()) return Fail(format.status());
  absl::StatusOr<v6scope::v1::ExportRunsRequest> request =
      api::ParseExportRunsRequest(params);
  if (!request.ok()) return Fail(request.status());
  const api::ExportFormat f = *format;
  const v6scope::v1::ExportRunsRequest r = *request;
  const query::RunQueries* runs = &queries.runs();
  return Stream(f, "v6scope-runs", [runs, r, f](const query::ExportSink& sink) {
    return query::StreamRuns(runs->Export(r), f, sink);
  });
}

// GET /api/v1/export/aggregates
Response ExportAggregates(const query::Queries& queries, const Request& req) {
  api::Params params = QueryParams(req);
  absl::StatusOr<api::ExportFormat> format = TakeFormat(params);
  if (!format.ok()) return Fail(format.status());
  absl::StatusOr<v6scope::v1::AggregatesRequest> request =
      api::ParseAggregatesRequest(params);
  if (!request.ok()) return Fail(request.status());
  const query::AggregateQueries* aggregates = &queries.aggregates();
  // Check the request (region, windows...) before the 200 goes out.
  v6scope::v1::AggregatesRequest first_page = *request;
  first_page.set_page_size(1);
  absl::StatusOr<v6scope::v1::AggregatesResponse> checked =
      aggregates->Aggregates(first_page);
  if (!checked.ok()) return Fail(checked.status());
  const api::ExportFormat f = *format;
  const v6scope::v1::AggregatesRequest r = *request;
  return Stream(f, "v6scope-aggregates",
                [aggregates, r, f](const query::ExportSink& sink) {
                  return query::StreamAggregates(*aggregates, r, f, sink);
                });
}

// 429 with Retry-After, when the client is over its rate (api_limit.h).
// Checked before the access check, so that guessing read keys is limited
// too. Not logged: a flood would be a flood of log lines.
std::optional<Response> RateRefusal(ApiRateLimit* limit, const Request& req) {
  if (limit == nullptr) return std::nullopt;
  const absl::Duration wait = limit->Take(req.peer);
  if (wait <= absl::ZeroDuration()) return std::nullopt;
  const int64_t seconds = std::max<int64_t>(
      1, static_cast<int64_t>(std::ceil(absl::ToDoubleSeconds(wait))));
  Response res;
  res.status = 429;
  res.content_type = kJson;
  res.headers.emplace_back("Retry-After", absl::StrCat(seconds));
  res.headers.emplace_back("Cache-Control", "no-store");
  res.body = absl::StrCat(
      "{\"error\":",
      JsonString(absl::StrCat("too many requests from this address; retry in ",
                              seconds, "s")),
      "}\n");
  return res;
}

// The one place an /api/ request meets the rate limit and the access check
// (access.h): the answer to send instead of the handler's, or nullopt to
// go on.
std::optional<Response> Refusal(ApiRateLimit* limit,
                                const ApiAuthorizer& authorize,
                                const Request& req) {
  if (std::optional<Response> limited = RateRefusal(limit, req)) {
    return limited;
  }
  int status = 0;
  std::string message;
  const std::string* authorization = req.Header("Authorization");
  if (Authorized(authorize, req.peer,
                 authorization == nullptr ? "" : *authorization, &status,
                 &message)) {
    return std::nullopt;
  }
  Response res;
  res.status = status;
  res.content_type = kJson;
  if (status == 401) res.headers.push_back({"WWW-Authenticate", "Bearer"});
  res.body = absl::StrCat("{\"error\":", JsonString(message), "}\n");
  return res;
}

}  // namespace

std::vector<Route> ApiRoutes(const query::Queries* queries,
                             ApiAuthorizer authorize, ApiRateLimit* limit) {
  using Handler = Response (*)(const query::Queries&, const Request&);
  const std::pair<const char*, Handler> handlers[] = {
      {"/api/v1/aggregates", GetAggregates},
      {"/api/v1/allocations", GetAllocations},
      {"/api/v1/probes", GetProbes},
      {"/api/v1/runs", GetRuns},
      {"/api/v1/export/runs", ExportRuns},
      {"/api/v1/export/aggregates", ExportAggregates},
  };
  std::vector<Route> routes;
  for (const auto& [path, handler] : handlers) {
    routes.push_back(Route{
        path,
        {"GET"},
        [queries, handler = handler, authorize, limit](const Request& req) {
          if (std::optional<Response> refused =
                  Refusal(limit, authorize, req)) {
            return *std::move(refused);
          }
          return handler(*queries, req);
        }});
    // Store reads may take seconds: off the polling thread.
    routes.back().offload = true;
  }
  return routes;
}

}  // namespace v6scope::collector::http
