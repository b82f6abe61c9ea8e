#include "collector/ingest/field_checks.h"

#include <string>

#include "absl/status/statusor.h"
#include "common/net/ip_address.h"

namespace v6scope::collector::ingest {

absl::Status Bad(const Path& path, absl::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat(path.str(), ": ", what));
}

absl::Status CheckLength(const Path& path, const std::string& s, size_t max) {
  if (s.size() > max) {
    return Bad(path, absl::StrCat("longer than ", max, " bytes"));
  }
  return absl::OkStatus();
}

absl::Status CheckText(const Path& path, const std::string& s, size_t max,
                       text::TextRule rule) {
  absl::Status st = CheckLength(path, s, max);
  if (!st.ok()) return st;  // Already names the path.
  st = text::CheckTextRule(s, rule);
  if (!st.ok()) return Bad(path, st.message());
  return absl::OkStatus();
}

absl::Status CheckAddress(const Path& path, const std::string& s) {
  if (s.size() > kMaxAddressText || !net::IpAddress::Parse(s).ok()) {
    return Bad(path, absl::StrCat("not an IP address literal: \"",
                                  text::Printable(s.substr(0, 64)), "\""));
  }
  return absl::OkStatus();
}

absl::Status CheckNat64Prefix(const Path& path, const std::string& s) {
  if (s.empty()) return absl::OkStatus();
  absl::StatusOr<net::IpPrefix> prefix =
      s.size() > kMaxPrefixText ? absl::InvalidArgumentError("too long")
                                : net::IpPrefix::Parse(s);
  if (!prefix.ok() || !prefix->address().is_v6()) {
    return Bad(path, "not an IPv6 prefix in CIDR notation");
  }
  switch (prefix->length()) {
    case 32:
    case 40:
    case 48:
    case 56:
    case 64:
    case 96:
      return absl::OkStatus();
    default:
      return Bad(path, "length not one of 32, 40, 48, 56, 64, 96 (RFC 6052)");
  }
}

}  // namespace v6scope::collector::ingest
