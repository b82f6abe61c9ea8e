#include "collector/campaign/domain_name.h"

#include <algorithm>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/net/ip_address.h"
#include "common/text/text_rules.h"

namespace v6scope::collector::campaign {
namespace {

// Quoted for an error message: printable, and short even if the line was
// 8 KiB of junk.
std::string Quote(absl::string_view raw) {
  constexpr size_t kShown = 80;
  std::string shown = text::Printable(raw.substr(0, kShown));
  if (raw.size() > kShown) shown += "...";
  return absl::StrCat("\"", shown, "\"");
}

absl::Status Refuse(absl::string_view raw, absl::string_view why) {
  return absl::InvalidArgumentError(absl::StrCat(Quote(raw), " ", why));
}

// "https://www.example.org/path" -> "example.org", for the suggestion.
std::string HostOfUrl(absl::string_view url) {
  url.remove_prefix(url.find("://") + 3);
  url = url.substr(0, url.find_first_of("/?#"));
  url = url.substr(
      url.rfind('@') == absl::string_view::npos ? 0 : url.rfind('@') + 1);
  if (!absl::StartsWith(url, "[")) url = url.substr(0, url.find(':'));
  std::string host = absl::AsciiStrToLower(url);
  if (absl::StartsWith(host, "www.")) host.erase(0, 4);
  return host;
}

bool IsLdhChar(char c) { return absl::ascii_isalnum(c) || c == '-'; }

// The first fault of one label, or "" if it is fine.
std::string LabelFault(absl::string_view label) {
  if (label.empty()) return "has an empty label (\"..\" or a leading dot)";
  if (label.size() > kMaxLabelBytes) {
    return absl::StrCat("has a label of ", label.size(), " bytes (at most 63)");
  }
  for (char c : label) {
    if (c == '_') {
      return "contains '_', which host names may not (an SRV or "
             "service label is not a domain)";
    }
    if (!IsLdhChar(c)) {
      return absl::StrCat("contains '",
                          text::Printable(absl::string_view(&c, 1)),
                          "' (letters, digits, '-' and '.' only)");
    }
  }
  if (label.front() == '-' || label.back() == '-') {
    return absl::StrCat("has a label starting or ending with '-' (\"", label,
                        "\")");
  }
  return "";
}

// Faults that make the text something other than a name (URL, address,
// wildcard, non-ASCII): checked before the label rules to say so plainly.
absl::Status NotAName(absl::string_view raw) {
  if (absl::StrContains(raw, "://")) {
    return Refuse(raw, absl::StrCat("is a URL, not a domain name: write \"",
                                    HostOfUrl(raw), "\""));
  }
  for (unsigned char c : raw) {
    if (c >= 0x80) {
      return Refuse(raw,
                    "contains non-ASCII characters: give an "
                    "internationalised name as its A-label (\"xn--...\", "
                    "e.g. from `idn2 NAME`)");
    }
  }
  if (absl::StrContains(raw, '*')) {
    return Refuse(raw, "is a wildcard: list the domain itself");
  }
  absl::string_view bare = raw;
  if (absl::StartsWith(bare, "[") && absl::EndsWith(bare, "]")) {
    bare = bare.substr(1, bare.size() - 2);
  }
  if (net::IpAddress::Parse(bare).ok()) {
    return Refuse(raw, "is an IP address, not a domain name");
  }
  if (raw.find_first_of("/?@: \t") != absl::string_view::npos) {
    return Refuse(raw, "is not a domain name (no paths, ports or spaces)");
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::string> NormalizeDomainName(absl::string_view raw) {
  raw = absl::StripAsciiWhitespace(raw);
  if (raw.empty()) return absl::InvalidArgumentError("empty domain name");
  if (absl::Status s = NotAName(raw); !s.ok()) return s;
  std::string name = absl::AsciiStrToLower(raw);
  if (absl::EndsWith(name, ".")) name.pop_back();
  if (name.size() > kMaxNameBytes) {
    return Refuse(
        raw, absl::StrCat("is ", name.size(), " bytes long (at most 253)"));
  }
  const std::vector<absl::string_view> labels = absl::StrSplit(name, '.');
  for (absl::string_view label : labels) {
    if (std::string fault = LabelFault(label); !fault.empty()) {
      return Refuse(raw, fault);
    }
  }
  if (labels.size() < 2) {
    return Refuse(raw,
                  "has one label: give a registered domain "
                  "(\"example.org\"), not a top-level domain");
  }
  if (std::all_of(labels.back().begin(), labels.back().end(),
                  absl::ascii_isdigit)) {
    return Refuse(raw, "ends in an all-digit label (an IP address?)");
  }
  // Every leading "www" label goes while more than two labels remain, not
  // just the first: stripping one would leave "www.www.example.org" as
  // "www.example.org", which normalises again to something else.
  size_t www_labels = 0;
  while (labels.size() - www_labels > 2 && labels[www_labels] == "www") {
    ++www_labels;
  }
  name.erase(0, 4 * www_labels);
  return name;
}

}  // namespace v6scope::collector::campaign
