#include "common/i18n/built_in_messages.h"

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include "absl/strings/str_cat.h"
#include "common/i18n/locale.h"
#include "gtest/gtest.h"

namespace v6scope::i18n {
namespace {

std::string ReadCheckedIn(Lang lang) {
  const char* root = std::getenv("TEST_SRCDIR");
  std::ifstream in(absl::StrCat(root == nullptr ? "." : root,
                                "/v6scope/i18n/messages/", LangTag(lang),
                                ".json"));
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

TEST(BuiltInMessagesTest, EveryLanguageIsBuiltInAsCheckedIn) {
  ASSERT_EQ(EmbeddedCatalogues().size(), AllLangs().size());
  for (const EmbeddedCatalogue& embedded : EmbeddedCatalogues()) {
    const std::optional<Lang> lang = ParseLang(embedded.tag);
    ASSERT_TRUE(lang.has_value()) << embedded.tag;
    const std::string checked_in = ReadCheckedIn(*lang);
    ASSERT_FALSE(checked_in.empty()) << embedded.tag;
    EXPECT_EQ(embedded.json, checked_in) << embedded.tag;
  }
}

TEST(BuiltInMessagesTest, LoadsAndSpeaksEachLanguage) {
  absl::StatusOr<const Messages*> messages = BuiltInMessages();
  ASSERT_TRUE(messages.ok()) << messages.status();
  EXPECT_EQ((*messages)->Text(Lang::kEn, "service.web"), "Web");
  EXPECT_EQ((*messages)->Text(Lang::kFr, "section.provenance"),
            "Provenance des données");
  for (Lang lang : AllLangs()) {
    EXPECT_TRUE((*messages)->Has(lang, "report.title")) << LangTag(lang);
  }
  EXPECT_EQ((*messages)->fallbacks(), 0u);
  // The same instance every time: loaded once per process.
  EXPECT_EQ(*BuiltInMessages(), *messages);
}

}  // namespace
}  // namespace v6scope::i18n
