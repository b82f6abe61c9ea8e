#include "common/i18n/catalogue_check.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace v6scope::i18n {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

Catalogue Make(Lang lang, const char* json, const char* source) {
  auto c = Catalogue::Parse(lang, json, source);
  EXPECT_TRUE(c.ok()) << c.status();
  return *std::move(c);
}

TEST(CatalogueCheckTest, AgreeingCatalogues) {
  Catalogue en = Make(Lang::kEn, R"({"a": "A {x}", "b": "B"})", "en.json");
  Catalogue fr = Make(Lang::kFr, R"({"b": "Bé", "a": "{x} À"})", "fr.json");
  EXPECT_THAT(CompareWithReference(en, fr), IsEmpty());
}

TEST(CatalogueCheckTest, ListsEveryDifference) {
  Catalogue en = Make(Lang::kEn,
                      R"({"a": "A {x}", "b": "B", "c": "C",
                          "d": "{n, plural, one {# probe} other {# probes}}"})",
                      "en.json");
  Catalogue ru = Make(Lang::kRu,
                      R"({"a": "А {y}", "c": "В", "e": "Е",
                          "d": "{n, plural, one {a} few {b} many {c} other {d}}"})",
                      "ru.json");
  EXPECT_THAT(CompareWithReference(en, ru),
              ElementsAre("ru.json: a: argument {x} missing",
                          "ru.json: a: argument {y} not in English",
                          "ru.json: missing key b", "ru.json: extra key e"));
}

}  // namespace
}  // namespace v6scope::i18n
