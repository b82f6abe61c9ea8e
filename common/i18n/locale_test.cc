#include "common/i18n/locale.h"

#include "gtest/gtest.h"

namespace v6scope::i18n {
namespace {

TEST(LocaleTest, SixLanguagesWithTagsAndDirection) {
  ASSERT_EQ(AllLangs().size(), 6u);
  std::string tags;
  for (Lang lang : AllLangs()) tags += std::string(LangTag(lang)) + " ";
  EXPECT_EQ(tags, "ar zh en fr ru es ");
  EXPECT_EQ(TextDirection(Lang::kAr), Direction::kRtl);
  EXPECT_EQ(DirAttr(Lang::kAr), "rtl");
  for (Lang lang : {Lang::kZh, Lang::kEn, Lang::kFr, Lang::kRu, Lang::kEs}) {
    EXPECT_EQ(DirAttr(lang), "ltr") << LangTag(lang);
  }
  EXPECT_EQ(LangNativeName(Lang::kFr), "Français");
}

TEST(LocaleTest, ParseLangTakesThePrimarySubtag) {
  EXPECT_EQ(ParseLang("fr"), Lang::kFr);
  EXPECT_EQ(ParseLang("FR"), Lang::kFr);
  EXPECT_EQ(ParseLang(" es "), Lang::kEs);
  EXPECT_EQ(ParseLang("fr-CA"), Lang::kFr);
  EXPECT_EQ(ParseLang("zh-Hans-CN"), Lang::kZh);
  EXPECT_EQ(ParseLang("zh_TW"), Lang::kZh);
  EXPECT_EQ(ParseLang("ar-EG"), Lang::kAr);
  EXPECT_EQ(ParseLang("ru"), Lang::kRu);
}

TEST(LocaleTest, ParseLangRefusesTheUnsupported) {
  EXPECT_EQ(ParseLang(""), std::nullopt);
  EXPECT_EQ(ParseLang("de"), std::nullopt);
  EXPECT_EQ(ParseLang("pt-BR"), std::nullopt);
  EXPECT_EQ(ParseLang("english"), std::nullopt);
  EXPECT_EQ(ParseLang("fr-"), std::nullopt);
  EXPECT_EQ(ParseLang("frx"), std::nullopt);
}

TEST(LocaleTest, NegotiateFollowsQValues) {
  EXPECT_EQ(NegotiateLang("fr-CA,fr;q=0.9,en;q=0.8"), Lang::kFr);
  EXPECT_EQ(NegotiateLang("en;q=0.5, ru;q=0.9"), Lang::kRu);
  EXPECT_EQ(NegotiateLang("zh-Hans-CN;q=0.7, de;q=1"), Lang::kZh);
  EXPECT_EQ(NegotiateLang("de-DE, ar;q=0.1"), Lang::kAr);
  // Equal q: the header's order.
  EXPECT_EQ(NegotiateLang("es;q=0.5, fr;q=0.5"), Lang::kEs);
  // q=0 excludes.
  EXPECT_EQ(NegotiateLang("fr;q=0, es;q=0.1"), Lang::kEs);
  EXPECT_EQ(NegotiateLang("ES ; Q=0.4"), Lang::kEs);
}

TEST(LocaleTest, NegotiateFallsBackToEnglish) {
  EXPECT_EQ(NegotiateLang(""), Lang::kEn);
  EXPECT_EQ(NegotiateLang("de, ja;q=0.8"), Lang::kEn);
  EXPECT_EQ(NegotiateLang("*"), Lang::kEn);
  EXPECT_EQ(NegotiateLang("fr;q=abc"), Lang::kEn);
  EXPECT_EQ(NegotiateLang("fr;q=2"), Lang::kEn);
  EXPECT_EQ(NegotiateLang(",,;;"), Lang::kEn);
  EXPECT_EQ(NegotiateLang("fr;q=0"), Lang::kEn);
}

TEST(LocaleTest, ChooseLangPrefersTheQueryParameter) {
  EXPECT_EQ(ChooseLang("ru", "fr"), Lang::kRu);
  EXPECT_EQ(ChooseLang("", "fr-CA"), Lang::kFr);
  EXPECT_EQ(ChooseLang("de", "es"), Lang::kEs);
  EXPECT_EQ(ChooseLang("", ""), Lang::kEn);
}

}  // namespace
}  // namespace v6scope::i18n
