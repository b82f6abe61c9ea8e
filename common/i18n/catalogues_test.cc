// The checked-in catalogues (i18n/messages/<tag>.json, the reports', and
// i18n/dashboard/<tag>.json, the dashboard's): every one loads
// (JSON, keys, ICU syntax, the language's plural categories), says what
// English says (no key missing or extra, the same arguments in every
// message), and the runtime set answers without a fallback. Every problem
// of every language is listed, not just the first.
#include <cstdlib>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"
#include "common/i18n/catalogue.h"
#include "common/i18n/catalogue_check.h"
#include "common/i18n/locale.h"
#include "common/i18n/messages.h"
#include "gtest/gtest.h"

namespace v6scope::i18n {
namespace {

// The reports' catalogues and the dashboard's: both are checked alike.
constexpr const char* kCatalogueDirs[] = {"i18n/messages", "i18n/dashboard"};

std::string DirOf(absl::string_view relative) {
  const char* root = std::getenv("TEST_SRCDIR");
  return absl::StrCat(root == nullptr ? "." : root, "/v6scope/", relative);
}

std::string CatalogueDir() { return DirOf("i18n/messages"); }

std::string PathOf(absl::string_view dir, Lang lang) {
  return absl::StrCat(DirOf(dir), "/", LangTag(lang), ".json");
}

std::string PathOf(Lang lang) { return PathOf("i18n/messages", lang); }

TEST(CataloguesTest, EveryLanguageLoads) {
  for (const char* dir : kCatalogueDirs) {
    for (Lang lang : AllLangs()) {
      auto c = Catalogue::LoadFile(lang, PathOf(dir, lang));
      EXPECT_TRUE(c.ok()) << dir << ": " << c.status();
    }
  }
}

TEST(CataloguesTest, EveryTranslationSaysWhatEnglishSays) {
  std::vector<std::string> problems;
  for (const char* dir : kCatalogueDirs) {
    auto english = Catalogue::LoadFile(Lang::kEn, PathOf(dir, Lang::kEn));
    ASSERT_TRUE(english.ok()) << english.status();
    ASSERT_GT(english->size(), 0u) << dir;
    for (Lang lang : AllLangs()) {
      if (lang == Lang::kEn) continue;
      auto c = Catalogue::LoadFile(lang, PathOf(dir, lang));
      if (!c.ok()) continue;  // reported by EveryLanguageLoads
      for (std::string& p : CompareWithReference(*english, *c)) {
        problems.push_back(absl::StrCat(dir, "/", std::move(p)));
      }
    }
  }
  EXPECT_TRUE(problems.empty()) << absl::StrJoin(problems, "\n");
}

// The keys the report pages will ask for; the ITU-D region and group keys
// follow the slugs of common/geo (ItuRegionName, the group slugs).
TEST(CataloguesTest, TheReportsKeysArePresent) {
  auto english = Catalogue::LoadFile(Lang::kEn, PathOf(Lang::kEn));
  ASSERT_TRUE(english.ok()) << english.status();
  for (const char* key :
       {"report.title", "section.rir_allocations", "section.network_capability",
        "section.service_readiness", "section.trend",
        "section.regional_standing", "section.provenance", "label.no_data",
        "label.k_threshold", "state.serving_v6", "state.broken_v4",
        "sector.top-sites", "region.arab-states", "region.asia-pacific",
        "group.ldc", "group.lldc", "group.sids"}) {
    EXPECT_NE(english->Find(key), nullptr) << key;
  }
}

TEST(CataloguesTest, PluralsAndArgumentsFormatPerLanguage) {
  auto messages = Messages::LoadDir(CatalogueDir());
  ASSERT_TRUE(messages.ok()) << messages.status();
  const Messages& m = **messages;
  EXPECT_EQ(m.Text(Lang::kEn, "count.probes", {{"n", 1}}), "1 probe");
  EXPECT_EQ(m.Text(Lang::kEn, "count.probes", {{"n", 1234}}), "1,234 probes");
  EXPECT_EQ(m.Text(Lang::kRu, "count.probes", {{"n", 21}}), "21 зонд");
  EXPECT_EQ(m.Text(Lang::kRu, "count.probes", {{"n", 22}}), "22 зонда");
  EXPECT_EQ(m.Text(Lang::kRu, "count.probes", {{"n", 25}}), "25 зондов");
  EXPECT_EQ(m.Text(Lang::kFr, "count.probes", {{"n", 1000000}}),
            "1\u202f000\u202f000 de sondes");
  EXPECT_EQ(m.Text(Lang::kAr, "count.probes", {{"n", 2}}), "مسباران");
  EXPECT_EQ(m.Text(Lang::kAr, "count.probes", {{"n", 11}}), "١١ مسبارًا");
  EXPECT_EQ(m.Text(Lang::kZh, "count.probes", {{"n", 3}}), "3 个探针");
  EXPECT_EQ(m.Text(Lang::kFr, "report.title", {{"country", "Kenya"}}),
            "Rapport sur les progrès d’IPv6 : Kenya");
  EXPECT_EQ(m.fallbacks(), 0u);
}

}  // namespace
}  // namespace v6scope::i18n
