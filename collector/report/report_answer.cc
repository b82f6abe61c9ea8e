#include "collector/report/report_answer.h"

#include <optional>
#include <string>

#include "absl/strings/str_cat.h"
#include "collector/report/report_html.h"
#include "common/i18n/built_in_messages.h"
#include "common/i18n/locale.h"

namespace v6scope::collector::report {

absl::StatusOr<v6scope::v1::CountryReportResponse> AnswerCountryReport(
    const CountryReports& reports,
    const v6scope::v1::CountryReportRequest& request) {
  i18n::Lang lang = i18n::Lang::kEn;
  if (!request.lang().empty()) {
    const std::optional<i18n::Lang> asked = i18n::ParseLang(request.lang());
    if (!asked.has_value()) {
      return absl::InvalidArgumentError(
          absl::StrCat("lang: expected one of ar, en, es, fr, ru, zh, got '",
                       request.lang(), "'"));
    }
    lang = *asked;
  }
  absl::StatusOr<v6scope::v1::CountryReport> built = reports.Build(request);
  if (!built.ok()) return built.status();
  v6scope::v1::CountryReportResponse response;
  response.set_lang(std::string(i18n::LangTag(lang)));
  if (request.html()) {
    absl::StatusOr<const i18n::Messages*> messages = i18n::BuiltInMessages();
    if (!messages.ok()) return messages.status();
    response.set_html(RenderCountryReportHtml(*built, **messages, lang));
  }
  *response.mutable_report() = *std::move(built);
  return response;
}

}  // namespace v6scope::collector::report
