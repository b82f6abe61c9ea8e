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

Response GetCountryReportPage(const report::CountryReports& reports,
                              const Request& req) {
  absl::string_view country = req.path;
  if (!absl::ConsumePrefix(&country, kReportPathPrefix) ||
      country.find('/') != absl::string_view::npos) {
    return FailReply(absl::NotFoundError(
        absl::StrCat("no report at ", req.path, " (try /report/KE)")));
  }
  v6scope::v1::CountryReportRequest request;
  request.set_country(std::string(country));
  std::string lang_query;
  bool json = false;
  for (const auto& [name, value] : req.query) {
    if (name == "period") {
      request.set_period(value);
    } else if (name == "lang") {
      lang_query = value;
    } else if (name == "format") {
      if (value != "json" && value != "html") {
        return FailReply(absl::InvalidArgumentError(absl::StrCat(
            "format: expected html or json, got '", value, "'")));
      }
      json = value == "json";
    } else {
      return FailReply(absl::InvalidArgumentError(
          absl::StrCat("unknown parameter '", name, "'")));
    }
  }
  const std::string* accept = req.Header("accept-language");
  request.set_lang(std::string(i18n::LangTag(
      i18n::ChooseLang(lang_query, accept == nullptr ? "" : *accept))));
  request.set_html(!json);
  absl::StatusOr<v6scope::v1::CountryReportResponse> answer =
      report::AnswerCountryReport(reports, request);
  if (!answer.ok()) return FailReply(answer.status());
  if (json) return JsonReply(answer->report());
  Response page;
  page.content_type = "text/html; charset=utf-8";
  page.headers.push_back({"Content-Language", answer->lang()});
  page.headers.push_back({"Vary", "Accept-Language"});
  page.body = std::move(*answer->mutable_html());
  return page;
}

}  // namespace v6scope::collector::http
