// One domain-list format: turns the lines the import loop hands it into
// names for the builder. The loop (list_import.cc) owns reading, encoding
// and skipping blank and '#' lines; a parser sees only content lines.
#ifndef V6SCOPE_COLLECTOR_CAMPAIGN_RECORD_PARSER_H_
#define V6SCOPE_COLLECTOR_CAMPAIGN_RECORD_PARSER_H_

#include <cstdint>
#include <memory>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "collector/campaign/domain_list.h"
#include "collector/campaign/import_options.h"

namespace v6scope::collector::campaign {

class RecordParser {
 public:
  virtual ~RecordParser() = default;
  // One content line; errors are "line N...: ...".
  virtual absl::Status Line(int64_t number, absl::string_view line,
                            DomainListBuilder& out) = 0;
  // After the last line (a TOML table still open, a CSV without rows).
  virtual absl::Status Finish(DomainListBuilder& out) = 0;
};

std::unique_ptr<RecordParser> MakeTextParser(const ImportOptions& options);
// kCsv, kDotGov or kTranco.
std::unique_ptr<RecordParser> MakeCsvParser(ListFormat format,
                                            const ImportOptions& options);
std::unique_ptr<RecordParser> MakeTomlParser(const ImportOptions& options);

}  // namespace v6scope::collector::campaign

#endif  // V6SCOPE_COLLECTOR_CAMPAIGN_RECORD_PARSER_H_
