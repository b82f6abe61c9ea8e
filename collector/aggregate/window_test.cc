#include "collector/aggregate/window.h"

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"

namespace v6scope::collector::aggregate {
namespace {

absl::Time Utc(int y, int m, int d, int hh = 0, int mm = 0, int ss = 0) {
  return absl::FromCivil(absl::CivilSecond(y, m, d, hh, mm, ss),
                         absl::UTCTimeZone());
}

TEST(WindowTest, DayIsTheUtcCalendarDay) {
  EXPECT_EQ(WindowStart(WindowKind::kDay, Utc(2026, 11, 29, 23, 59, 59)),
            Utc(2026, 11, 29));
  EXPECT_EQ(WindowStart(WindowKind::kDay, Utc(2026, 11, 30)),
            Utc(2026, 11, 30));
  // 23:30 in UTC-05:00 is already the next UTC day.
  const absl::Time evening_in_new_york =
      absl::FromCivil(absl::CivilSecond(2026, 11, 29, 23, 30, 0),
                      absl::FixedTimeZone(-5 * 3600));
  EXPECT_EQ(WindowStart(WindowKind::kDay, evening_in_new_york),
            Utc(2026, 11, 30));
  EXPECT_EQ(WindowEnd(WindowKind::kDay, Utc(2026, 12, 31)), Utc(2027, 1, 1));
}

TEST(WindowTest, WeekStartsMondayAsInIso8601) {
  // 2026-11-29 is a Sunday: its week began Monday 2026-11-23.
  EXPECT_EQ(WindowStart(WindowKind::kWeek, Utc(2026, 11, 29, 23, 59, 59)),
            Utc(2026, 11, 23));
  EXPECT_EQ(WindowStart(WindowKind::kWeek, Utc(2026, 11, 30)),
            Utc(2026, 11, 30));
  EXPECT_EQ(WindowStart(WindowKind::kWeek, Utc(2026, 11, 23)),
            Utc(2026, 11, 23));
  // Across a year boundary: 2027-01-01 is a Friday.
  EXPECT_EQ(WindowStart(WindowKind::kWeek, Utc(2027, 1, 1, 12)),
            Utc(2026, 12, 28));
  EXPECT_EQ(WindowEnd(WindowKind::kWeek, Utc(2026, 12, 28)), Utc(2027, 1, 4));
}

TEST(WindowTest, MonthIsTheUtcCalendarMonth) {
  EXPECT_EQ(WindowStart(WindowKind::kMonth, Utc(2028, 2, 29, 13)),
            Utc(2028, 2, 1));
  EXPECT_EQ(WindowEnd(WindowKind::kMonth, Utc(2028, 2, 1)), Utc(2028, 3, 1));
  EXPECT_EQ(WindowEnd(WindowKind::kMonth, Utc(2026, 12, 1)), Utc(2027, 1, 1));
  EXPECT_EQ(PreviousWindowStart(WindowKind::kMonth, Utc(2027, 1, 1)),
            Utc(2026, 12, 1));
}

TEST(WindowTest, PreviousWindow) {
  EXPECT_EQ(PreviousWindowStart(WindowKind::kDay, Utc(2026, 3, 1)),
            Utc(2026, 2, 28));
  EXPECT_EQ(PreviousWindowStart(WindowKind::kWeek, Utc(2026, 11, 30)),
            Utc(2026, 11, 23));
}

TEST(WindowTest, NamesRoundTrip) {
  for (WindowKind kind : kAllWindowKinds) {
    EXPECT_EQ(ParseWindowKind(WindowKindName(kind)), kind);
  }
  EXPECT_EQ(ParseWindowKind("MONTH"), WindowKind::kMonth);
  EXPECT_EQ(ParseWindowKind("year"), std::nullopt);
}

}  // namespace
}  // namespace v6scope::collector::aggregate
