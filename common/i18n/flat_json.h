// The file format of message catalogues: one JSON object whose values are
// all strings (RFC 8259). A parser of that subset only, so that an error
// can name the line and column where the file goes wrong, and duplicate
// keys (which JSON leaves undefined) are refused rather than silently
// overwritten.
#ifndef V6SCOPE_COMMON_I18N_FLAT_JSON_H_
#define V6SCOPE_COMMON_I18N_FLAT_JSON_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace v6scope::i18n {

// Where a problem is: 1-based line and column (in characters, as an
// editor counts them).
struct TextPosition {
  int line = 1;
  int column = 1;
};

// The 1-based line and column of byte `offset` of `text`.
TextPosition PositionOf(absl::string_view text, size_t offset);

struct FlatJsonEntry {
  std::string key;
  std::string value;
  TextPosition position;  // of the key, for later errors about the entry
};

// The members of `text`, in file order. INVALID_ARGUMENT "line L, column
// C: <what>" when it is not a JSON object of strings, has a duplicate key,
// or holds invalid UTF-8 (escapes included: a lone surrogate is refused).
// The caller prefixes the file name.
absl::StatusOr<std::vector<FlatJsonEntry>> ParseFlatJsonObject(
    absl::string_view text);

}  // namespace v6scope::i18n

#endif  // V6SCOPE_COMMON_I18N_FLAT_JSON_H_
