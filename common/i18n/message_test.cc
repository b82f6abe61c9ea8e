#include "common/i18n/message.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace v6scope::i18n {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

std::string Refusal(Lang lang, const char* pattern) {
  auto m = Message::Compile(lang, pattern);
  return m.ok() ? "accepted" : std::string(m.status().message());
}

TEST(MessageTest, NamedArgumentsAtAnyDepth) {
  auto m = Message::Compile(
      Lang::kEn,
      "{country}: {n, plural, =0 {no probe} one {# probe in {asn}} other {# "
      "probes}} {when}");
  ASSERT_TRUE(m.ok()) << m.status();
  EXPECT_THAT(m->arguments(), ElementsAre("asn", "country", "n", "when"));
  EXPECT_EQ(m->Format({{"country", "Kenya"}, {"n", 0}, {"when", "today"}}),
            "Kenya: no probe today");
  EXPECT_EQ(m->Format({{"country", "Kenya"},
                       {"n", 1},
                       {"asn", "AS33771"},
                       {"when", "today"}}),
            "Kenya: 1 probe in AS33771 today");
  EXPECT_EQ(m->Format({{"country", "Kenya"}, {"n", 1234}, {"when", "x"}}),
            "Kenya: 1,234 probes x");
}

TEST(MessageTest, RussianPluralsPickTheRightForm) {
  auto m = Message::Compile(Lang::kRu,
                            "{n, plural, one {# зонд} few {# зонда} many {# "
                            "зондов} other {# зонда}}");
  ASSERT_TRUE(m.ok()) << m.status();
  EXPECT_EQ(m->Format({{"n", 1}}), "1 зонд");
  EXPECT_EQ(m->Format({{"n", 21}}), "21 зонд");
  EXPECT_EQ(m->Format({{"n", 3}}), "3 зонда");
  EXPECT_EQ(m->Format({{"n", 11}}), "11 зондов");
  EXPECT_EQ(m->Format({{"n", 25}}), "25 зондов");
  EXPECT_EQ(m->Format({{"n", 1.5}}), "1,5 зонда");
  // Grouping with a no-break space, as ICU writes Russian numbers.
  EXPECT_EQ(m->Format({{"n", 1234}}), "1\u00a0234 зонда");
}

TEST(MessageTest, ArabicPluralsAndDigits) {
  auto m = Message::Compile(Lang::kAr,
                            "{n, plural, zero {لا مسبار} one {مسبار واحد} two "
                            "{مسباران} few {# مسابير} many {# مسبارًا} other "
                            "{# مسبار}}");
  ASSERT_TRUE(m.ok()) << m.status();
  EXPECT_EQ(m->Format({{"n", 0}}), "لا مسبار");
  EXPECT_EQ(m->Format({{"n", 2}}), "مسباران");
  EXPECT_EQ(m->Format({{"n", 3}}), "٣ مسابير");
  EXPECT_EQ(m->Format({{"n", 11}}), "١١ مسبارًا");
  EXPECT_EQ(m->Format({{"n", 100}}), "١٠٠ مسبار");
}

TEST(MessageTest, MissingArgumentStaysVisible) {
  auto m = Message::Compile(Lang::kEn, "Report for {country}");
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->Format({}), "Report for {country}");
  EXPECT_EQ(m->Format({{"other", 1}, {"country", "Fiji"}}), "Report for Fiji");
}

TEST(MessageTest, ApostrophesFollowIcu) {
  // A single ASCII apostrophe is literal unless it quotes syntax.
  auto m = Message::Compile(Lang::kFr, "l'indice de {country} '{x}'");
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->Format({{"country", "Kenya"}}), "l'indice de Kenya {x}");
}

TEST(MessageTest, RefusesBadPatterns) {
  EXPECT_THAT(Refusal(Lang::kEn, "abc {n"), HasSubstr("U_UNMATCHED_BRACES"));
  EXPECT_THAT(Refusal(Lang::kEn, "{n, plural, one {x}}"),
              HasSubstr("U_DEFAULT_KEYWORD_MISSING"));
  EXPECT_THAT(Refusal(Lang::kEn, "abc {n, plural, one {x} other {y}"),
              HasSubstr("U_PATTERN_SYNTAX_ERROR at character 16"));
  EXPECT_THAT(Refusal(Lang::kEn, "{n, nmber}"),
              HasSubstr("U_ILLEGAL_ARGUMENT_ERROR"));
  EXPECT_THAT(Refusal(Lang::kEn, "value {0}"),
              HasSubstr("numbered argument {0}"));
}

TEST(MessageTest, PluralCategoriesMustBeTheLanguages) {
  EXPECT_THAT(Refusal(Lang::kEn, "{n, plural, one {a} few {b} other {c}}"),
              HasSubstr("\"few\" is not a plural category of en (one, other)"));
  EXPECT_THAT(Refusal(Lang::kRu, "{n, plural, one {a} other {c}}"),
              HasSubstr("plural categories of ru missing: few, many"));
  EXPECT_THAT(Refusal(Lang::kAr, "{n, plural, one {a} other {c}}"),
              HasSubstr("missing: few, many, two, zero"));
  EXPECT_EQ(Refusal(Lang::kZh, "{n, plural, other {# 个}}"), "accepted");
  EXPECT_EQ(Refusal(Lang::kEn, "{n, plural, =0 {none} one {a} other {c}}"),
            "accepted");
  // Ordinals use the ordinal categories.
  EXPECT_EQ(Refusal(Lang::kEn,
                    "{n, selectordinal, one {#st} two {#nd} few {#rd} other "
                    "{#th}}"),
            "accepted");
}

}  // namespace
}  // namespace v6scope::i18n
