#include "collector/http/services_api.h"

#include <functional>
#include <optional>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "api/export_format.h"
#include "api/readiness_export.h"
#include "api/readiness_params.h"
#include "collector/http/api_reply.h"
#include "collector/query/readiness_queries.h"

namespace v6scope::collector::http {
namespace {

using ::v6scope::http::Request;
using ::v6scope::http::Response;

// format=json (nullopt), csv or jsonl; INVALID_ARGUMENT otherwise.
absl::StatusOr<std::optional<api::ExportFormat>> FormatOf(
    const api::Params& params) {
  auto it = params.find("format");
  if (it == params.end() || absl::AsciiStrToLower(it->second) == "json") {
    return std::nullopt;
  }
  std::optional<api::ExportFormat> format = api::ParseExportFormat(it->second);
  if (!format.has_value()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "format: expected json, csv or jsonl, got '", it->second, "'"));
  }
  return format;
}

// A failed query; without rollups the 503 says why (it is no secret).
Response Fail(const absl::Status& status) {
  if (absl::IsUnavailable(status) &&
      status.message() == query::kNoReadinessRollups) {
    return ErrorReply(503, status.message());
  }
  return FailReply(status);
}

Response Export(std::string body, api::ExportFormat format,
                absl::string_view name) {
  Response res;
  res.content_type = std::string(api::ExportContentType(format));
  res.headers.emplace_back("Cache-Control", "no-store");
  res.headers.emplace_back(
      "Content-Disposition",
      absl::StrCat("attachment; filename=\"v6scope-services-", name,
                   format == api::ExportFormat::kCsv ? ".csv" : ".jsonl",
                   "\""));
  res.body = std::move(body);
  return res;
}

api::Params QueryParams(const Request& req) {
  api::Params params;
  for (const auto& [name, value] : req.query) params[name] = value;
  return params;
}

// The common shape of the four handlers: parse, check the format, query,
// answer as JSON or as an export of the records.
template <typename Request, typename Answer>
Response Serve(
    const v6scope::http::Request& req,
    absl::StatusOr<Request> (*parse)(const api::Params&),
    const std::function<absl::StatusOr<Answer>(const Request&)>& query,
    std::string (*encode)(const Answer&, api::ExportFormat),
    absl::string_view name) {
  const api::Params params = QueryParams(req);
  absl::StatusOr<std::optional<api::ExportFormat>> format = FormatOf(params);
  if (!format.ok()) return FailReply(format.status());
  absl::StatusOr<Request> request = parse(params);
  if (!request.ok()) return FailReply(request.status());
  absl::StatusOr<Answer> answer = query(*request);
  if (!answer.ok()) return Fail(answer.status());
  if (!format->has_value()) return JsonReply(*answer);
  return Export(encode(*answer, **format), **format, name);
}

// Every page of a domains query from its page_token on, in one answer
// (the exports are whole).
absl::StatusOr<v6scope::v1::DomainReadinessResponse> AllDomainPages(
    const query::ReadinessQueries& readiness,
    v6scope::v1::DomainReadinessRequest request) {
  absl::StatusOr<v6scope::v1::DomainReadinessResponse> all =
      readiness.Domains(request);
  while (all.ok() && !all->next_page_token().empty()) {
    request.set_page_token(all->next_page_token());
    absl::StatusOr<v6scope::v1::DomainReadinessResponse> page =
        readiness.Domains(request);
    if (!page.ok()) return page.status();
    for (auto& d : *page->mutable_domains()) *all->add_domains() = std::move(d);
    all->set_next_page_token(page->next_page_token());
  }
  return all;
}

}  // namespace

Response GetServiceCampaigns(const query::Queries& queries,
                             const Request& req) {
  for (const auto& [name, value] : req.query) {
    return FailReply(absl::InvalidArgumentError(
        absl::StrCat("unknown parameter '", name, "'")));
  }
  absl::StatusOr<v6scope::v1::ListServiceCampaignsResponse> answer =
      queries.readiness().Campaigns();
  if (!answer.ok()) return Fail(answer.status());
  return JsonReply(*answer);
}

Response GetServiceShares(const query::Queries& queries, const Request& req) {
  using R = v6scope::v1::ServiceSharesRequest;
  using A = v6scope::v1::ServiceSharesResponse;
  return Serve<R, A>(
      req, api::ParseServiceSharesRequest,
      [&queries](const R& r) { return queries.readiness().Shares(r); },
      api::ServiceSharesExport, "shares");
}

Response GetServiceSeries(const query::Queries& queries, const Request& req) {
  using R = v6scope::v1::ServiceSeriesRequest;
  using A = v6scope::v1::ServiceSeriesResponse;
  return Serve<R, A>(
      req, api::ParseServiceSeriesRequest,
      [&queries](const R& r) { return queries.readiness().Series(r); },
      api::ServiceSeriesExport, "series");
}

Response GetServiceDomains(const query::Queries& queries, const Request& req) {
  using R = v6scope::v1::DomainReadinessRequest;
  using A = v6scope::v1::DomainReadinessResponse;
  const std::string* format = req.Query("format");
  const bool json =
      format == nullptr || absl::AsciiStrToLower(*format) == "json";
  return Serve<R, A>(
      req, api::ParseDomainReadinessRequest,
      [&queries, json](const R& r) -> absl::StatusOr<A> {
        if (json) return queries.readiness().Domains(r);
        return AllDomainPages(queries.readiness(), r);
      },
      api::DomainReadinessExport, "domains");
}

Response GetServiceChanges(const query::Queries& queries, const Request& req) {
  using R = v6scope::v1::ServiceChangesRequest;
  using A = v6scope::v1::ServiceChangesResponse;
  return Serve<R, A>(
      req, api::ParseServiceChangesRequest,
      [&queries](const R& r) { return queries.readiness().Changes(r); },
      api::ServiceChangesExport, "changes");
}

}  // namespace v6scope::collector::http
