#include "collector/http/api.h"

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
#include "api/export_format.h"
#include "api/request_params.h"
#include "collector/http/api_reply.h"
#include "collector/http/openapi.h"
#include "collector/http/report_page.h"
#include "collector/http/services_api.h"
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
  if (!request.ok()) return FailReply(request.status());
  absl::StatusOr<v6scope::v1::AggregatesResponse> response =
      queries.aggregates().Aggregates(*request);
  if (!response.ok()) return FailReply(response.status());
  return JsonReply(*response);
}

// GET /api/v1/allocations
Response GetAllocations(const query::Queries& queries, const Request& req) {
  v6scope::v1::ListAllocationsRequest request;
  for (const auto& [name, value] : req.query) {
    if (name == "country") {
      request.set_country(value);
    } else if (name == "history") {
      if (value != "0" && value != "1" && value != "true" && value != "false") {
        return FailReply(absl::InvalidArgumentError(
            absl::StrCat("history: expected 1 or 0, got '", value, "'")));
      }
      request.set_history(value == "1" || value == "true");
    } else {
      return FailReply(UnknownParameter(name));
    }
  }
  absl::StatusOr<v6scope::v1::ListAllocationsResponse> response =
      queries.aggregates().Allocations(request);
  if (!response.ok()) return FailReply(response.status());
  return JsonReply(*response);
}

// GET /api/v1/probes[?silent_for=2h]
Response GetProbes(const query::Queries& queries, const Request& req) {
  v6scope::v1::ListProbesRequest request;
  for (const auto& [name, value] : req.query) {
    if (name != "silent_for") return FailReply(UnknownParameter(name));
    request.set_silent_for(value);
  }
  absl::StatusOr<v6scope::v1::ListProbesResponse> response =
      queries.probes().ListProbes(request);
  if (!response.ok()) return FailReply(response.status());
  return JsonReply(*response);
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
  if (!request.ok()) return FailReply(request.status());
  absl::StatusOr<v6scope::v1::ListRunsResponse> response =
      queries.runs().ListRuns(*request);
  if (!response.ok()) return FailReply(response.status());
  return JsonReply(*response);
}

// GET /api/v1/export/runs
Response ExportRuns(const query::Queries& queries, const Request& req) {
  api::Params params = QueryParams(req);
  absl::StatusOr<api::ExportFormat> format = TakeFormat(params);
  if (!format.ok()) return FailReply(format.status());
  absl::StatusOr<v6scope::v1::ExportRunsRequest> request =
      api::ParseExportRunsRequest(params);
  if (!request.ok()) return FailReply(request.status());
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
  if (!format.ok()) return FailReply(format.status());
  absl::StatusOr<v6scope::v1::AggregatesRequest> request =
      api::ParseAggregatesRequest(params);
  if (!request.ok()) return FailReply(request.status());
  const query::AggregateQueries* aggregates = &queries.aggregates();
  // Check the request (region, windows...) before the 200 goes out.
  v6scope::v1::AggregatesRequest first_page = *request;
  first_page.set_page_size(1);
  absl::StatusOr<v6scope::v1::AggregatesResponse> checked =
      aggregates->Aggregates(first_page);
  if (!checked.ok()) return FailReply(checked.status());
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
  Response res = ErrorReply(
      429, absl::StrCat("too many requests from this address; retry in ",
                        seconds, "s"));
  res.headers.emplace_back("Retry-After", absl::StrCat(seconds));
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
  Response res = ErrorReply(status, message);
  if (status == 401) res.headers.push_back({"WWW-Authenticate", "Bearer"});
  return res;
}

// Any other path under /api/ (and /api itself): a JSON 404 that points to
// the description, whatever the method.
Response NoSuchEndpoint(const Request& req) {
  return ErrorReply(404, absl::StrCat("no such endpoint: ", req.path,
                                      " (the API is described at "
                                      "/api/v1/openapi.json)"));
}

// The server's own refusals on /api/ paths (400, 405, 413, 503) in the
// same JSON as the handlers' (common/http/mhd_server.h, Route::refusal).
Response Refused(int status, absl::string_view message) {
  return ErrorReply(status, message);
}

// `handler` behind the rate limit and, unless `open`, the access check.
Route Guarded(std::string path, std::vector<std::string> methods,
              std::function<Response(const Request&)> handler,
              ApiAuthorizer authorize, ApiRateLimit* limit, bool open) {
  Route route{
      std::move(path), std::move(methods),
      [handler = std::move(handler), authorize = std::move(authorize), limit,
       open](const Request& req) {
        if (open) {
          if (std::optional<Response> limited = RateRefusal(limit, req)) {
            return *std::move(limited);
          }
        } else if (std::optional<Response> refused =
                       Refusal(limit, authorize, req)) {
          return *std::move(refused);
        }
        return handler(req);
      }};
  route.refusal = Refused;
  return route;
}

}  // namespace

std::vector<Route> ApiRoutes(const query::Queries* queries,
                             ApiAuthorizer authorize, ApiRateLimit* limit,
                             const report::Reports* reports) {
  using Handler = Response (*)(const query::Queries&, const Request&);
  const std::pair<const char*, Handler> handlers[] = {
      {"/api/v1/aggregates", GetAggregates},
      {"/api/v1/allocations", GetAllocations},
      {"/api/v1/probes", GetProbes},
      {"/api/v1/runs", GetRuns},
      {"/api/v1/export/runs", ExportRuns},
      {"/api/v1/export/aggregates", ExportAggregates},
      {"/api/v1/services/campaigns", GetServiceCampaigns},
      {"/api/v1/services/shares", GetServiceShares},
      {"/api/v1/services/series", GetServiceSeries},
      {"/api/v1/services/domains", GetServiceDomains},
      {"/api/v1/services/changes", GetServiceChanges},
  };
  std::vector<Route> routes;
  for (const auto& [path, handler] : handlers) {
    routes.push_back(Guarded(
        path, {"GET"},
        [queries, handler = handler](const Request& req) {
          return handler(*queries, req);
        },
        authorize, limit, /*open=*/false));
    // Store reads may take seconds: off the polling thread.
    routes.back().offload = true;
  }
  if (reports != nullptr) {
    routes.push_back(Guarded(
        kReportPathPrefix, {"GET"},
        [reports](const Request& req) {
          return GetCountryReportPage(*reports, req);
        },
        authorize, limit, /*open=*/false));
    routes.back().prefix = true;
    routes.back().offload = true;  // Many store reads.
  }
  // The description is public: a generic client reads it before it has a
  // key. Rate-limited like the rest.
  routes.push_back(Guarded(
      "/api/v1/openapi.json", {"GET"},
      [](const Request&) { return OpenApiReply(); }, authorize, limit,
      /*open=*/true));
  const std::vector<std::string> any = {"GET",    "POST",  "PUT",
                                        "DELETE", "PATCH", "OPTIONS"};
  routes.push_back(
      Guarded("/api/", any, NoSuchEndpoint, authorize, limit, /*open=*/false));
  routes.back().prefix = true;
  routes.push_back(
      Guarded("/api", any, NoSuchEndpoint, authorize, limit, /*open=*/false));
  return routes;
}

}  // namespace v6scope::collector::http
