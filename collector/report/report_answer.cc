#include "collector/report/report_answer.h"

#include <optional>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "collector/report/report_html.h"
#include "common/i18n/built_in_messages.h"
#include "common/i18n/locale.h"

namespace v6scope::collector::report {

namespace {

// The page's language: English when `tag` is empty.
absl::StatusOr<i18n::Lang> LangOf(const std::string& tag) {
  if (tag.empty()) return i18n::Lang::kEn;
  const std::optional<i18n::Lang> asked = i18n::ParseLang(tag);
  if (!asked.has_value()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "lang: expected one of ar, en, es, fr, ru, zh, got '", tag, "'"));
  }
  return *asked;
}

}  // namespace

absl::StatusOr<v6scope::v1::CountryReportResponse> AnswerCountryReport(
    const Reports& reports, const v6scope::v1::CountryReportRequest& request) {
  absl::StatusOr<i18n::Lang> lang = LangOf(request.lang());
  if (!lang.ok()) return lang.status();
  absl::StatusOr<v6scope::v1::CountryReport> built = reports.Build(request);
  if (!built.ok()) return built.status();
  v6scope::v1::CountryReportResponse response;
  response.set_lang(std::string(i18n::LangTag(*lang)));
  if (request.html()) {
    absl::StatusOr<const i18n::Messages*> messages = i18n::BuiltInMessages();
    if (!messages.ok()) return messages.status();
    response.set_html(RenderCountryReportHtml(*built, **messages, *lang));
  }
  *response.mutable_report() = *std::move(built);
  return response;
}

absl::StatusOr<v6scope::v1::RegionReportResponse> AnswerRegionReport(
    const Reports& reports, const v6scope::v1::RegionReportRequest& request) {
  absl::StatusOr<i18n::Lang> lang = LangOf(request.lang());
  if (!lang.ok()) return lang.status();
  absl::StatusOr<v6scope::v1::RegionReport> built =
      reports.BuildRegion(request);
  if (!built.ok()) return built.status();
  v6scope::v1::RegionReportResponse response;
  response.set_lang(std::string(i18n::LangTag(*lang)));
  if (request.html()) {
    absl::StatusOr<const i18n::Messages*> messages = i18n::BuiltInMessages();
    if (!messages.ok()) return messages.status();
    const std::string pattern =
        request.country_link().empty()
            ? absl::StrCat("/report/{cc}?period=", built->period(),
                           "&lang=", response.lang())
            : request.country_link();
    response.set_html(RenderRegionReportHtml(
        *built, **messages, *lang, [&pattern](const std::string& cc) {
          return absl::StrReplaceAll(pattern, {{"{cc}", cc}});
        }));
  }
  *response.mutable_report() = *std::move(built);
  return response;
}

}  // namespace v6scope::collector::report
