// Table: rows of strings rendered as an aligned text table, CSV (RFC 4180)
// or JSON Lines (one object per row, keyed by the column names).
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

  // A row must have one cell per column.
  void AddRow(std::vector<std::string> cells);

  std::string Render(OutputFormat format) const;
  size_t rows() const { return rows_.size(); }
  size_t columns() const { return columns_.size(); }

 private:
  std::string RenderText() const;
  std::string RenderCsv() const;
  std::string RenderJsonLines() const;

  std::vector<std::string> columns_;
  std::vector<std::vector<std::string>> rows_;
};

}  // namespace v6scope::cli

#endif  // V6SCOPE_CLI_TABLE_H_
