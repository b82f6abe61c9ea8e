// Plain text: one name a line, an optional "# comment" after it.
#include <memory>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "collector/campaign/record_parser.h"

namespace v6scope::collector::campaign {
namespace {

class TextParser : public RecordParser {
 public:
  explicit TextParser(Sector sector) : sector_(sector) {}

  absl::Status Line(int64_t number, absl::string_view line,
                    DomainListBuilder& out) override {
    line = absl::StripAsciiWhitespace(line.substr(0, line.find('#')));
    if (line.empty()) return absl::OkStatus();
    // A URL keeps its spaces-free shape; anything with a blank inside is
    // two fields, which the plain format does not have.
    if (line.find_first_of(" \t") != absl::string_view::npos &&
        line.find("://") == absl::string_view::npos) {
      return absl::InvalidArgumentError(absl::StrCat(
          "line ", number,
          ": more than one field; the plain format is one domain name a "
          "line (use CSV with a sector column to tag names)"));
    }
    return out.Add(line, sector_, number);
  }

  absl::Status Finish(DomainListBuilder&) override { return absl::OkStatus(); }

 private:
  const Sector sector_;
};

}  // namespace

std::unique_ptr<RecordParser> MakeTextParser(const ImportOptions& options) {
  return std::make_unique<TextParser>(options.default_sector);
}

}  // namespace v6scope::collector::campaign
