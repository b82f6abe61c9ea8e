#include "common/metrics/exposition.h"

#include <cmath>
#include <cstdlib>
#include <limits>

#include "gtest/gtest.h"

namespace v6scope::metrics {
namespace {

TEST(FormatValueTest, IntegersAreExact) {
  EXPECT_EQ(FormatValue(0), "0");
  EXPECT_EQ(FormatValue(-0.0), "0");
  EXPECT_EQ(FormatValue(7), "7");
  EXPECT_EQ(FormatValue(-3), "-3");
  EXPECT_EQ(FormatValue(999999), "999999");
  // Past the 6 significant digits of the old "%g"-like printing.
  EXPECT_EQ(FormatValue(1000001), "1000001");
  EXPECT_EQ(FormatValue(1234567890123), "1234567890123");
  // 2^53: the largest range where every integer is a double.
  EXPECT_EQ(FormatValue(9007199254740992.0), "9007199254740992");
}

TEST(FormatValueTest, TimestampsKeepTheirMilliseconds) {
  EXPECT_EQ(FormatValue(1796601234.567), "1796601234.567");
  EXPECT_EQ(FormatValue(1796601234.0), "1796601234");
}

TEST(FormatValueTest, FractionsAreShortestRoundTrip) {
  EXPECT_EQ(FormatValue(7.5), "7.5");
  EXPECT_EQ(FormatValue(0.1), "0.1");
  EXPECT_EQ(FormatValue(1.0 / 3), "0.3333333333333333");
  for (double v : {0.1, 1.0 / 3, 2.5e-300, 1796601234.5678911, 1e300}) {
    EXPECT_EQ(std::strtod(FormatValue(v).c_str(), nullptr), v) << v;
  }
}

TEST(FormatValueTest, HugeValuesStayParseable) {
  // Beyond int64: the shortest exponent form, still exact to the double.
  const double huge = 1e20;
  EXPECT_EQ(std::strtod(FormatValue(huge).c_str(), nullptr), huge);
}

TEST(FormatValueTest, SpecialValuesAsTheFormatSpellsThem) {
  EXPECT_EQ(FormatValue(std::numeric_limits<double>::infinity()), "+Inf");
  EXPECT_EQ(FormatValue(-std::numeric_limits<double>::infinity()), "-Inf");
  EXPECT_EQ(FormatValue(std::nan("")), "NaN");
}

TEST(EscapeTest, LabelValuesEscapeBackslashQuoteAndNewline) {
  EXPECT_EQ(EscapeLabelValue("plain"), "plain");
  EXPECT_EQ(EscapeLabelValue("a\\b"), "a\\\\b");
  EXPECT_EQ(EscapeLabelValue("say \"hi\""), "say \\\"hi\\\"");
  EXPECT_EQ(EscapeLabelValue("two\nlines"), "two\\nlines");
  EXPECT_EQ(EscapeLabelValue("Zürich"), "Zürich");  // UTF-8 as is.
}

TEST(EscapeTest, HelpEscapesBackslashAndNewlineOnly) {
  EXPECT_EQ(EscapeHelp("a \"quoted\" word"), "a \"quoted\" word");
  EXPECT_EQ(EscapeHelp("C:\\path\nnext"), "C:\\\\path\\nnext");
}

TEST(NamesTest, MetricAndLabelNames) {
  EXPECT_TRUE(IsValidMetricName("v6scope_probe_runs_total"));
  EXPECT_TRUE(IsValidMetricName("job:rate5m"));
  EXPECT_FALSE(IsValidMetricName(""));
  EXPECT_FALSE(IsValidMetricName("6scope"));
  EXPECT_FALSE(IsValidMetricName("v6-scope"));
  EXPECT_TRUE(IsValidLabelName("probe"));
  EXPECT_FALSE(IsValidLabelName("job:x"));
  EXPECT_FALSE(IsValidLabelName("__name__"));
  EXPECT_FALSE(IsValidLabelName("1a"));
}

}  // namespace
}  // namespace v6scope::metrics
