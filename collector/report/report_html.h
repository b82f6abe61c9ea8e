// The printable page of a national progress report (docs/reports.md): one
// self-contained HTML document (inline style, no script, no external
// resource) in one of the six ITU languages, right to left for Arabic,
// laid out for A4 print as well as a screen, so that Chromium's
// --print-to-pdf makes the PDF from it.
//
// Every text comes from the message catalogues (common/i18n), numbers,
// percentages and dates are formatted for the language; every text taken
// from data (AS names, campaign names) is HTML-escaped.
#ifndef V6SCOPE_COLLECTOR_REPORT_REPORT_HTML_H_
#define V6SCOPE_COLLECTOR_REPORT_REPORT_HTML_H_

#include <functional>
#include <string>

#include "common/i18n/locale.h"
#include "common/i18n/messages.h"
#include "proto/query_service.pb.h"

namespace v6scope::collector::report {

std::string RenderCountryReportHtml(const v6scope::v1::CountryReport& report,
                                    const i18n::Messages& messages,
                                    i18n::Lang lang);

// The summary page of a region: the region's figures, then one row per
// member country linking to its report at `country_href(cc)`.
std::string RenderRegionReportHtml(
    const v6scope::v1::RegionReport& report, const i18n::Messages& messages,
    i18n::Lang lang,
    const std::function<std::string(const std::string& cc)>& country_href);

// `text` with &, <, >, " and ' replaced by entities.
std::string EscapeHtml(absl::string_view text);

}  // namespace v6scope::collector::report

#endif  // V6SCOPE_COLLECTOR_REPORT_REPORT_HTML_H_
