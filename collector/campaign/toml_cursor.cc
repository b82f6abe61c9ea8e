#include "collector/campaign/toml_cursor.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace v6scope::collector::campaign {

absl::Status UnsupportedToml(absl::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat(
      what,
      ": not in the TOML subset read here (only [[table]] headers, key = "
      "\"string\", key = [\"string\", ...] and # comments)"));
}

std::string TomlCursor::Column() const {
  return absl::StrCat("column ", pos_ + 1, ": ");
}

bool TomlCursor::AtEnd() {
  while (pos_ < line_.size() && (line_[pos_] == ' ' || line_[pos_] == '\t')) {
    ++pos_;
  }
  return pos_ >= line_.size() || line_[pos_] == '#';
}

bool TomlCursor::Eat(char c) {
  if (AtEnd() || line_[pos_] != c) return false;
  ++pos_;
  return true;
}

bool TomlCursor::AtString() {
  return !AtEnd() && (line_[pos_] == '"' || line_[pos_] == '\'');
}

absl::Status TomlCursor::Key(std::string* key) {
  AtEnd();
  const size_t start = pos_;
  while (pos_ < line_.size() && (absl::ascii_isalnum(line_[pos_]) ||
                                 line_[pos_] == '_' || line_[pos_] == '-')) {
    ++pos_;
  }
  if (pos_ == start) {
    return UnsupportedToml(absl::StrCat(Column(), "a key was expected"));
  }
  *key = std::string(line_.substr(start, pos_ - start));
  return absl::OkStatus();
}

absl::Status TomlCursor::String(std::string* value) {
  if (!AtString()) {
    return UnsupportedToml(absl::StrCat(Column(), "a string was expected"));
  }
  if (absl::StartsWith(line_.substr(pos_), "\"\"\"") ||
      absl::StartsWith(line_.substr(pos_), "'''")) {
    return UnsupportedToml(absl::StrCat(Column(), "a multi-line string"));
  }
  if (line_[pos_] == '"') return BasicString(value);
  const size_t close = line_.find('\'', pos_ + 1);
  if (close == absl::string_view::npos) {
    return UnsupportedToml(absl::StrCat(Column(), "an unclosed string"));
  }
  *value = std::string(line_.substr(pos_ + 1, close - pos_ - 1));
  pos_ = close + 1;
  return absl::OkStatus();
}

// Escapes a host name list can need; \uXXXX is refused rather than
// decoded, since a domain name must be ASCII anyway.
absl::Status TomlCursor::BasicString(std::string* value) {
  value->clear();
  for (size_t i = pos_ + 1; i < line_.size(); ++i) {
    const char c = line_[i];
    if (c == '"') {
      pos_ = i + 1;
      return absl::OkStatus();
    }
    if (c != '\\') {
      value->push_back(c);
      continue;
    }
    const char next = i + 1 < line_.size() ? line_[++i] : '\0';
    if (next == '"' || next == '\\') {
      value->push_back(next);
    } else if (next == 't') {
      value->push_back('\t');
    } else {
      pos_ = i;
      return UnsupportedToml(absl::StrCat(Column(),
                                          "an escape other than "
                                          "\\\" \\\\ \\t"));
    }
  }
  return UnsupportedToml(absl::StrCat(Column(), "an unclosed string"));
}

}  // namespace v6scope::collector::campaign
