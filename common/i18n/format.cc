#include "common/i18n/format.h"

#include <unicode/datefmt.h>
#include <unicode/locid.h>
#include <unicode/numberformatter.h>
#include <unicode/numberrangeformatter.h>
#include <unicode/timezone.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <array>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace v6scope::i18n {
namespace {

namespace number = icu::number;

constexpr int kMaxDecimals = 6;

int ClampDecimals(int decimals) {
  return std::clamp(decimals, 0, kMaxDecimals);
}

std::string Utf8(const icu::UnicodeString& s) {
  std::string out;
  s.toUTF8String(out);
  return out;
}

// The percent formatter takes percent values (12.3, not 0.123): ICU 72's
// range formatter applies a scale twice when both ends are equal.
number::UnlocalizedNumberFormatter PercentSettings(int decimals) {
  return number::NumberFormatter::with()
      .unit(icu::NoUnit::percent())
      .precision(number::Precision::fixedFraction(decimals));
}

std::unique_ptr<icu::DateFormat> DateFormatFor(const icu::Locale& locale,
                                               const char* skeleton) {
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<icu::DateFormat> f(icu::DateFormat::createInstanceForSkeleton(
      icu::UnicodeString(skeleton), locale, status));
  if (U_FAILURE(status)) return nullptr;
  f->adoptTimeZone(icu::TimeZone::getGMT()->clone());
  return f;
}

}  // namespace

struct Formatter::Icu {
  icu::Locale locale;
  std::array<number::LocalizedNumberFormatter, kMaxDecimals + 1> number;
  std::array<number::LocalizedNumberFormatter, kMaxDecimals + 1> percent;
  // Both ends rounded alike; the unit collapsed (written once) and equal
  // ends still shown as a range, never as ICU's "~12.3%".
  std::array<number::LocalizedNumberRangeFormatter, kMaxDecimals + 1> range;
  number::LocalizedNumberFormatter count;
  absl::Mutex mu;  // DateFormat::format is not safe to share
  std::unique_ptr<icu::DateFormat> day ABSL_GUARDED_BY(mu);
  std::unique_ptr<icu::DateFormat> month ABSL_GUARDED_BY(mu);
};

const Formatter& Formatter::For(Lang lang) {
  // Built once each, never destroyed (formatting may run during exit).
  static const auto* const kAll = [] {
    auto* all = new std::array<const Formatter*, 6>();
    for (Lang l : AllLangs()) (*all)[static_cast<size_t>(l)] = new Formatter(l);
    return all;
  }();
  return *(*kAll)[static_cast<size_t>(lang)];
}

Formatter::Formatter(Lang lang) : lang_(lang), icu_(std::make_unique<Icu>()) {
  icu_->locale = icu::Locale(std::string(LangTag(lang)).c_str());
  const icu::Locale& loc = icu_->locale;
  for (int d = 0; d <= kMaxDecimals; ++d) {
    icu_->number[d] = number::NumberFormatter::withLocale(loc).precision(
        number::Precision::fixedFraction(d));
    icu_->percent[d] = PercentSettings(d).locale(loc);
    icu_->range[d] = number::NumberRangeFormatter::withLocale(loc)
                         .numberFormatterBoth(PercentSettings(d))
                         .collapse(UNUM_RANGE_COLLAPSE_UNIT)
                         .identityFallback(UNUM_IDENTITY_FALLBACK_RANGE);
  }
  icu_->count = number::NumberFormatter::withLocale(loc).precision(
      number::Precision::integer());
  absl::MutexLock lock(&icu_->mu);
  icu_->day = DateFormatFor(loc, "yMMMd");
  icu_->month = DateFormatFor(loc, "yMMMM");
}

Formatter::~Formatter() = default;

// Each formatter falls back to plain C formatting if ICU reports an error
// (it does not for these locales; a page must still render if it did).
std::string Formatter::Number(double x, int decimals) const {
  const int d = ClampDecimals(decimals);
  UErrorCode status = U_ZERO_ERROR;
  const icu::UnicodeString s =
      icu_->number[d].formatDouble(x, status).toString(status);
  return U_SUCCESS(status) ? Utf8(s) : absl::StrFormat("%.*f", d, x);
}

std::string Formatter::Count(int64_t n) const {
  UErrorCode status = U_ZERO_ERROR;
  const icu::UnicodeString s =
      icu_->count.formatInt(n, status).toString(status);
  return U_SUCCESS(status) ? Utf8(s) : absl::StrCat(n);
}

std::string Formatter::Percent(double share, int decimals) const {
  const int d = ClampDecimals(decimals);
  UErrorCode status = U_ZERO_ERROR;
  const icu::UnicodeString s =
      icu_->percent[d].formatDouble(share * 100, status).toString(status);
  return U_SUCCESS(status) ? Utf8(s)
                           : absl::StrFormat("%.*f%%", d, share * 100);
}

std::string Formatter::PercentRange(double low, double high,
                                    int decimals) const {
  const int d = ClampDecimals(decimals);
  UErrorCode status = U_ZERO_ERROR;
  const icu::UnicodeString s =
      icu_->range[d]
          .formatFormattableRange(low * 100, high * 100, status)
          .toString(status);
  return U_SUCCESS(status)
             ? Utf8(s)
             : absl::StrFormat("%.*f–%.*f%%", d, low * 100, d, high * 100);
}

std::string Formatter::Interval(double share, double low, double high,
                                int decimals) const {
  const std::string value = Percent(share, decimals);
  const std::string range = PercentRange(low, high, decimals);
  // Chinese sets the interval in full-width parentheses, with no space.
  if (lang_ == Lang::kZh) return absl::StrCat(value, "（", range, "）");
  return absl::StrCat(value, " (", range, ")");
}

std::string Formatter::Day(absl::CivilDay day) const {
  const UDate at = static_cast<UDate>(
      absl::ToUnixMillis(absl::FromCivil(day, absl::UTCTimeZone())));
  icu::UnicodeString s;
  absl::MutexLock lock(&icu_->mu);
  if (icu_->day == nullptr) return absl::FormatCivilTime(day);
  return Utf8(icu_->day->format(at, s));
}

std::string Formatter::Month(absl::CivilMonth month) const {
  const UDate at = static_cast<UDate>(absl::ToUnixMillis(
      absl::FromCivil(absl::CivilDay(month), absl::UTCTimeZone())));
  icu::UnicodeString s;
  absl::MutexLock lock(&icu_->mu);
  if (icu_->month == nullptr) return absl::FormatCivilTime(month);
  return Utf8(icu_->month->format(at, s));
}

}  // namespace v6scope::i18n
