#include "cli/table.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "api/api_json.h"
#include "api/export_format.h"

namespace v6scope::cli {
namespace {

// The export's CSV rule, formula guard included: cells show uploaded text.
std::string CsvCell(const std::string& s) { return api::CsvField(s); }

// A JSON Lines cell: a number when the cell is one in JSON's grammar
// ("13335", "0.25"; not "007" or "<5"), so `jq` and data frames get
// numbers, else a string; both printed by api_json (the API's printer).
std::string JsonCell(const std::string& cell) {
  return api::IsJsonNumber(cell) ? cell : api::JsonString(cell);
}

}  // namespace

size_t DisplayWidth(absl::string_view text) {
  size_t width = 0;
  for (char c : text) {
    // Continuation bytes (10xxxxxx) belong to the code point before them.
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++width;
  }
  return width;
}

absl::StatusOr<OutputFormat> ParseOutputFormat(absl::string_view name) {
  if (name == "table") return OutputFormat::kTable;
  if (name == "csv") return OutputFormat::kCsv;
  if (name == "json" || name == "jsonl") return OutputFormat::kJson;
  return absl::InvalidArgumentError(absl::StrCat(
      "--format must be table, csv, json or jsonl, not '", name, "'"));
}

void Table::AddRow(std::vector<std::string> cells) {
  cells.resize(columns_.size());
  rows_.push_back(std::move(cells));
}

std::string Table::Render(OutputFormat format) const {
  switch (format) {
    case OutputFormat::kTable:
      return RenderText();
    case OutputFormat::kCsv:
      return RenderCsv();
    case OutputFormat::kJson:
      return RenderJsonLines();
  }
  return RenderText();
}

std::vector<std::string> Table::FlatCells(
    const std::vector<std::string>& row) const {
  if (!last_below_ || row.empty()) return row;
  std::vector<std::string> cells = row;
  cells.back() = absl::StrJoin(
      absl::StrSplit(cells.back(), '\n', absl::SkipEmpty()), " | ");
  return cells;
}

std::string Table::RenderText() const {
  // A below column is not a column of the text table.
  if (rows_.empty() && !empty_text_.empty()) return empty_text_ + "\n";
  const size_t shown = columns_.size() - (last_below_ ? 1 : 0);
  std::vector<size_t> width(shown);
  for (size_t c = 0; c < shown; ++c) {
    width[c] = DisplayWidth(columns_[c]);
    for (const auto& row : rows_) {
      width[c] = std::max(width[c], DisplayWidth(row[c]));
    }
  }
  std::string out;
  auto append_row = [&](const std::vector<std::string>& cells) {
    std::string line;
    for (size_t c = 0; c < shown; ++c) {
      if (c > 0) line += "  ";
      line += cells[c];
      if (c + 1 < shown) line.append(width[c] - DisplayWidth(cells[c]), ' ');
    }
    absl::StrAppend(&out, line, "\n");
  };
  append_row(columns_);
  for (const auto& row : rows_) {
    append_row(row);
    if (!last_below_) continue;
    for (absl::string_view below :
         absl::StrSplit(row.back(), '\n', absl::SkipEmpty())) {
      absl::StrAppend(&out, "    ", below, "\n");
    }
  }
  for (const std::string& note : notes_) absl::StrAppend(&out, note, "\n");
  return out;
}

std::string Table::RenderCsv() const {
  std::string out;
  auto append_row = [&](const std::vector<std::string>& cells) {
    for (size_t c = 0; c < cells.size(); ++c) {
      if (c > 0) out += ",";
      out += CsvCell(cells[c]);
    }
    out += "\r\n";
  };
  append_row(columns_);
  for (const auto& row : rows_) append_row(FlatCells(row));
  return out;
}

std::string Table::RenderJsonLines() const {
  std::string out;
  for (const auto& shown : rows_) {
    const std::vector<std::string> row = FlatCells(shown);
    out += "{";
    for (size_t c = 0; c < columns_.size(); ++c) {
      if (c > 0) out += ",";
      absl::StrAppend(&out, api::JsonString(columns_[c]), ":",
                      JsonCell(row[c]));
    }
    out += "}\n";
  }
  return out;
}

}  // namespace v6scope::cli
