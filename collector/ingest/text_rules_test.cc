#include "collector/ingest/text_rules.h"

#include <string>

#include "gtest/gtest.h"

namespace v6scope::collector::ingest {
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

}  // namespace
}  // namespace v6scope::collector::ingest
