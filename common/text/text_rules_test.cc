#include "common/text/text_rules.h"

#include <random>
#include <string>

#include "gtest/gtest.h"

namespace v6scope::text {
namespace {

bool Ok(absl::string_view s, TextRule rule) {
  return CheckTextRule(s, rule).ok();
}

TEST(TextRulesTest, PrintableAscii) {
  EXPECT_TRUE(Ok("v6scope-probe 1.2.3 (linux)", TextRule::kPrintableAscii));
  EXPECT_TRUE(Ok("", TextRule::kPrintableAscii));
  EXPECT_FALSE(Ok("a\nb", TextRule::kPrintableAscii));
  EXPECT_FALSE(Ok("tab\there", TextRule::kPrintableAscii));
  EXPECT_FALSE(Ok("caf\xc3\xa9", TextRule::kPrintableAscii));
  EXPECT_FALSE(Ok(std::string("nul\0", 4), TextRule::kPrintableAscii));
}

TEST(TextRulesTest, Utf8Line) {
  EXPECT_TRUE(Ok("Connection refused", TextRule::kUtf8Line));
  EXPECT_TRUE(Ok("r\xc3\xa9seau\tinjoignable \xe2\x80\x94 \xf0\x9f\x98\x80",
                 TextRule::kUtf8Line));
  EXPECT_FALSE(Ok("line\nforged=1", TextRule::kUtf8Line));
  EXPECT_FALSE(Ok("cr\r", TextRule::kUtf8Line));
  EXPECT_FALSE(Ok("esc\x1b[31m", TextRule::kUtf8Line));
  EXPECT_FALSE(Ok("del\x7f", TextRule::kUtf8Line));
  EXPECT_FALSE(Ok("c1\xc2\x85", TextRule::kUtf8Line));        // U+0085 NEL.
  EXPECT_FALSE(Ok("overlong\xc0\xaf", TextRule::kUtf8Line));  // '/'.
  EXPECT_FALSE(Ok("surrogate\xed\xa0\x80", TextRule::kUtf8Line));
  EXPECT_FALSE(Ok("cut\xe2\x80", TextRule::kUtf8Line));
  EXPECT_FALSE(Ok("big\xf4\x90\x80\x80", TextRule::kUtf8Line));
  EXPECT_FALSE(Ok("lone\x80", TextRule::kUtf8Line));
}

TEST(TextRulesTest, Target) {
  EXPECT_TRUE(Ok("ds.targets.v6scope.example.net", TextRule::kTarget));
  EXPECT_TRUE(Ok("ipv4only.arpa.", TextRule::kTarget));
  EXPECT_TRUE(Ok("_dns.resolver.arpa", TextRule::kTarget));
  EXPECT_TRUE(Ok("2001:db8::1", TextRule::kTarget));
  EXPECT_TRUE(Ok("https://v6.example.net/large?x=1&test=3", TextRule::kTarget));
  EXPECT_TRUE(Ok("http://[2001:db8::80]:8080/", TextRule::kTarget));
  EXPECT_TRUE(Ok("", TextRule::kTarget));
  EXPECT_FALSE(Ok("-bad.example", TextRule::kTarget));
  EXPECT_FALSE(Ok("a..b", TextRule::kTarget));
  EXPECT_FALSE(Ok(std::string(64, 'a') + ".example", TextRule::kTarget));
  EXPECT_FALSE(Ok("has space.example", TextRule::kTarget));
  EXPECT_FALSE(Ok("ftp://x.example/", TextRule::kTarget));
  EXPECT_FALSE(Ok("https://x.example/a b", TextRule::kTarget));
  EXPECT_FALSE(Ok("https://x.example/\n", TextRule::kTarget));
}

TEST(TextRulesTest, PrintableEscapes) {
  EXPECT_EQ(Printable("a\n\"\\\xff"), "a\\x0a\\\"\\\\\\xff");
}

TEST(CleanUtf8LineTest, ReplacesAndCuts) {
  EXPECT_EQ(CleanUtf8Line("Connection refused", 255), "Connection refused");
  EXPECT_EQ(CleanUtf8Line("a\nb\tc\x1b[0m", 255), "a?b\tc?[0m");
  EXPECT_EQ(CleanUtf8Line("lone\x80 cut\xe2\x80", 255), "lone? cut??");
  EXPECT_EQ(CleanUtf8Line("c1\xc2\x85", 255), "c1?");
  // Cut before a character that would not fit whole.
  EXPECT_EQ(CleanUtf8Line("ab\xe2\x80\x94", 4), "ab");
  EXPECT_EQ(CleanUtf8Line("ab\xe2\x80\x94", 5), "ab\xe2\x80\x94");
  EXPECT_EQ(CleanUtf8Line("abc", 0), "");
}

// Bytes that exercise the decoder: ASCII, controls, continuation bytes,
// lead bytes of every length, and the edges of the valid ranges.
char RandomByte(std::mt19937& rng) {
  static constexpr unsigned char kInteresting[] = {
      'a',  '\t', '\n', 0x00, 0x1f, 0x7f, 0x80, 0x85, 0x9f, 0xbf,
      0xc0, 0xc2, 0xdf, 0xe0, 0xed, 0xef, 0xf0, 0xf4, 0xf5, 0xff};
  std::uniform_int_distribution<int> pick(0, 2);
  if (pick(rng) == 0) {
    std::uniform_int_distribution<size_t> i(0, sizeof(kInteresting) - 1);
    return static_cast<char>(kInteresting[i(rng)]);
  }
  std::uniform_int_distribution<int> any(0, 255);
  return static_cast<char>(any(rng));
}

TEST(CleanUtf8LineTest, OutputAlwaysPassesTheRuleAndFits) {
  std::mt19937 rng(20240614);  // Fixed: a failure reproduces.
  std::uniform_int_distribution<size_t> length(0, 80);
  std::uniform_int_distribution<size_t> bound(0, 64);
  for (int trial = 0; trial < 20000; ++trial) {
    std::string s(length(rng), '\0');
    for (char& c : s) c = RandomByte(rng);
    const size_t max_bytes = bound(rng);
    const std::string clean = CleanUtf8Line(s, max_bytes);
    ASSERT_TRUE(Ok(clean, TextRule::kUtf8Line)) << Printable(s);
    ASSERT_LE(clean.size(), max_bytes) << Printable(s);
    // Text that already passes is kept as it is, up to the bound.
    if (Ok(s, TextRule::kUtf8Line) && s.size() <= max_bytes) {
      ASSERT_EQ(clean, s);
    }
  }
}

}  // namespace
}  // namespace v6scope::text
