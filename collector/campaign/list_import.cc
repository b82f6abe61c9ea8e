#include "collector/campaign/list_import.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <memory>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "collector/campaign/line_reader.h"
#include "collector/campaign/record_parser.h"

namespace v6scope::collector::campaign {
namespace {

constexpr std::pair<absl::string_view, ListFormat> kFormats[] = {
    {"auto", ListFormat::kAuto},     {"text", ListFormat::kText},
    {"csv", ListFormat::kCsv},       {"dotgov", ListFormat::kDotGov},
    {"tranco", ListFormat::kTranco}, {"toml", ListFormat::kToml},
};

// Blank and '#' lines carry nothing in any of the formats (CSV has no
// comments, but a leading '#' line is never a record worth failing on).
bool IsContent(absl::string_view line) {
  line = absl::StripLeadingAsciiWhitespace(line);
  return !line.empty() && line.front() != '#';
}

std::unique_ptr<RecordParser> MakeParser(ListFormat format,
                                         const ImportOptions& options) {
  switch (format) {
    case ListFormat::kToml:
      return MakeTomlParser(options);
    case ListFormat::kCsv:
    case ListFormat::kDotGov:
    case ListFormat::kTranco:
      return MakeCsvParser(format, options);
    case ListFormat::kAuto:
    case ListFormat::kText:
      break;
  }
  return MakeTextParser(options);
}

}  // namespace

absl::string_view ListFormatName(ListFormat format) {
  for (const auto& [name, value] : kFormats) {
    if (value == format) return name;
  }
  return "auto";
}

std::optional<ListFormat> ParseListFormat(absl::string_view name) {
  for (const auto& [text, value] : kFormats) {
    if (absl::EqualsIgnoreCase(text, name)) return value;
  }
  return std::nullopt;
}

ListFormat DetectListFormat(absl::string_view file_name,
                            absl::string_view first_line) {
  const absl::string_view line = absl::StripAsciiWhitespace(first_line);
  if (absl::EndsWithIgnoreCase(file_name, ".toml") ||
      absl::StartsWith(line, "[[")) {
    return ListFormat::kToml;
  }
  if (absl::StartsWithIgnoreCase(line, "domain name,domain type")) {
    return ListFormat::kDotGov;
  }
  const size_t comma = line.find(',');
  int64_t rank = 0;
  if (comma != absl::string_view::npos &&
      line.find(',', comma + 1) == absl::string_view::npos &&
      absl::SimpleAtoi(line.substr(0, comma), &rank)) {
    return ListFormat::kTranco;
  }
  // A one-column CSV export: its header is a column name, not a domain.
  if (comma != absl::string_view::npos ||
      absl::EndsWithIgnoreCase(file_name, ".csv") ||
      absl::EqualsIgnoreCase(line, "domain") ||
      absl::EqualsIgnoreCase(line, "domain name")) {
    return ListFormat::kCsv;
  }
  return ListFormat::kText;
}

absl::StatusOr<ImportResult> ImportDomainList(std::istream& in,
                                              const ImportOptions& options) {
  LineReader reader(in);
  DomainListBuilder builder(options.limits);
  std::unique_ptr<RecordParser> parser;
  absl::string_view line;
  while (true) {
    absl::StatusOr<bool> more = reader.Next(&line);
    if (!more.ok()) return more.status();
    if (!*more) break;
    if (!IsContent(line)) continue;
    if (parser == nullptr) {
      const ListFormat format = options.format == ListFormat::kAuto
                                    ? DetectListFormat(options.file_name, line)
                                    : options.format;
      parser = MakeParser(format, options);
    }
    absl::Status s = parser->Line(reader.line_number(), line, builder);
    if (!s.ok()) return s;
  }
  if (in.bad()) return absl::DataLossError("read error in the list");
  if (parser != nullptr) {
    if (absl::Status s = parser->Finish(builder); !s.ok()) return s;
  }
  ImportResult result = std::move(builder).Finish();
  if (result.list.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "the list holds no domain names (", reader.line_number(), " lines read",
        result.names_skipped > 0 ? ", every name invalid" : "", ")"));
  }
  return result;
}

absl::StatusOr<ImportResult> ImportDomainListFile(const std::string& path,
                                                  ImportOptions options) {
  std::ifstream in(path, std::ios::binary);
  if (!in.is_open()) {
    const int error = errno;
    return absl::Status(
        error == ENOENT ? absl::StatusCode::kNotFound
                        : absl::StatusCode::kFailedPrecondition,
        absl::StrCat(path, ": cannot open: ", std::strerror(error)));
  }
  if (options.file_name.empty()) options.file_name = path;
  absl::StatusOr<ImportResult> result = ImportDomainList(in, options);
  if (!result.ok()) {
    return absl::Status(result.status().code(),
                        absl::StrCat(path, ": ", result.status().message()));
  }
  return result;
}

}  // namespace v6scope::collector::campaign
