#include "probe/readiness/page_digest.h"

#include <string>

#include "gtest/gtest.h"

namespace v6scope::probe::readiness {
namespace {

TEST(Fnv1a64Test, KnownVectors) {
  EXPECT_EQ(Fnv1a64(""), 0xcbf29ce484222325ull);
  EXPECT_EQ(Fnv1a64("a"), 0xaf63dc4c8601ec8cull);
  EXPECT_EQ(Fnv1a64("foobar"), 0x85944171f73967e8ull);
}

TEST(SimHashTest, OneTokenIsItsHash) {
  // One vote per bit: the result is the token's hash.
  EXPECT_EQ(SimHash("  Foobar!! "), Fnv1a64("foobar"));
  EXPECT_EQ(SimHash(""), 0u);
  EXPECT_EQ(SimHash("<>!! --"), 0u);
}

TEST(SimHashTest, CaseAndPunctuationDoNotMatter) {
  EXPECT_EQ(SimHash("Ministry of Health"), SimHash("ministry, OF -- health!"));
}

TEST(SimHashTest, NearPagesAreCloseOthersFar) {
  std::string page;
  for (int i = 0; i < 200; ++i) page += "word" + std::to_string(i % 50) + " ";
  const std::string near = page + " generated at 12:00";
  std::string other;
  for (int i = 0; i < 200; ++i) other += "other" + std::to_string(i) + " ";
  EXPECT_LE(HammingDistance(SimHash(page), SimHash(near)), 8);
  EXPECT_GE(HammingDistance(SimHash(page), SimHash(other)), 16);
}

TEST(ExtractTitleTest, FindsAndCleansTheTitle) {
  EXPECT_EQ(ExtractTitle("<html><head><TITLE lang=en>\n  Ministry   of\tHealth "
                         "</title></head>"),
            "Ministry of Health");
  EXPECT_EQ(ExtractTitle("<titles>x</titles><title>Real</title>"), "Real");
  EXPECT_EQ(ExtractTitle("no title here"), "");
  EXPECT_EQ(ExtractTitle("<title>cut off by the cap"), "cut off by the cap");
  EXPECT_EQ(ExtractTitle("<title>" + std::string(500, 'x') + "</title>").size(),
            200u);
}

}  // namespace
}  // namespace v6scope::probe::readiness
