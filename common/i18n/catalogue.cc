#include "common/i18n/catalogue.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "common/fs/files.h"
#include "common/i18n/flat_json.h"

namespace v6scope::i18n {
namespace {

bool IsKeyChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_';
}

std::string Where(absl::string_view source, const TextPosition& p) {
  return absl::StrCat(source, ": line ", p.line, ", column ", p.column, ": ");
}

}  // namespace

bool IsValidKey(absl::string_view key) {
  if (key.empty() || key.size() > 128) return false;
  for (absl::string_view segment : absl::StrSplit(key, '.')) {
    if (segment.empty()) return false;
    for (char c : segment) {
      if (!IsKeyChar(c)) return false;
    }
  }
  return true;
}

absl::StatusOr<Catalogue> Catalogue::Parse(Lang lang, absl::string_view json,
                                           absl::string_view source) {
  absl::StatusOr<std::vector<FlatJsonEntry>> entries =
      ParseFlatJsonObject(json);
  if (!entries.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(source, ": ", entries.status().message()));
  }
  Catalogue catalogue(lang, std::string(source));
  std::vector<std::string> problems;
  for (FlatJsonEntry& e : *entries) {
    if (!IsValidKey(e.key)) {
      problems.push_back(absl::StrCat(Where(source, e.position), "key \"",
                                      e.key, "\" is not a valid key"));
      continue;
    }
    absl::StatusOr<Message> message = Message::Compile(lang, e.value);
    if (!message.ok()) {
      problems.push_back(absl::StrCat(Where(source, e.position), e.key, ": ",
                                      message.status().message()));
      continue;
    }
    catalogue.messages_.emplace(std::move(e.key), *std::move(message));
  }
  if (!problems.empty()) {
    return absl::InvalidArgumentError(absl::StrJoin(problems, "\n"));
  }
  return catalogue;
}

absl::StatusOr<Catalogue> Catalogue::LoadFile(Lang lang,
                                              const std::string& path) {
  absl::StatusOr<std::string> text = fs::ReadFile(path);
  if (!text.ok()) return text.status();
  return Parse(lang, *text, path);
}

const Message* Catalogue::Find(absl::string_view key) const {
  auto it = messages_.find(key);
  return it == messages_.end() ? nullptr : &it->second;
}

std::vector<std::string> Catalogue::Keys() const {
  std::vector<std::string> keys;
  keys.reserve(messages_.size());
  for (const auto& [key, message] : messages_) keys.push_back(key);
  return keys;
}

}  // namespace v6scope::i18n
