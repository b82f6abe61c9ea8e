// The strings ICU 72 (Debian 12) writes for each language. Special spaces
// are spelled out: U+00A0 no-break space, U+202F narrow no-break space,
// U+061C Arabic letter mark.
#include "common/i18n/format.h"

#include "gtest/gtest.h"

namespace v6scope::i18n {
namespace {

struct Expected {
  Lang lang;
  const char* number;    // Number(1234567.891, 1)
  const char* count;     // Count(1234567)
  const char* count4;    // Count(1234)
  const char* percent;   // Percent(0.123, 1)
  const char* range;     // PercentRange(0.101, 0.148, 1)
  const char* interval;  // Interval(0.123, 0.101, 0.148, 1)
  const char* day;       // Day(2023-11-14)
  const char* month;     // Month(2023-11)
};

const Expected kExpected[] = {
    {Lang::kEn, "1,234,567.9", "1,234,567", "1,234", "12.3%", "10.1–14.8%",
     "12.3% (10.1–14.8%)", "Nov 14, 2023", "November 2023"},
    {Lang::kFr, "1\u202f234\u202f567,9", "1\u202f234\u202f567", "1\u202f234",
     "12,3\u00a0%", "10,1–14,8\u00a0%", "12,3\u00a0% (10,1–14,8\u00a0%)",
     "14 nov. 2023", "novembre 2023"},
    {Lang::kEs, "1.234.567,9", "1.234.567", "1234", "12,3\u00a0%",
     "10,1-14,8\u00a0%", "12,3\u00a0% (10,1-14,8\u00a0%)", "14 nov 2023",
     "noviembre de 2023"},
    {Lang::kRu, "1\u00a0234\u00a0567,9", "1\u00a0234\u00a0567", "1\u00a0234",
     "12,3\u00a0%", "10,1–14,8\u00a0%", "12,3\u00a0% (10,1–14,8\u00a0%)",
     "14 нояб. 2023\u202fг.", "ноябрь 2023\u202fг."},
    {Lang::kZh, "1,234,567.9", "1,234,567", "1,234", "12.3%", "10.1-14.8%",
     "12.3%（10.1-14.8%）", "2023年11月14日", "2023年11月"},
    {Lang::kAr, "١٬٢٣٤٬٥٦٧٫٩", "١٬٢٣٤٬٥٦٧", "١٬٢٣٤", "١٢٫٣٪\u061c",
     "١٠٫١–١٤٫٨٪\u061c", "١٢٫٣٪\u061c (١٠٫١–١٤٫٨٪\u061c)", "١٤ نوفمبر ٢٠٢٣",
     "نوفمبر ٢٠٢٣"},
};

TEST(FormatTest, EachLanguageAsIcuWritesIt) {
  for (const Expected& e : kExpected) {
    SCOPED_TRACE(LangTag(e.lang));
    const Formatter& f = Formatter::For(e.lang);
    EXPECT_EQ(f.lang(), e.lang);
    EXPECT_EQ(f.Number(1234567.891, 1), e.number);
    EXPECT_EQ(f.Count(1234567), e.count);
    EXPECT_EQ(f.Count(1234), e.count4);
    EXPECT_EQ(f.Percent(0.123, 1), e.percent);
    EXPECT_EQ(f.PercentRange(0.101, 0.148, 1), e.range);
    EXPECT_EQ(f.Interval(0.123, 0.101, 0.148, 1), e.interval);
    EXPECT_EQ(f.Day(absl::CivilDay(2023, 11, 14)), e.day);
    EXPECT_EQ(f.Month(absl::CivilMonth(2023, 11)), e.month);
  }
}

TEST(FormatTest, Decimals) {
  const Formatter& en = Formatter::For(Lang::kEn);
  EXPECT_EQ(en.Percent(0.5, 0), "50%");
  EXPECT_EQ(en.Percent(0.12346, 2), "12.35%");
  EXPECT_EQ(en.Percent(1, 1), "100.0%");
  EXPECT_EQ(en.Number(2.5, 0), "2");  // half-even
  EXPECT_EQ(en.Number(3.5, 0), "4");
  EXPECT_EQ(en.Number(0.1, 3), "0.100");
  // Out-of-range decimals are clamped to 0..6.
  EXPECT_EQ(en.Number(1.5, -2), "2");
  EXPECT_EQ(en.Number(1.0, 9), "1.000000");
  EXPECT_EQ(en.Count(-42), "-42");
}

TEST(FormatTest, EqualEndsStayARange) {
  // Not ICU's "~10.0%", and the percent scaled once.
  EXPECT_EQ(Formatter::For(Lang::kEn).PercentRange(0.1, 0.1, 1), "10.0–10.0%");
  EXPECT_EQ(Formatter::For(Lang::kEn).Interval(0.1, 0.1, 0.1, 0),
            "10% (10–10%)");
}

TEST(FormatTest, DatesAreUtcDays) {
  EXPECT_EQ(Formatter::For(Lang::kEn).Day(absl::CivilDay(2024, 1, 1)),
            "Jan 1, 2024");
  EXPECT_EQ(Formatter::For(Lang::kFr).Month(absl::CivilMonth(2024, 2)),
            "février 2024");
  EXPECT_EQ(Formatter::For(Lang::kRu).Day(absl::CivilDay(2024, 3, 8)),
            "8 мар. 2024\u202fг.");
}

}  // namespace
}  // namespace v6scope::i18n
