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
};

}  // namespace v6scope::cli

#endif  // V6SCOPE_CLI_TABLE_H_
