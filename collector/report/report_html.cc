#include "collector/report/report_html.h"

#include <unicode/locid.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "common/i18n/format.h"
#include "common/i18n/locale.h"
#include "proto/readiness.pb.h"
#include "proto/results.pb.h"

namespace v6scope::collector::report {
namespace {

using v6scope::v1::CountryReport;
using v6scope::v1::GroupAggregate;

// Inline, so the page stands alone (saved, mailed, printed to PDF).
// Logical properties (inline-start) keep the layout right in Arabic.
constexpr char kStyle[] = R"css(
body{font-family:"Noto Sans","DejaVu Sans",sans-serif;margin:2em auto;
max-width:60em;padding:0 1em;color:#111;line-height:1.4}
h1{font-size:1.6em;margin-bottom:.2em}h2{font-size:1.25em;margin-top:1.6em;
border-bottom:1px solid #999}h3{font-size:1.05em}
table{border-collapse:collapse;margin:.5em 0;width:100%}
th,td{border:1px solid #ccc;padding:.25em .5em;text-align:start;
vertical-align:top;overflow-wrap:anywhere}
td.n{text-align:end;white-space:nowrap}
.note{color:#555;font-size:.9em}.bar{display:inline-block;height:.8em;
background:#2a7;vertical-align:middle}
dl{display:grid;grid-template-columns:max-content auto;gap:.2em 1em}
dt{font-weight:bold}dd{margin:0}dt,dd{min-width:0;overflow-wrap:anywhere}
@media (max-width:40em){table,tbody,tr,td{display:block;width:auto}
tr.head{display:none}tr{border:1px solid #ccc;margin:.4em 0}
td{border:0;border-top:1px solid #eee;white-space:normal}
td.n{text-align:start;white-space:normal}
td[data-label]::before{content:attr(data-label) ": ";font-weight:bold}
dl{grid-template-columns:auto}}
@media print{body{margin:0;max-width:none}h2{break-after:avoid}
table,dl{break-inside:avoid}}
)css";

std::string Esc(absl::string_view text) { return EscapeHtml(text); }

class Page {
 public:
  Page(const i18n::Messages& messages, i18n::Lang lang)
      : messages_(messages), lang_(lang), f_(i18n::Formatter::For(lang)) {}

  // The message, as text (for an argument of another message).
  std::string Raw(absl::string_view key, const i18n::Args& args = {}) const {
    return messages_.Text(lang_, key, args);
  }
  // The message, HTML-escaped after formatting (arguments taken from
  // data, such as a campaign's name, are escaped with it).
  std::string T(absl::string_view key, const i18n::Args& args = {}) const {
    return Esc(Raw(key, args));
  }
  const i18n::Formatter& f() const { return f_; }
  i18n::Lang lang() const { return lang_; }

  // Unescaped (an argument of a message): ICU's name of the country in
  // the language, else `english` (the table's).
  std::string CountryName(const std::string& cc,
                          const std::string& english) const {
    icu::UnicodeString name;
    icu::Locale("", cc.c_str())
        .getDisplayCountry(icu::Locale(std::string(LangTag(lang_)).c_str()),
                           name);
    std::string utf8;
    name.toUTF8String(utf8);
    return utf8.empty() || utf8 == cc ? english : utf8;
  }

  // Unescaped: the name of a group slug (an ITU region, a development
  // group, "global" or an RIR, whose name is the same in every language).
  std::string GroupName(const std::string& slug) const {
    if (slug == "global" || slug == "ldc" || slug == "lldc" || slug == "sids") {
      return Raw(absl::StrCat("group.", slug));
    }
    if (slug == "afrinic" || slug == "apnic" || slug == "arin" ||
        slug == "lacnic") {
      return absl::AsciiStrToUpper(slug);
    }
    if (slug == "ripencc") return "RIPE NCC";
    return Raw(absl::StrCat("region.", slug));
  }

  // "2023-11-14" in the language; the text itself if it is no date.
  std::string Date(const std::string& ymd) const {
    absl::CivilDay day;
    if (!absl::ParseCivilTime(ymd, &day)) return Esc(ymd);
    return Esc(f_.Day(day));
  }

  std::string ShareCell(const v6scope::v1::Share& s) const {
    return Esc(f_.Interval(s.value(), s.ci_low(), s.ci_high(), 1));
  }

 private:
  const i18n::Messages& messages_;
  const i18n::Lang lang_;
  const i18n::Formatter& f_;
};

absl::CivilMonth MonthOf(const google::protobuf::Timestamp& t) {
  return absl::ToCivilMonth(absl::FromUnixSeconds(t.seconds()),
                            absl::UTCTimeZone());
}

std::string LowerName(absl::string_view enum_name) {
  return absl::AsciiStrToLower(enum_name);
}

// One table row. With `labels` (the table's column heads, escaped), each
// cell carries its head as data-label: on a phone the style lays each row
// out as a card of "head: value" lines instead of a table too wide.
void Row(std::string* out, const std::vector<std::string>& cells,
         const std::vector<bool>& numeric = {},
         const std::vector<std::string>* labels = nullptr) {
  out->append("<tr>");
  for (size_t i = 0; i < cells.size(); ++i) {
    const bool n = i < numeric.size() && numeric[i];
    out->append(n ? "<td class=\"n\"" : "<td");
    if (labels != nullptr && i < labels->size() && !(*labels)[i].empty()) {
      absl::StrAppend(out, " data-label=\"", (*labels)[i], "\"");
    }
    absl::StrAppend(out, ">", cells[i], "</td>");
  }
  out->append("</tr>\n");
}

// The head row; returns the heads for Row's labels.
std::vector<std::string> Head(std::string* out,
                              std::vector<std::string> cells) {
  out->append("<tr class=\"head\">");
  for (const std::string& c : cells) absl::StrAppend(out, "<th>", c, "</th>");
  out->append("</tr>\n");
  return cells;
}

void Allocations(const Page& p, const CountryReport& r, std::string* out) {
  absl::StrAppend(out, "<section id=\"allocations\"><h2>",
                  p.T("section.rir_allocations"), "</h2>\n");
  if (!r.has_allocations()) {
    absl::StrAppend(out, "<p>", p.T("label.no_data"), "</p>\n");
    for (const std::string& note : r.allocation_notes()) {
      absl::StrAppend(out, "<p class=\"note\">", Esc(note), "</p>\n");
    }
    out->append("</section>\n");
    return;
  }
  const v6scope::v1::CountryAllocations& a = r.allocations();
  absl::StrAppend(out, "<p>", p.T("rir.allocations", {{"n", a.delegations()}}),
                  "</p>\n<dl><dt>", p.T("rir.slash32_equivalents"), "</dt><dd>",
                  Esc(p.f().Number(a.slash32_equivalents(), 2)), "</dd><dt>",
                  p.T("rir.first_allocation"), "</dt><dd>",
                  p.Date(a.first_date()), "</dd><dt>",
                  p.T("rir.latest_allocation"), "</dt><dd>",
                  p.Date(a.latest_date()), "</dd></dl>\n");
  const v6scope::v1::AllocationSeries& s = r.allocation_series();
  if (s.years_size() > 0) {
    double most = 0;
    for (const auto& y : s.years()) {
      most = std::max(most, y.slash32_equivalents_total());
    }
    out->append("<table class=\"years\">\n");
    const std::vector<std::string> heads =
        Head(out, {p.T("label.year"), p.T("rir.made_in_year"),
                   p.T("rir.slash32_equivalents"), p.T("label.total"), ""});
    for (const auto& y : s.years()) {
      const double width =
          most > 0 ? 8.0 * y.slash32_equivalents_total() / most : 0;
      Row(out,
          {Esc(absl::StrCat(y.year())), Esc(p.f().Count(y.v6_delegations())),
           Esc(p.f().Number(y.slash32_equivalents(), 2)),
           Esc(p.f().Number(y.slash32_equivalents_total(), 2)),
           absl::StrFormat("<span class=\"bar\" style=\"width:%.2fem\">"
                           "</span>",
                           width)},
          {false, true, true, true, false}, &heads);
    }
    out->append("</table>\n");
  }
  for (const std::string& note : r.allocation_notes()) {
    absl::StrAppend(out, "<p class=\"note\">", Esc(note), "</p>\n");
  }
  out->append("</section>\n");
}

void CapabilityFigures(const Page& p, uint32_t min_probes,
                       const GroupAggregate& g, std::string* out) {
  // Two phrases, no comma: the list separator is the language's (",",
  // "،", "、"), a middle dot is read alike in all six.
  absl::StrAppend(out, "<p>", p.T("count.probes", {{"n", g.probes()}}), " · ",
                  p.T("count.runs", {{"n", g.runs()}}), "</p>\n");
  if (g.insufficient_data()) {
    absl::StrAppend(out, "<p>", p.T("label.insufficient", {{"k", min_probes}}),
                    "</p>\n");
    return;
  }
  absl::StrAppend(out, "<dl class=\"capability\"><dt>", p.T("label.capable"),
                  "</dt><dd>", p.ShareCell(g.v6_capable()), "</dd><dt>",
                  p.T("label.preferred"), "</dt><dd>",
                  p.ShareCell(g.v6_preferred()), "</dd><dt>",
                  p.T("label.broken"), "</dt><dd>", p.ShareCell(g.v6_broken()),
                  "</dd></dl>\n");
  if (g.causes_size() > 0) {
    absl::StrAppend(out, "<h3>", p.T("label.root_causes"), "</h3><table>\n");
    for (const auto& c : g.causes()) {
      Row(out,
          {p.T(absl::StrCat("cause.",
                            LowerName(v6scope::v1::RootCause_Name(c.cause())))),
           Esc(p.f().Count(c.probes())), p.ShareCell(c.share())},
          {false, true, true});
    }
    out->append("</table>\n");
  }
}

void Networks(const Page& p, const CountryReport& r, std::string* out) {
  absl::StrAppend(out, "<section id=\"networks\"><h2>",
                  p.T("section.network_capability"), "</h2>\n");
  if (!r.has_network()) {
    absl::StrAppend(out, "<p>", p.T("label.no_data"), "</p></section>\n");
    return;
  }
  CapabilityFigures(p, r.min_probes(), r.network(), out);
  if (r.largest_networks_size() > 0) {
    absl::StrAppend(out, "<h3>", p.T("label.largest_networks"), "</h3>",
                    "<p class=\"note\">",
                    p.T("count.networks", {{"n", r.networks_measured()}}),
                    "</p><table class=\"networks\">\n");
    const std::vector<std::string> heads =
        Head(out, {p.T("label.asn"), p.T("label.network"), p.T("label.probes"),
                   p.T("label.capable"), p.T("label.broken")});
    for (const GroupAggregate& g : r.largest_networks()) {
      const bool shown = !g.insufficient_data();
      Row(out,
          {Esc(absl::StrCat("AS", g.key())), Esc(g.name()),
           Esc(p.f().Count(g.probes())),
           shown ? p.ShareCell(g.v6_capable()) : "—",
           shown ? p.ShareCell(g.v6_broken()) : "—"},
          {false, false, true, true, true}, &heads);
    }
    out->append("</table>\n");
  }
  absl::StrAppend(out, "<p class=\"note\">", p.T("label.interval_note"),
                  "</p></section>\n");
}

void ServiceCell(const Page& p, const CountryReport& r,
                 const v6scope::v1::ServiceShareCell& c,
                 const std::vector<std::string>& heads, std::string* out) {
  const std::string sector = p.T(absl::StrCat("sector.", c.sector()));
  const std::string service = p.T(absl::StrCat("service.", c.service()));
  if (c.withheld()) {
    Row(out,
        {sector, service, Esc(p.f().Count(c.domains())),
         p.T("label.withheld", {{"k", r.min_networks()}}), ""},
        {false, false, true, false, false}, &heads);
    return;
  }
  std::string serving = "—";
  std::vector<std::string> others;
  for (const auto& s : c.shares()) {
    if (s.state() == v6scope::v1::SERVING_V6) {
      serving = Esc(p.f().Interval(s.value(), s.ci_low(), s.ci_high(), 1));
    } else if (s.domains() > 0) {
      // "term: value" with the language's punctuation ("terme : valeur").
      others.push_back(p.T(
          "label.term_value",
          {{"term", p.Raw(absl::StrCat(
                        "state.",
                        LowerName(v6scope::v1::ServiceState_Name(s.state()))))},
           {"value", p.f().Percent(s.value(), 1)}}));
    }
  }
  Row(out,
      {sector, service, Esc(p.f().Count(c.domains())), serving,
       absl::StrJoin(others, "<br>")},
      {false, false, true, true, false}, &heads);
}

void Services(const Page& p, const CountryReport& r, std::string* out) {
  absl::StrAppend(out, "<section id=\"services\"><h2>",
                  p.T("section.service_readiness"), "</h2>\n");
  if (r.campaigns_size() == 0) {
    absl::StrAppend(out, "<p>", p.T("report.no_campaigns"), "</p></section>\n");
    return;
  }
  for (const auto& campaign : r.campaigns()) {
    absl::StrAppend(out, "<h3>",
                    p.T("label.campaign_round", {{"campaign", campaign.name()},
                                                 {"round", campaign.round()}}),
                    "</h3><table class=\"services\">\n");
    const std::vector<std::string> heads = Head(
        out, {p.T("label.sector"), p.T("label.service"), p.T("label.domains"),
              p.T("state.serving_v6"), p.T("label.other_states")});
    for (const auto& cell : campaign.cells()) {
      ServiceCell(p, r, cell, heads, out);
    }
    out->append("</table>\n");
  }
  out->append("</section>\n");
}

void Trend(const Page& p, const CountryReport& r, std::string* out) {
  absl::StrAppend(out, "<section id=\"trend\"><h2>", p.T("section.trend"),
                  "</h2>\n");
  std::vector<const GroupAggregate*> months;
  if (r.has_previous_network()) months.push_back(&r.previous_network());
  if (r.has_network()) months.push_back(&r.network());
  if (!months.empty()) {
    out->append("<table class=\"trend\">\n");
    const std::vector<std::string> heads =
        Head(out, {"", p.T("label.probes"), p.T("label.capable"),
                   p.T("label.preferred"), p.T("label.broken")});
    for (const GroupAggregate* g : months) {
      const bool shown = !g->insufficient_data();
      Row(out,
          {Esc(p.f().Month(MonthOf(g->window_start()))),
           Esc(p.f().Count(g->probes())),
           shown ? p.ShareCell(g->v6_capable()) : "—",
           shown ? p.ShareCell(g->v6_preferred()) : "—",
           shown ? p.ShareCell(g->v6_broken()) : "—"},
          {false, true, true, true, true}, &heads);
    }
    out->append("</table>\n");
  }
  for (const auto& campaign : r.campaigns()) {
    for (const auto& change : campaign.changes()) {
      if (change.previous_round() == 0) continue;
      absl::StrAppend(
          out, "<p>", Esc(campaign.name()), " — ",
          p.T("label.term_value",
              {{"term", p.Raw(absl::StrCat("service.", change.service()))},
               {"value", p.Raw("trend.gained", {{"n", change.gained()}})}}),
          " · ", p.T("trend.lost", {{"n", change.lost()}}), "</p>\n");
    }
  }
  if (months.empty()) absl::StrAppend(out, "<p>", p.T("label.no_data"), "</p>");
  out->append("</section>\n");
}

void Standings(const Page& p, const CountryReport& r, std::string* out) {
  absl::StrAppend(out, "<section id=\"standing\"><h2>",
                  p.T("section.regional_standing"), "</h2>\n");
  for (const auto& s : r.standings()) {
    absl::StrAppend(out, "<h3>", p.T(absl::StrCat("metric.", s.metric())),
                    "</h3>\n");
    if (s.groups_size() == 0) {
      absl::StrAppend(out, "<p>", p.T("label.no_data"), "</p>\n");
      continue;
    }
    const bool share = s.metric() == "v6_capable";
    const auto value = [&](double v) {
      return Esc(share ? p.f().Percent(v, 1) : p.f().Number(v, 2));
    };
    absl::StrAppend(out, "<p>", value(s.value()), "</p><table>\n");
    for (const auto& g : s.groups()) {
      const bool region =
          g.group() != "ldc" && g.group() != "lldc" && g.group() != "sids";
      const std::string group =
          p.Raw(absl::StrCat(region ? "region." : "group.", g.group()));
      Row(out,
          {p.T("standing.rank",
               {{"rank", g.rank()}, {"total", g.members()}, {"group", group}}),
           absl::StrCat(p.T("standing.median", {{"group", group}}), ": ",
                        value(g.median()))},
          {false, true});
    }
    out->append("</table>\n");
  }
  out->append("</section>\n");
}

void Provenance(const Page& p, const CountryReport& r, std::string* out) {
  absl::StrAppend(out, "<section id=\"provenance\"><h2>",
                  p.T("section.provenance"), "</h2><dl>\n");
  const auto item = [&](const std::string& term, const std::string& value) {
    absl::StrAppend(out, "<dt>", term, "</dt><dd>", value, "</dd>\n");
  };
  const GroupAggregate& g = r.network();
  item(p.T("label.probes"), Esc(p.f().Count(g.probes())));
  item(p.T("label.runs"), Esc(p.f().Count(g.runs())));
  item(p.T("label.methodology_version"), Esc(r.methodology_version()));
  item(p.T("label.k_threshold"), Esc(p.f().Count(r.min_probes())));
  if (!r.readiness_methodology_version().empty()) {
    item(p.T("label.readiness_methodology"),
         Esc(r.readiness_methodology_version()));
  }
  item(p.T("label.readiness_k"), Esc(p.f().Count(r.min_networks())));
  item(p.T("label.dataset_versions"), Esc(r.datasets()));
  out->append("</dl></section>\n");
}

// The document up to <main>: language and direction, style, the title
// (report.title of `subject`), the period and the date of generation.
void Open(const Page& p, const std::string& subject,
          const google::protobuf::Timestamp& period_start,
          const google::protobuf::Timestamp& generated_at, std::string* out) {
  absl::StrAppend(out, "<!DOCTYPE html>\n<html lang=\"", LangTag(p.lang()),
                  "\" dir=\"", i18n::DirAttr(p.lang()),
                  "\">\n<head><meta charset=\"utf-8\">\n",
                  "<meta name=\"viewport\" content=\"width=device-width, "
                  "initial-scale=1\">\n<title>",
                  p.T("report.title", {{"country", subject}}),
                  "</title>\n<style>", kStyle, "</style></head>\n<body>\n");
  absl::StrAppend(out, "<header><h1>",
                  p.T("report.title", {{"country", subject}}), "</h1>\n");
  const absl::CivilMonth month = MonthOf(period_start);
  const absl::CivilDay last_day = absl::CivilDay(month + 1) - 1;
  const absl::CivilDay now_day = absl::ToCivilDay(
      absl::FromUnixSeconds(generated_at.seconds()), absl::UTCTimeZone());
  absl::StrAppend(
      out, "<p>",
      p.T("report.period", {{"start", p.f().Day(absl::CivilDay(month))},
                            {"end", p.f().Day(std::min(last_day, now_day))}}),
      "</p>\n<p class=\"note\">",
      p.T("report.generated", {{"date", p.f().Day(now_day)}}),
      "</p></header>\n<main>\n");
}

}  // namespace

std::string EscapeHtml(absl::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string RenderCountryReportHtml(const CountryReport& report,
                                    const i18n::Messages& messages,
                                    i18n::Lang lang) {
  const Page p(messages, lang);
  std::string out;
  Open(p, p.CountryName(report.country(), report.country_name()),
       report.period_start(), report.generated_at(), &out);
  Allocations(p, report, &out);
  Networks(p, report, &out);
  Services(p, report, &out);
  Trend(p, report, &out);
  Standings(p, report, &out);
  Provenance(p, report, &out);
  out.append("</main>\n</body>\n</html>\n");
  return out;
}

std::string RenderRegionReportHtml(
    const v6scope::v1::RegionReport& report, const i18n::Messages& messages,
    i18n::Lang lang,
    const std::function<std::string(const std::string& cc)>& country_href) {
  const Page p(messages, lang);
  std::string out;
  Open(p, p.GroupName(report.region()), report.period_start(),
       report.generated_at(), &out);
  absl::StrAppend(&out, "<section id=\"networks\"><h2>",
                  p.T("section.network_capability"), "</h2>\n");
  if (report.has_network()) {
    CapabilityFigures(p, report.min_probes(), report.network(), &out);
  } else {
    absl::StrAppend(&out, "<p>", p.T("label.no_data"), "</p>\n");
  }
  int measured = 0;
  for (const auto& row : report.countries()) measured += row.has_network();
  absl::StrAppend(&out, "</section>\n<section id=\"countries\"><h2>",
                  p.T("section.countries"), "</h2>\n<p class=\"note\">",
                  p.T("count.countries_measured", {{"n", measured}}),
                  "</p>\n<table class=\"countries\">\n");
  const std::vector<std::string> heads = Head(
      &out, {p.T("label.country"), p.T("label.probes"), p.T("label.capable"),
             p.T("label.preferred"), p.T("label.broken"),
             p.T("rir.slash32_equivalents"), p.T("rir.first_allocation")});
  for (const auto& row : report.countries()) {
    const v6scope::v1::GroupAggregate& g = row.network();
    const bool shown = row.has_network() && !g.insufficient_data();
    const std::string dash = "—";
    Row(&out,
        {absl::StrCat("<a href=\"", Esc(country_href(row.country())), "\">",
                      Esc(p.CountryName(row.country(), row.country_name())),
                      "</a>"),
         row.has_network() ? Esc(p.f().Count(g.probes())) : dash,
         shown ? p.ShareCell(g.v6_capable()) : dash,
         shown ? p.ShareCell(g.v6_preferred()) : dash,
         shown ? p.ShareCell(g.v6_broken()) : dash,
         row.has_allocations()
             ? Esc(p.f().Number(row.allocations().slash32_equivalents(), 2))
             : (row.allocations_note().empty() ? "0" : dash),
         row.has_allocations() ? p.Date(row.allocations().first_date()) : dash},
        {false, true, true, true, true, true, false}, &heads);
  }
  absl::StrAppend(&out, "</table>\n<p class=\"note\">",
                  p.T("label.interval_note"), " ",
                  p.T("label.insufficient", {{"k", report.min_probes()}}),
                  ": —</p></section>\n");
  absl::StrAppend(&out, "<section id=\"provenance\"><h2>",
                  p.T("section.provenance"), "</h2><dl>\n<dt>",
                  p.T("label.methodology_version"), "</dt><dd>",
                  Esc(report.methodology_version()), "</dd>\n<dt>",
                  p.T("label.k_threshold"), "</dt><dd>",
                  Esc(p.f().Count(report.min_probes())), "</dd>\n<dt>",
                  p.T("label.dataset_versions"), "</dt><dd>",
                  Esc(report.datasets()), "</dd>\n</dl></section>\n");
  out.append("</main>\n</body>\n</html>\n");
  return out;
}

}  // namespace v6scope::collector::report
