// Imports a campaign's domain list from a stream or a file: detects or
// takes the format, reads it line by line in bounded memory, and returns
// the whole list with its warnings, or an error naming the line (and CSV
// column) and nothing else. See docs/campaigns.md, "Domain lists".
#ifndef V6SCOPE_COLLECTOR_CAMPAIGN_LIST_IMPORT_H_
#define V6SCOPE_COLLECTOR_CAMPAIGN_LIST_IMPORT_H_

#include <istream>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "collector/campaign/domain_list.h"
#include "collector/campaign/import_options.h"

namespace v6scope::collector::campaign {

// The format of a list from its file name and its first content line
// (neither blank nor a '#' comment): ".toml" or "[[" -> TOML; a header
// starting "Domain name,Domain type" -> .gov; "<integer>,<text>" ->
// Tranco; a comma, ".csv" or a lone "domain" header -> CSV; otherwise
// plain text.
ListFormat DetectListFormat(absl::string_view file_name,
                            absl::string_view first_line);

// INVALID_ARGUMENT for a malformed list (see list_import.cc for the
// rules); an empty list is an error too.
absl::StatusOr<ImportResult> ImportDomainList(std::istream& in,
                                              const ImportOptions& options);

// The same from a file (options.file_name defaults to `path`); NOT_FOUND
// or the OS error if it cannot be opened. Errors are prefixed with path.
absl::StatusOr<ImportResult> ImportDomainListFile(const std::string& path,
                                                  ImportOptions options);

}  // namespace v6scope::collector::campaign

#endif  // V6SCOPE_COLLECTOR_CAMPAIGN_LIST_IMPORT_H_
