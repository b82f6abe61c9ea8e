// The messages of one language, from its catalogue file
// (i18n/messages/<tag>.json: a JSON object of key -> ICU MessageFormat
// pattern; docs/i18n.md).
//
// Loading checks every message (message.h) and refuses the file, naming
// it and the line and column of each problem, when it is malformed JSON,
// has a duplicate or badly formed key, or holds a message ICU refuses.
// Whether the catalogue has the same keys as English is a separate check
// (catalogue_check.h): at run time a missing key falls back to English
// (messages.h).
#ifndef V6SCOPE_COMMON_I18N_CATALOGUE_H_
#define V6SCOPE_COMMON_I18N_CATALOGUE_H_

#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/i18n/locale.h"
#include "common/i18n/message.h"

namespace v6scope::i18n {

class Catalogue {
 public:
  // `source` names the text in errors (its file path). Every problem of
  // the file is listed, one a line: "<source>: line L, column C: ...".
  static absl::StatusOr<Catalogue> Parse(Lang lang, absl::string_view json,
                                         absl::string_view source);
  // Parse() of the file at `path`; NOT_FOUND naming it when it is absent.
  static absl::StatusOr<Catalogue> LoadFile(Lang lang, const std::string& path);

  Lang lang() const { return lang_; }
  const std::string& source() const { return source_; }

  // nullptr when the catalogue has no such key.
  const Message* Find(absl::string_view key) const;
  // All keys, sorted.
  std::vector<std::string> Keys() const;
  size_t size() const { return messages_.size(); }

 private:
  Catalogue(Lang lang, std::string source) : lang_(lang), source_(source) {}

  Lang lang_;
  std::string source_;
  std::map<std::string, Message, std::less<>> messages_;
};

// A key: dot-separated segments of lower-case ASCII letters, digits and
// '-' or '_' ("report.title", "sector.top-sites"), at most 128 bytes.
bool IsValidKey(absl::string_view key);

}  // namespace v6scope::i18n

#endif  // V6SCOPE_COMMON_I18N_CATALOGUE_H_
