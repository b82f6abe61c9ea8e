#include "common/i18n/messages.h"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>

#include "common/log/log.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace v6scope::i18n {
namespace {

using ::testing::HasSubstr;

Catalogue Make(Lang lang, const char* json) {
  auto c = Catalogue::Parse(lang, json, LangTag(lang));
  EXPECT_TRUE(c.ok()) << c.status();
  return *std::move(c);
}

// Bazel's per-test scratch directory (/tmp when run by hand).
std::string TempDir() {
  const char* dir = std::getenv("TEST_TMPDIR");
  return dir != nullptr ? dir : "/tmp";
}

std::unique_ptr<Messages> TwoLanguages() {
  std::vector<Catalogue> others;
  others.push_back(Make(Lang::kFr, R"({"hello": "Bonjour {name}"})"));
  return std::make_unique<Messages>(
      Make(Lang::kEn, R"({"hello": "Hello {name}", "bye": "Goodbye"})"),
      std::move(others));
}

TEST(MessagesTest, AnswersInTheLanguage) {
  auto m = TwoLanguages();
  EXPECT_EQ(m->Text(Lang::kFr, "hello", {{"name", "Awa"}}), "Bonjour Awa");
  EXPECT_EQ(m->Text(Lang::kEn, "hello", {{"name", "Awa"}}), "Hello Awa");
  EXPECT_TRUE(m->Has(Lang::kFr, "hello"));
  EXPECT_FALSE(m->Has(Lang::kFr, "bye"));
  EXPECT_EQ(m->fallbacks(), 0u);
}

TEST(MessagesTest, MissingKeysFallBackAndAreCountedAndLoggedOnce) {
  std::string path = TempDir() + "/messages_test_log_XXXXXX";
  const int fd = mkstemp(path.data());
  ASSERT_GE(fd, 0);
  log::SetOutputFd(fd);
  auto m = TwoLanguages();
  EXPECT_EQ(m->Text(Lang::kFr, "bye"), "Goodbye");
  EXPECT_EQ(m->Text(Lang::kFr, "bye"), "Goodbye");
  EXPECT_EQ(m->Text(Lang::kRu, "hello", {{"name", "Awa"}}), "Hello Awa");
  EXPECT_EQ(m->Text(Lang::kAr, "nowhere"), "nowhere");
  EXPECT_EQ(m->fallbacks(), 4u);
  log::SetOutputFd(2);
  close(fd);
  std::ifstream in(path);
  const std::string logged((std::istreambuf_iterator<char>(in)),
                           std::istreambuf_iterator<char>());
  std::remove(path.c_str());
  EXPECT_THAT(logged, HasSubstr("level=warn"));
  EXPECT_THAT(logged,
              HasSubstr("event=i18n.fallback lang=fr key=bye answer=english"));
  EXPECT_THAT(logged, HasSubstr("lang=ru key=hello answer=english"));
  EXPECT_THAT(logged, HasSubstr("level=error"));
  EXPECT_THAT(logged, HasSubstr("lang=ar key=nowhere answer=key"));
  // Once per language and key.
  EXPECT_EQ(logged.find("key=bye"), logged.rfind("key=bye"));
}

TEST(MessagesTest, LoadDirNeedsEnglishAndRefusesABrokenFile) {
  std::string dir = TempDir() + "/messages_test_dir_XXXXXX";
  ASSERT_NE(mkdtemp(dir.data()), nullptr);
  const std::string d = dir;
  auto none = Messages::LoadDir(d);
  EXPECT_FALSE(none.ok());
  std::ofstream(d + "/en.json") << R"({"a": "A"})";
  auto only_english = Messages::LoadDir(d);
  ASSERT_TRUE(only_english.ok()) << only_english.status();
  EXPECT_EQ((*only_english)->Text(Lang::kZh, "a"), "A");
  std::ofstream(d + "/zh.json") << "{\"a\": \"甲\",\n}";
  auto broken = Messages::LoadDir(d);
  ASSERT_FALSE(broken.ok());
  EXPECT_THAT(std::string(broken.status().message()),
              HasSubstr(d + "/zh.json: line 2, column 1: expected a string"));
  std::ofstream(d + "/zh.json") << R"({"a": "甲"})";
  auto both = Messages::LoadDir(d);
  ASSERT_TRUE(both.ok()) << both.status();
  EXPECT_EQ((*both)->Text(Lang::kZh, "a"), "甲");
  std::remove((d + "/en.json").c_str());
  std::remove((d + "/zh.json").c_str());
  rmdir(d.c_str());
}

}  // namespace
}  // namespace v6scope::i18n
