#include "collector/http/report_page.h"

#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "collector/http/api_reply.h"
#include "collector/report/report_answer.h"
#include "common/i18n/locale.h"

namespace v6scope::collector::http {

using v6scope::http::Request;
using v6scope::http::Response;

namespace {

struct PageParams {
  std::string period;
  std::string lang;
  bool json = false;
};

absl::StatusOr<PageParams> ParsePageParams(const Request& req) {
  PageParams params;
  std::string lang_query;
  for (const auto& [name, value] : req.query) {
    if (name == "period") {
      params.period = value;
    } else if (name == "lang") {
      lang_query = value;
    } else if (name == "format") {
      if (value != "json" && value != "html") {
        return absl::InvalidArgumentError(
            absl::StrCat("format: expected html or json, got '", value, "'"));
      }
      params.json = value == "json";
    } else {
      return absl::InvalidArgumentError(
          absl::StrCat("unknown parameter '", name, "'"));
    }
  }
  const std::string* accept = req.Header("accept-language");
  params.lang = std::string(i18n::LangTag(
      i18n::ChooseLang(lang_query, accept == nullptr ? "" : *accept)));
  return params;
}

Response HtmlPage(const std::string& lang, std::string html) {
  Response page;
  page.content_type = "text/html; charset=utf-8";
  page.headers.push_back({"Content-Language", lang});
  page.headers.push_back({"Vary", "Accept-Language"});
  page.body = std::move(html);
  return page;
}

// One report as the page asked for it: the figures as JSON, or the HTML.
// `answer` is report::AnswerCountryReport or AnswerRegionReport.
template <typename ReportRequest, typename Reply>
Response ServeReport(const report::Reports& reports, ReportRequest request,
                     const PageParams& params,
                     absl::StatusOr<Reply> (*answer)(const report::Reports&,
                                                     const ReportRequest&)) {
  request.set_period(params.period);
  request.set_lang(params.lang);
  request.set_html(!params.json);
  absl::StatusOr<Reply> reply = answer(reports, request);
  if (!reply.ok()) return FailReply(reply.status());
  if (params.json) return JsonReply(reply->report());
  return HtmlPage(reply->lang(), std::move(*reply->mutable_html()));
}

}  // namespace

Response GetCountryReportPage(const report::Reports& reports,
                              const Request& req) {
  absl::string_view tail = req.path;
  absl::ConsumePrefix(&tail, kReportPathPrefix);
  const bool region = absl::ConsumePrefix(&tail, "region/");
  if (tail.empty() || tail.find('/') != absl::string_view::npos) {
    return FailReply(absl::NotFoundError(
        absl::StrCat("no report at ", req.path,
                     " (try /report/KE or /report/region/africa)")));
  }
  absl::StatusOr<PageParams> params = ParsePageParams(req);
  if (!params.ok()) return FailReply(params.status());
  if (region) {
    v6scope::v1::RegionReportRequest request;
    request.set_region(std::string(tail));
    return ServeReport(reports, request, *params, report::AnswerRegionReport);
  }
  v6scope::v1::CountryReportRequest request;
  request.set_country(std::string(tail));
  return ServeReport(reports, request, *params, report::AnswerCountryReport);
}

}  // namespace v6scope::collector::http
