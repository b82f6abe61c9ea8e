// Table: rows of strings rendered as an aligned text table, CSV (RFC 4180)
// or JSON Lines (one object per row, keyed by the column names). The last
// column may hold lines printed under each row in the text table (a run's
// verdict explanations), which CSV and JSON keep as one cell.
#ifndef V6SCOPE_CLI_TABLE_H_
#define V6SCOPE_CLI_TABLE_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace v6scope::cli {

enum class OutputFormat { kTable, kCsv, kJson };

absl::StatusOr<OutputFormat> ParseOutputFormat(absl::string_view name);

class Table {
 public:
  explicit Table(std::vector<std::string> columns)
      : columns_(std::move(columns)) {}

  // Makes the last column a "below" column: its cell holds lines
  // ('\n'-separated). The text table prints them under the row, indented,
  // instead of as a column; CSV and JSON give one cell joined by " | ".
  void SetLastColumnBelow() { last_below_ = true; }

  // What the text table says instead of a bare header when it has no row
  // ("no data in this window (latest: …)"). CSV and JSON keep their shape.
  void SetEmptyText(std::string text) { empty_text_ = std::move(text); }
  // A line printed under the text table ("includes 12 synthetic sample
  // probes"); not part of CSV or JSON.
  void AddNote(std::string note) { notes_.push_back(std::move(note)); }

  // A row must have one cell per column.
  void AddRow(std::vector<std::string> cells);

  std::string Render(OutputFormat format) const;
  size_t rows() const { return rows_.size(); }
  size_t columns() const { return columns_.size(); }

 private:
  std::string RenderText() const;
  std::string RenderCsv() const;
  std::string RenderJsonLines() const;

  // The cells as CSV and JSON show them (a below cell joined by " | ").
  std::vector<std::string> FlatCells(const std::vector<std::string>& row) const;

  std::vector<std::string> columns_;
  std::vector<std::vector<std::string>> rows_;
  bool last_below_ = false;
  std::string empty_text_;
  std::vector<std::string> notes_;
};

// Terminal columns `text` takes: one per UTF-8 code point (the en dash of
// "72% (65–78%)" is three bytes but one column). Every text the CLI prints
// is Latin, digits and punctuation: no double-width characters.
size_t DisplayWidth(absl::string_view text);

}  // namespace v6scope::cli

#endif  // V6SCOPE_CLI_TABLE_H_
