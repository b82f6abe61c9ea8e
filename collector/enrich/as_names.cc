#include "collector/enrich/as_names.h"

#include "absl/strings/ascii.h"
#include "absl/strings/strip.h"

namespace v6scope::collector::enrich {
namespace {

constexpr size_t kMaxNameSize = 1000;

// Splits "NAME, CC" into its parts; without a ", CC" ending the whole text
// is the name.
void SplitNameAndCountry(absl::string_view text, absl::string_view* name,
                         absl::string_view* cc) {
  *name = text;
  *cc = "";
  if (text.size() < 4) return;
  const absl::string_view tail = text.substr(text.size() - 4);
  if (tail[0] == ',' && tail[1] == ' ' && absl::ascii_isupper(tail[2]) &&
      absl::ascii_isupper(tail[3])) {
    *name = text.substr(0, text.size() - 4);
    *cc = tail.substr(2);
  }
}

}  // namespace

AsNames AsNames::Parse(absl::string_view contents, MalformedLines* bad) {
  AsNames names;
  ForEachLine(contents, bad, [&](uint64_t number, absl::string_view line) {
    if (line.empty() || line[0] == '#') return;
    const size_t tab = line.find('\t');
    uint64_t asn = 0;
    if (tab == absl::string_view::npos) {
      bad->Add(number, "no TAB after the AS number", line);
      return;
    }
    if (!ParseDecimal(line.substr(0, tab), 0xFFFFFFFF, &asn)) {
      bad->Add(number, "bad AS number", line);
      return;
    }
    absl::string_view name;
    absl::string_view cc;
    SplitNameAndCountry(absl::StripAsciiWhitespace(line.substr(tab + 1)), &name,
                        &cc);
    name = absl::StripAsciiWhitespace(name);
    // The real list has a few "ASN<TAB>, CC" lines: no name, but a country.
    if (name.empty() && cc.empty()) {
      bad->Add(number, "neither AS name nor country", line);
      return;
    }
    if (name.size() > kMaxNameSize) {
      bad->Add(number, "AS name too long", line);
      return;
    }
    // A later line for the same ASN replaces the earlier one.
    names.rows_[static_cast<uint32_t>(asn)] = Row{
        static_cast<uint32_t>(names.text_.size()),
        static_cast<uint16_t>(name.size()), static_cast<uint8_t>(cc.size())};
    names.text_.append(name.data(), name.size());
    names.text_.append(cc.data(), cc.size());
  });
  names.text_.shrink_to_fit();
  return names;
}

std::optional<AsNames::Entry> AsNames::Lookup(uint32_t asn) const {
  const auto it = rows_.find(asn);
  if (it == rows_.end()) return std::nullopt;
  const Row& row = it->second;
  const absl::string_view text(text_);
  return Entry{text.substr(row.offset, row.name_size),
               text.substr(row.offset + row.name_size, row.cc_size)};
}

}  // namespace v6scope::collector::enrich
