#include "probe/readiness/page_digest.h"

#include <string>

#include "absl/strings/string_view.h"
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

// Fed in pieces of every size, the streaming digest gives what the
// functions give on the whole body.
TEST(PageDigestTest, PiecesGiveWhatTheWholeBodyGives) {
  const std::string bodies[] = {
      "",
      "<html><head><TITLE lang=en>  Ministry \n of   Health </title>",
      "<titles>no</titles><title>Yes</title> words words w0rds",
      "x<title>unclosed title and then the end",
      "<title",
      "plain text, no title at all; tokens: a1 B2 c3",
      std::string(5000, 'a') + "<title>late</title>" + std::string(3, 'z'),
  };
  for (const std::string& body : bodies) {
    for (size_t piece : {size_t{1}, size_t{2}, size_t{5}, size_t{7}, size_t{64},
                         body.size() + 1}) {
      PageDigest digest;
      for (size_t at = 0; at < body.size(); at += piece) {
        digest.Add(absl::string_view(body).substr(at, piece));
      }
      EXPECT_EQ(digest.simhash(), SimHash(body)) << body << " / " << piece;
      EXPECT_EQ(digest.title(), ExtractTitle(body)) << body << " / " << piece;
      EXPECT_EQ(digest.bytes(), body.size());
    }
  }
}

TEST(PageDigestTest, KeepsAtMostTheTitleSpan) {
  PageDigest digest;
  digest.Add("<title>");
  for (int i = 0; i < 1000; ++i) digest.Add(std::string(1024, 'x'));
  EXPECT_EQ(digest.title(), std::string(200, 'x'));  // ExtractTitle's cap.
}

}  // namespace
}  // namespace v6scope::probe::readiness
