// Numbers, counts, percentages, intervals and dates written the way each
// language writes them, by ICU with CLDR's data (Debian 12: ICU 72, CLDR
// 42). What ICU does is taken as it is, including:
//   - Arabic ("ar", no region) uses Arabic-Indic digits (١٢٫٣), ICU's
//     default numbering system for "ar"; percent signs carry an Arabic
//     letter mark (U+061C) so they stay beside their number in RTL text;
//   - French groups with a narrow no-break space (U+202F: 1 234 567) and
//     puts a no-break space (U+00A0) before '%';
//   - Russian groups with a no-break space (U+00A0);
//   - Spanish does not group four-digit numbers (1234, but 12.345);
//   - rounding is half-even (ICU's default): 0.125 at 2 decimals is 0.12;
//     a share is multiplied by 100 (in double) before it is rounded.
// The expected strings are in format_test.cc.
//
// Thread-safe: number formatters are immutable; the date formatters are
// used under a lock.
#ifndef V6SCOPE_COMMON_I18N_FORMAT_H_
#define V6SCOPE_COMMON_I18N_FORMAT_H_

#include <cstdint>
#include <memory>
#include <string>

#include "absl/time/civil_time.h"
#include "common/i18n/locale.h"

namespace v6scope::i18n {

class Formatter {
 public:
  // The formatter of `lang`, built on first use and kept for the process.
  static const Formatter& For(Lang lang);

  explicit Formatter(Lang lang);
  ~Formatter();
  Formatter(const Formatter&) = delete;
  Formatter& operator=(const Formatter&) = delete;

  Lang lang() const { return lang_; }

  // `x` with exactly `decimals` fraction digits (0..6), grouped.
  std::string Number(double x, int decimals) const;
  // An integer count, grouped: "1,234,567".
  std::string Count(int64_t n) const;
  // A share in [0, 1] as a percentage with `decimals` fraction digits:
  // Percent(0.123, 1) is "12.3%" in English, "12,3 %" in French.
  std::string Percent(double share, int decimals) const;
  // The range of two shares, the percent sign written once where the
  // language allows: "10.1–14.8%" (en), "10,1–14,8 %" (fr).
  std::string PercentRange(double low, double high, int decimals) const;
  // A share with its interval: "12.3% (10.1–14.8%)" (en), in each
  // language's punctuation (full-width parentheses in Chinese).
  std::string Interval(double share, double low, double high,
                       int decimals) const;
  // A day, medium length: "Nov 14, 2023" (en), "14 nov. 2023" (fr),
  // "2023年11月14日" (zh).
  std::string Day(absl::CivilDay day) const;
  // A month and year, as a heading: "November 2023" (en), "novembre 2023"
  // (fr), "ноябрь 2023 г." (ru, nominative).
  std::string Month(absl::CivilMonth month) const;

 private:
  struct Icu;
  Lang lang_;
  std::unique_ptr<Icu> icu_;
};

}  // namespace v6scope::i18n

#endif  // V6SCOPE_COMMON_I18N_FORMAT_H_
