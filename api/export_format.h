// Export formats for researchers: raw runs and aggregates as CSV (RFC 4180)
// and JSON Lines. Every record carries the methodology version and the
// attribution dataset versions it was made with, so a file stands on its
// own. Formatting is per record: callers stream, nothing is buffered here.
#ifndef V6SCOPE_API_EXPORT_FORMAT_H_
#define V6SCOPE_API_EXPORT_FORMAT_H_

#include <optional>
#include <string>

#include "absl/strings/string_view.h"
#include "proto/query_service.pb.h"

namespace v6scope::api {

enum class ExportFormat { kCsv, kJsonLines };

// "csv", "jsonl" (also "ndjson"); nullopt otherwise.
std::optional<ExportFormat> ParseExportFormat(absl::string_view name);
// "text/csv; charset=utf-8" or "application/x-ndjson".
absl::string_view ExportContentType(ExportFormat format);

// Raw runs. CSV has one row per test result (a run without tests: one row
// with empty test columns), so it loads straight into a data frame, each
// row with its run's own verdict methodology_version and explanations
// ("LABEL: text" joined by " | "); JSON Lines has one StoredRun per line
// as api_json.h prints it (every field, 64-bit numbers as numbers),
// complete (verdict.explanations an array).
std::string RunsCsvHeader();
void AppendRunRecords(const v6scope::v1::StoredRun& run, ExportFormat format,
                      std::string* out);

// Aggregates: one line or row per group and window. Groups with
// insufficient data are exported as such, with empty numbers. CSV has a
// count/share/interval column quartet per share, v4_broken and every root
// cause included (an absent cause: 0 of the measured probes), and the
// probes per methodology version ("1=40;2=12").
std::string AggregatesCsvHeader();
void AppendAggregateRecord(const v6scope::v1::AggregateExportRecord& record,
                           ExportFormat format, std::string* out);

// One CSV field, quoted when needed (RFC 4180). A text field that begins
// with '=', '+', '-', '@', tab or CR gets a leading single quote so that a
// spreadsheet shows it instead of running it as a formula (OWASP CSV
// injection); a field that is a plain decimal number ("-3", "+1.5e-3")
// is not text and is left as it is.
std::string CsvField(absl::string_view value);

// True if `value` is a plain decimal number: [+-]digits[.digits][e[+-]digits].
bool IsPlainNumber(absl::string_view value);

}  // namespace v6scope::api

#endif  // V6SCOPE_API_EXPORT_FORMAT_H_
