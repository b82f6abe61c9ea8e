// CSV domain lists: a generic header-and-columns CSV, CISA's .gov registry
// (sector from "Domain type") and Tranco ("rank,domain", no header).
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "collector/campaign/csv_fields.h"
#include "collector/campaign/record_parser.h"
#include "common/text/text_rules.h"

namespace v6scope::collector::campaign {
namespace {

constexpr absl::string_view kNameHeaders[] = {
    "domain", "domain name", "domain_name", "name", "host", "hostname"};

// A cell quoted for an error message: printable and short.
std::string Cell(absl::string_view cell) {
  return absl::StrCat("\"", text::Printable(cell.substr(0, 64)),
                      cell.size() > 64 ? "...\"" : "\"");
}

absl::Status LineError(int64_t line, absl::string_view message) {
  return absl::InvalidArgumentError(absl::StrCat("line ", line, message));
}

std::optional<size_t> FindColumn(const std::vector<std::string>& header,
                                 absl::string_view name) {
  for (size_t i = 0; i < header.size(); ++i) {
    if (absl::EqualsIgnoreCase(absl::StripAsciiWhitespace(header[i]), name)) {
      return i;
    }
  }
  return std::nullopt;
}

// The .gov registry's organisation types are all government except
// school districts; election offices, courts and tribes included.
Sector DotGovSector(absl::string_view domain_type) {
  return absl::StartsWithIgnoreCase(absl::StripAsciiWhitespace(domain_type),
                                    "school district")
             ? Sector::kEducation
             : Sector::kGovernment;
}

class CsvParser : public RecordParser {
 public:
  CsvParser(ListFormat format, const ImportOptions& options)
      : format_(format), options_(options) {
    if (format_ == ListFormat::kTranco) {
      header_ = {"rank", "domain"};
      name_column_ = 1;
    }
  }

  absl::Status Line(int64_t number, absl::string_view line,
                    DomainListBuilder& out) override {
    if (absl::Status s = SplitCsvLine(line, &fields_); !s.ok()) {
      return LineError(number, absl::StrCat(", ", s.message()));
    }
    if (header_.empty()) return Header(number, out);
    if (format_ == ListFormat::kTranco) return TrancoRow(number, out);
    return Row(number, out);
  }

  absl::Status Finish(DomainListBuilder&) override {
    if (header_.empty()) {
      return absl::InvalidArgumentError("no CSV header line in the file");
    }
    return absl::OkStatus();
  }

 private:
  std::string Where(size_t column) const {
    return absl::StrCat(", column ", column + 1, " (",
                        text::Printable(header_[column].substr(0, 64)), ")");
  }

  absl::Status Header(int64_t number, DomainListBuilder& out) {
    header_ = fields_;
    const std::string columns = absl::StrJoin(header_, ", ");
    if (format_ == ListFormat::kDotGov) {
      name_column_ = FindColumn(header_, "domain name");
      type_column_ = FindColumn(header_, "domain type");
      if (!name_column_ || !type_column_) {
        return LineError(
            number,
            absl::StrCat(
                ": not a .gov registry header (want \"Domain name\" and "
                "\"Domain type\"; found ",
                columns, ")"));
      }
      return absl::OkStatus();
    }
    return GenericHeader(number, columns, out);
  }

  absl::Status GenericHeader(int64_t number, const std::string& columns,
                             DomainListBuilder& out) {
    if (!options_.name_column.empty()) {
      name_column_ = FindColumn(header_, options_.name_column);
    }
    for (size_t i = 0; options_.name_column.empty() && !name_column_ &&
                       i < std::size(kNameHeaders);
         ++i) {
      name_column_ = FindColumn(header_, kNameHeaders[i]);
    }
    if (!name_column_ && !options_.name_column.empty()) {
      return LineError(
          number, absl::StrCat(": no column \"", options_.name_column,
                               "\" in the header (columns: ", columns, ")"));
    }
    if (!name_column_) {
      return LineError(
          number, absl::StrCat(": no domain column in the header (columns: ",
                               columns, "); name one (e.g. \"domain\")"));
    }
    const std::string sector =
        options_.sector_column.empty() ? "sector" : options_.sector_column;
    sector_column_ = FindColumn(header_, sector);
    if (!sector_column_ && !options_.sector_column.empty()) {
      return LineError(
          number, absl::StrCat(": no column \"", sector,
                               "\" in the header (columns: ", columns, ")"));
    }
    if (!sector_column_) {
      out.Warn(number, absl::StrCat("no sector column: every name is tagged ",
                                    SectorName(options_.default_sector)));
    }
    return absl::OkStatus();
  }

  absl::Status NeedColumns(int64_t number, size_t column) const {
    if (column < fields_.size()) return absl::OkStatus();
    return LineError(number,
                     absl::StrCat(": ", fields_.size(),
                                  " fields, but the name or sector "
                                  "is in column ",
                                  column + 1, " (", header_[column], ")"));
  }

  absl::Status Row(int64_t number, DomainListBuilder& out) {
    Sector sector = options_.default_sector;
    const std::optional<size_t> tag =
        format_ == ListFormat::kDotGov ? type_column_ : sector_column_;
    for (std::optional<size_t> c : {name_column_, tag}) {
      if (c) {
        if (absl::Status s = NeedColumns(number, *c); !s.ok()) return s;
      }
    }
    if (format_ == ListFormat::kDotGov) {
      sector = DotGovSector(fields_[*tag]);
    } else if (tag && !absl::StripAsciiWhitespace(fields_[*tag]).empty()) {
      std::optional<Sector> parsed = ParseSector(fields_[*tag]);
      if (!parsed) {
        return LineError(number, absl::StrCat(Where(*tag), ": unknown sector ",
                                              Cell(fields_[*tag]),
                                              " (one of: ", SectorList(), ")"));
      }
      sector = *parsed;
    }
    return out.Add(fields_[*name_column_], sector, number,
                   Where(*name_column_));
  }

  absl::Status TrancoRow(int64_t number, DomainListBuilder& out) {
    int64_t rank = 0;
    if (fields_.size() != 2) {
      return LineError(number, absl::StrCat(": ", fields_.size(),
                                            " fields; a Tranco line is "
                                            "\"rank,domain\""));
    }
    if (!absl::SimpleAtoi(fields_[0], &rank) || rank < 1) {
      return LineError(number,
                       absl::StrCat(Where(0), ": rank ", Cell(fields_[0]),
                                    " is not a positive integer"));
    }
    return out.Add(fields_[1], Sector::kTopSites, number, Where(1));
  }

  const ListFormat format_;
  const ImportOptions options_;
  std::vector<std::string> fields_;
  std::vector<std::string> header_;
  std::optional<size_t> name_column_;
  std::optional<size_t> sector_column_;
  std::optional<size_t> type_column_;
};

}  // namespace

std::unique_ptr<RecordParser> MakeCsvParser(ListFormat format,
                                            const ImportOptions& options) {
  return std::make_unique<CsvParser>(format, options);
}

}  // namespace v6scope::collector::campaign
