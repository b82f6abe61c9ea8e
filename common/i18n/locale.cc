#include "common/i18n/locale.h"

#include <algorithm>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace v6scope::i18n {
namespace {

struct LangInfo {
  Lang lang;
  absl::string_view tag;
  absl::string_view native_name;
};

constexpr LangInfo kLangs[] = {
    {Lang::kAr, "ar", "العربية"}, {Lang::kZh, "zh", "中文"},
    {Lang::kEn, "en", "English"}, {Lang::kFr, "fr", "Français"},
    {Lang::kRu, "ru", "Русский"}, {Lang::kEs, "es", "Español"},
};

constexpr Lang kAll[] = {Lang::kAr, Lang::kZh, Lang::kEn,
                         Lang::kFr, Lang::kRu, Lang::kEs};

const LangInfo& Info(Lang lang) { return kLangs[static_cast<size_t>(lang)]; }

// The q-value of one range's parameters (";q=0.5"); 1 when absent,
// nullopt when malformed (the range is then ignored).
std::optional<double> QValue(absl::Span<const absl::string_view> params) {
  double q = 1.0;
  for (absl::string_view p : params) {
    p = absl::StripAsciiWhitespace(p);
    if (!absl::ConsumePrefix(&p, "q=") && !absl::ConsumePrefix(&p, "Q=")) {
      continue;
    }
    if (!absl::SimpleAtod(p, &q) || q < 0 || q > 1) return std::nullopt;
  }
  return q;
}

struct Range {
  double q;
  size_t order;
  std::optional<Lang> lang;  // nullopt for "*"
};

}  // namespace

absl::Span<const Lang> AllLangs() { return kAll; }

absl::string_view LangTag(Lang lang) { return Info(lang).tag; }

absl::string_view LangNativeName(Lang lang) { return Info(lang).native_name; }

Direction TextDirection(Lang lang) {
  return lang == Lang::kAr ? Direction::kRtl : Direction::kLtr;
}

absl::string_view DirAttr(Lang lang) {
  return TextDirection(lang) == Direction::kRtl ? "rtl" : "ltr";
}

std::optional<Lang> ParseLang(absl::string_view tag) {
  tag = absl::StripAsciiWhitespace(tag);
  const size_t end = tag.find_first_of("-_");
  const std::string primary = absl::AsciiStrToLower(tag.substr(0, end));
  // A subtag separator must be followed by something.
  if (end != absl::string_view::npos && end + 1 == tag.size()) {
    return std::nullopt;
  }
  for (const LangInfo& info : kLangs) {
    if (primary == info.tag) return info.lang;
  }
  return std::nullopt;
}

Lang NegotiateLang(absl::string_view accept_language) {
  std::vector<Range> ranges;
  for (absl::string_view item : absl::StrSplit(accept_language, ',')) {
    std::vector<absl::string_view> parts = absl::StrSplit(item, ';');
    const absl::string_view tag = absl::StripAsciiWhitespace(parts[0]);
    const std::optional<double> q =
        QValue(absl::MakeConstSpan(parts).subspan(1));
    if (tag.empty() || !q.has_value() || *q <= 0) continue;
    if (tag == "*") {
      ranges.push_back({*q, ranges.size(), std::nullopt});
    } else if (std::optional<Lang> lang = ParseLang(tag)) {
      ranges.push_back({*q, ranges.size(), lang});
    }
  }
  if (ranges.empty()) return kDefaultLang;
  std::stable_sort(ranges.begin(), ranges.end(),
                   [](const Range& a, const Range& b) { return a.q > b.q; });
  return ranges.front().lang.value_or(kDefaultLang);
}

Lang ChooseLang(absl::string_view query_lang,
                absl::string_view accept_language) {
  if (std::optional<Lang> lang = ParseLang(query_lang)) return *lang;
  return NegotiateLang(accept_language);
}

}  // namespace v6scope::i18n
