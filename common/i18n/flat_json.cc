#include "common/i18n/flat_json.h"

#include <cstdint>
#include <optional>
#include <set>

#include "absl/strings/str_cat.h"
#include "common/text/text_rules.h"

namespace v6scope::i18n {
namespace {

// A recursive-descent reader over the subset; every error is raised at
// the offset it is found.
class Reader {
 public:
  explicit Reader(absl::string_view text) : text_(text) {}

  absl::StatusOr<std::vector<FlatJsonEntry>> Object();

 private:
  absl::Status Fail(absl::string_view what) const { return FailAt(pos_, what); }
  absl::Status FailAt(size_t offset, absl::string_view what) const {
    const TextPosition p = PositionOf(text_, offset);
    return absl::InvalidArgumentError(
        absl::StrCat("line ", p.line, ", column ", p.column, ": ", what));
  }
  void SkipSpace() {
    while (pos_ < text_.size() &&
           (text_[pos_] == ' ' || text_[pos_] == '\t' || text_[pos_] == '\n' ||
            text_[pos_] == '\r')) {
      ++pos_;
    }
  }
  bool Peek(char c) const { return pos_ < text_.size() && text_[pos_] == c; }
  absl::StatusOr<std::string> String();
  absl::Status Escape(std::string* out);
  std::optional<uint32_t> Hex4();

  absl::string_view text_;
  size_t pos_ = 0;
};

void AppendUtf8(uint32_t cp, std::string* out) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

std::optional<uint32_t> Reader::Hex4() {
  if (text_.size() - pos_ < 4) return std::nullopt;
  uint32_t v = 0;
  for (int i = 0; i < 4; ++i) {
    const char c = text_[pos_ + i];
    v <<= 4;
    if (c >= '0' && c <= '9') {
      v |= c - '0';
    } else if (c >= 'a' && c <= 'f') {
      v |= c - 'a' + 10;
    } else if (c >= 'A' && c <= 'F') {
      v |= c - 'A' + 10;
    } else {
      return std::nullopt;
    }
  }
  pos_ += 4;
  return v;
}

// After the backslash.
absl::Status Reader::Escape(std::string* out) {
  if (pos_ >= text_.size()) return Fail("unterminated string");
  const char c = text_[pos_++];
  switch (c) {
    case '"':
    case '\\':
    case '/':
      out->push_back(c);
      return absl::OkStatus();
    case 'b':
      out->push_back('\b');
      return absl::OkStatus();
    case 'f':
      out->push_back('\f');
      return absl::OkStatus();
    case 'n':
      out->push_back('\n');
      return absl::OkStatus();
    case 'r':
      out->push_back('\r');
      return absl::OkStatus();
    case 't':
      out->push_back('\t');
      return absl::OkStatus();
    case 'u':
      break;
    default:
      return FailAt(pos_ - 2, "invalid escape");
  }
  const size_t start = pos_ - 2;
  std::optional<uint32_t> cp = Hex4();
  if (!cp) return FailAt(start, "invalid \\u escape");
  if (*cp >= 0xDC00 && *cp <= 0xDFFF) return FailAt(start, "lone surrogate");
  if (*cp >= 0xD800 && *cp <= 0xDBFF) {
    std::optional<uint32_t> low;
    if (text_.substr(pos_, 2) == "\\u") {
      pos_ += 2;
      low = Hex4();
    }
    if (!low || *low < 0xDC00 || *low > 0xDFFF) {
      return FailAt(start, "lone surrogate");
    }
    *cp = 0x10000 + ((*cp - 0xD800) << 10) + (*low - 0xDC00);
  }
  AppendUtf8(*cp, out);
  return absl::OkStatus();
}

absl::StatusOr<std::string> Reader::String() {
  if (!Peek('"')) return Fail("expected a string");
  const size_t start = pos_++;
  std::string out;
  while (true) {
    if (pos_ >= text_.size()) return FailAt(start, "unterminated string");
    const char c = text_[pos_];
    if (c == '"') break;
    if (static_cast<unsigned char>(c) < 0x20) {
      return Fail("control character in a string");
    }
    ++pos_;
    if (c == '\\') {
      if (absl::Status s = Escape(&out); !s.ok()) return s;
    } else {
      out.push_back(c);
    }
  }
  ++pos_;
  if (!text::IsValidUtf8(out)) return FailAt(start, "invalid UTF-8");
  return out;
}

absl::StatusOr<std::vector<FlatJsonEntry>> Reader::Object() {
  std::vector<FlatJsonEntry> entries;
  std::set<std::string> seen;
  SkipSpace();
  if (!Peek('{')) return Fail("expected '{'");
  ++pos_;
  SkipSpace();
  bool first = true;
  while (!Peek('}')) {
    if (!first) {
      if (!Peek(',')) return Fail("expected ',' or '}'");
      ++pos_;
      SkipSpace();
    }
    first = false;
    const size_t key_at = pos_;
    absl::StatusOr<std::string> key = String();
    if (!key.ok()) return key.status();
    if (!seen.insert(*key).second) {
      return FailAt(key_at, absl::StrCat("duplicate key \"", *key, "\""));
    }
    SkipSpace();
    if (!Peek(':')) return Fail("expected ':'");
    ++pos_;
    SkipSpace();
    absl::StatusOr<std::string> value = String();
    if (!value.ok()) return value.status();
    entries.push_back(
        {*std::move(key), *std::move(value), PositionOf(text_, key_at)});
    SkipSpace();
  }
  ++pos_;
  SkipSpace();
  if (pos_ != text_.size()) return Fail("text after the object");
  return entries;
}

}  // namespace

TextPosition PositionOf(absl::string_view text, size_t offset) {
  TextPosition p;
  for (size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++p.line;
      p.column = 1;
    } else if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
      ++p.column;  // a character's first byte: columns count characters
    }
  }
  return p;
}

absl::StatusOr<std::vector<FlatJsonEntry>> ParseFlatJsonObject(
    absl::string_view text) {
  return Reader(text).Object();
}

}  // namespace v6scope::i18n
