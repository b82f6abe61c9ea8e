// A cursor over one line of the TOML subset the ipv6-in-real-life lists
// use: bare keys, basic ("...") and literal ('...') one-line strings,
// commas, brackets and '#' comments. Anything else is an error saying
// which subset is read, so an unexpected construct is never half-read.
#ifndef V6SCOPE_COLLECTOR_CAMPAIGN_TOML_CURSOR_H_
#define V6SCOPE_COLLECTOR_CAMPAIGN_TOML_CURSOR_H_

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace v6scope::collector::campaign {

class TomlCursor {
 public:
  explicit TomlCursor(absl::string_view line) : line_(line) {}

  // Skips blanks; true if only a comment or nothing is left.
  bool AtEnd();
  // Consumes `c` (after blanks) if it is next.
  bool Eat(char c);
  // A bare key: [A-Za-z0-9_-]+.
  absl::Status Key(std::string* key);
  // A one-line basic or literal string.
  absl::Status String(std::string* value);
  // True if a string starts next (after blanks).
  bool AtString();
  // "column N: " for an error at the cursor.
  std::string Column() const;

 private:
  absl::Status BasicString(std::string* value);

  absl::string_view line_;
  size_t pos_ = 0;
};

// "unsupported TOML ...: only [[table]], key = \"string\" and arrays of
// strings are read".
absl::Status UnsupportedToml(absl::string_view what);

}  // namespace v6scope::collector::campaign

#endif  // V6SCOPE_COLLECTOR_CAMPAIGN_TOML_CURSOR_H_
