#include "collector/campaign/line_reader.h"

#include <sstream>
#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace v6scope::collector::campaign {
namespace {

// Every line, or the error's message as the last element.
std::vector<std::string> ReadAll(const std::string& text,
                                 size_t max_line = kMaxLineBytes) {
  std::istringstream in(text);
  LineReader reader(in, max_line);
  std::vector<std::string> lines;
  absl::string_view line;
  while (true) {
    absl::StatusOr<bool> more = reader.Next(&line);
    if (!more.ok()) {
      lines.push_back("ERROR " + std::string(more.status().message()));
      return lines;
    }
    if (!*more) return lines;
    lines.emplace_back(line);
  }
}

using Lines = std::vector<std::string>;

TEST(LineReaderTest, SplitsLfAndCrlfWithOrWithoutFinalNewline) {
  EXPECT_EQ(ReadAll("a\nb\r\n\nc"), (Lines{"a", "b", "", "c"}));
  EXPECT_EQ(ReadAll("a\r\n"), (Lines{"a"}));
  EXPECT_EQ(ReadAll(""), Lines{});
}

TEST(LineReaderTest, SkipsUtf8BomAndRefusesUtf16) {
  EXPECT_EQ(ReadAll("\xef\xbb\xbf"
                    "a.example\n"),
            (Lines{"a.example"}));
  Lines utf16 =
      ReadAll(std::string("\xff\xfe"
                          "a\0.\0",
                          6));
  ASSERT_EQ(utf16.size(), 1u);
  EXPECT_NE(utf16[0].find("line 1: the file is UTF-16"), std::string::npos);
  utf16 = ReadAll(std::string("\xfe\xff\0a", 4));
  EXPECT_NE(utf16[0].find("UTF-16"), std::string::npos);
}

TEST(LineReaderTest, NulAndInvalidUtf8NameTheLine) {
  Lines nul = ReadAll(std::string("ok\na\0b\n", 7));
  EXPECT_EQ(nul.back().substr(0, 14), "ERROR line 2: ");
  EXPECT_NE(nul.back().find("NUL"), std::string::npos);
  Lines latin1 = ReadAll("ok\nok\nm\xe9xico.example\n");
  EXPECT_EQ(latin1.back().substr(0, 14), "ERROR line 3: ");
  EXPECT_NE(latin1.back().find("UTF-8"), std::string::npos);
}

TEST(LineReaderTest, LongLineIsAnErrorAcrossChunks) {
  const std::string ok(100, 'x');
  EXPECT_EQ(ReadAll(ok + "\n" + ok, 100), (Lines{ok, ok}));
  Lines long_line = ReadAll("a\n" + std::string(200000, 'x') + "\nb", 100);
  EXPECT_EQ(long_line.back(),
            "ERROR line 2: is longer than 100 bytes (one domain name a line)");
  // The last line, without a newline, too.
  EXPECT_EQ(ReadAll("a\n" + std::string(101, 'x'), 100).back().substr(0, 14),
            "ERROR line 2: ");
}

TEST(LineReaderTest, ManyLinesAcrossChunkBoundaries) {
  std::string text;
  for (int i = 0; i < 50000; ++i) text += "name" + std::to_string(i) + "\n";
  Lines lines = ReadAll(text);
  ASSERT_EQ(lines.size(), 50000u);
  EXPECT_EQ(lines[12345], "name12345");
  EXPECT_EQ(lines.back(), "name49999");
}

}  // namespace
}  // namespace v6scope::collector::campaign
