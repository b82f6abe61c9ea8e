// Splits one CSV line (RFC 4180 quoting: "a, b" and "" for a quote) into
// its fields. Fields spanning lines are not supported: no domain-list
// format needs them, and reading one record per line keeps line numbers
// exact in errors.
#ifndef V6SCOPE_COLLECTOR_CAMPAIGN_CSV_FIELDS_H_
#define V6SCOPE_COLLECTOR_CAMPAIGN_CSV_FIELDS_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace v6scope::collector::campaign {

// Fields of `line` into `*fields` (reused); INVALID_ARGUMENT "column N:
// ..." for a quote left open or text after a closing quote.
absl::Status SplitCsvLine(absl::string_view line,
                          std::vector<std::string>* fields);

}  // namespace v6scope::collector::campaign

#endif  // V6SCOPE_COLLECTOR_CAMPAIGN_CSV_FIELDS_H_
