// ipv6-in-real-life lists: repeated [[<sector>]] tables, each with a
// main_host (imported), an optional name and additional_hosts (read and
// checked, not imported: they are other hosts of the same service, where
// a campaign checks each domain's apex and www). The sector is the file's
// stem ("bank.toml"), else the table's name.
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "collector/campaign/record_parser.h"
#include "collector/campaign/toml_cursor.h"

namespace v6scope::collector::campaign {
namespace {

std::string FileStem(absl::string_view path) {
  const size_t slash = path.rfind('/');
  if (slash != absl::string_view::npos) path.remove_prefix(slash + 1);
  return std::string(path.substr(0, path.find('.')));
}

absl::Status LineError(int64_t line, const absl::Status& status) {
  return absl::InvalidArgumentError(
      absl::StrCat("line ", line, ": ", status.message()));
}

class TomlParser : public RecordParser {
 public:
  explicit TomlParser(const ImportOptions& options)
      : file_sector_(ParseSector(FileStem(options.file_name))),
        default_sector_(options.default_sector) {}

  absl::Status Line(int64_t number, absl::string_view line,
                    DomainListBuilder& out) override {
    TomlCursor cursor(line);
    absl::Status s =
        in_array_ ? ArrayItems(cursor)
        : absl::StartsWith(absl::StripLeadingAsciiWhitespace(line), "[")
            ? Table(number, cursor, out)
            : KeyValue(number, cursor, out);
    if (s.ok() && !cursor.AtEnd()) {
      s = UnsupportedToml(absl::StrCat(cursor.Column(), "text after a value"));
    }
    if (!s.ok()) return LineError(number, s);
    // The builder's own error already names the line.
    return std::exchange(added_, absl::OkStatus());
  }

  absl::Status Finish(DomainListBuilder&) override {
    if (in_array_) {
      return absl::InvalidArgumentError(absl::StrCat(
          "line ", array_line_, ": the array is not closed with ']'"));
    }
    return CloseTable();
  }

 private:
  absl::Status CloseTable() {
    if (table_line_ > 0 && !has_main_host_) {
      return absl::InvalidArgumentError(absl::StrCat(
          "line ", table_line_, ": [[", table_, "]] has no main_host"));
    }
    return absl::OkStatus();
  }

  absl::Status Table(int64_t number, TomlCursor& cursor,
                     DomainListBuilder& out) {
    if (!cursor.Eat('[') || !cursor.Eat('[')) {
      return UnsupportedToml("a [table] (only [[table]] arrays are read)");
    }
    std::string name;
    if (absl::Status s = cursor.Key(&name); !s.ok()) return s;
    if (!cursor.Eat(']') || !cursor.Eat(']')) {
      return UnsupportedToml(absl::StrCat(cursor.Column(),
                                          "a dotted or "
                                          "unclosed table "
                                          "name"));
    }
    // Its error names the table's line, not this one.
    added_ = CloseTable();
    if (!added_.ok()) return absl::OkStatus();
    table_ = name;
    table_line_ = number;
    has_main_host_ = false;
    sector_ = file_sector_ ? file_sector_ : ParseSector(name);
    if (!sector_) {
      sector_ = default_sector_;
      out.Warn(number, absl::StrCat("no sector named \"", name, "\": tagged ",
                                    SectorName(*sector_)));
    }
    return absl::OkStatus();
  }

  absl::Status KeyValue(int64_t number, TomlCursor& cursor,
                        DomainListBuilder& out) {
    std::string key;
    if (absl::Status s = cursor.Key(&key); !s.ok()) return s;
    if (!cursor.Eat('=')) {
      return UnsupportedToml(absl::StrCat(cursor.Column(),
                                          "'=' expected "
                                          "(dotted keys?)"));
    }
    if (table_line_ == 0) {
      return UnsupportedToml(
          absl::StrCat("key \"", key, "\" before any [[table]]"));
    }
    if (cursor.Eat('[')) {
      in_array_ = true;
      array_line_ = number;
      return ArrayItems(cursor);
    }
    std::string value;
    if (absl::Status s = cursor.String(&value); !s.ok()) return s;
    if (key != "main_host") return absl::OkStatus();  // name, and others.
    if (has_main_host_) {
      return absl::InvalidArgumentError(absl::StrCat(
          "a second main_host in the [[", table_, "]] of line ", table_line_));
    }
    has_main_host_ = true;
    added_ = out.Add(value, *sector_, number);
    return absl::OkStatus();
  }

  // Strings separated by commas, up to a closing ']' (which may be on a
  // later line: the arrays in the lists are one item a line).
  absl::Status ArrayItems(TomlCursor& cursor) {
    std::string item;
    while (!cursor.AtEnd()) {
      if (cursor.Eat(']')) {
        in_array_ = false;
        return absl::OkStatus();
      }
      if (absl::Status s = cursor.String(&item); !s.ok()) return s;
      if (!cursor.Eat(',') && !cursor.AtEnd()) {
        if (cursor.Eat(']')) {
          in_array_ = false;
          return absl::OkStatus();
        }
        return UnsupportedToml(
            absl::StrCat(cursor.Column(), "',' or ']' expected"));
      }
    }
    return absl::OkStatus();
  }

  const std::optional<Sector> file_sector_;
  const Sector default_sector_;
  std::string table_;
  int64_t table_line_ = 0;
  bool has_main_host_ = false;
  std::optional<Sector> sector_;
  bool in_array_ = false;
  int64_t array_line_ = 0;
  // An error that already names its line (the builder's, for a
  // main_host; a table without main_host), returned as is.
  absl::Status added_;
};

}  // namespace

std::unique_ptr<RecordParser> MakeTomlParser(const ImportOptions& options) {
  return std::make_unique<TomlParser>(options);
}

}  // namespace v6scope::collector::campaign
