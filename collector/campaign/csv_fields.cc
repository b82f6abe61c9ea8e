#include "collector/campaign/csv_fields.h"

#include <algorithm>

#include "absl/strings/str_cat.h"

namespace v6scope::collector::campaign {
namespace {

// The quoted field starting at line[*i] (the opening quote) into *out;
// *i is left after the closing quote.
absl::Status QuotedField(absl::string_view line, size_t* i, size_t column,
                         std::string* out) {
  for (size_t j = *i + 1; j < line.size(); ++j) {
    if (line[j] != '"') {
      out->push_back(line[j]);
    } else if (j + 1 < line.size() && line[j + 1] == '"') {
      out->push_back('"');
      ++j;
    } else {
      *i = j + 1;
      return absl::OkStatus();
    }
  }
  return absl::InvalidArgumentError(
      absl::StrCat("column ", column,
                   ": a quoted field is not closed on its line (fields "
                   "spanning lines are not supported)"));
}

}  // namespace

absl::Status SplitCsvLine(absl::string_view line,
                          std::vector<std::string>* fields) {
  fields->clear();
  size_t i = 0;
  while (true) {
    fields->emplace_back();
    std::string* field = &fields->back();
    if (i < line.size() && line[i] == '"') {
      if (absl::Status s = QuotedField(line, &i, fields->size(), field);
          !s.ok()) {
        return s;
      }
      if (i < line.size() && line[i] != ',') {
        return absl::InvalidArgumentError(
            absl::StrCat("column ", fields->size(),
                         ": text after the closing quote of a field"));
      }
    } else {
      const size_t comma = std::min(line.find(',', i), line.size());
      *field = std::string(line.substr(i, comma - i));
      i = comma;
    }
    if (i >= line.size()) return absl::OkStatus();
    ++i;  // The comma.
  }
}

}  // namespace v6scope::collector::campaign
