#include "collector/ingest/field_checks.h"

#include <cstdint>
#include <cstring>
#include <string>

#include "absl/status/statusor.h"
#include "common/net/ip_address.h"

namespace v6scope::collector::ingest {
namespace {

// True when every byte of `s` is printable ASCII (0x20..0x7e), which
// passes both kPrintableAscii and kUtf8Line: nearly every field of a good
// batch. Eight bytes at a time; a false answer only means "ask the exact
// rule", which also words the error.
bool AllPrintableAscii(absl::string_view s) {
  constexpr uint64_t kOnes = 0x0101010101010101ULL;
  constexpr uint64_t kHighs = 0x8080808080808080ULL;
  size_t i = 0;
  for (; i + 8 <= s.size(); i += 8) {
    uint64_t x;
    std::memcpy(&x, s.data() + i, 8);
    // A byte below 0x20, or at or above 0x7f (adding 1 sets its high
    // bit): may report a false positive across bytes, never miss one.
    const uint64_t below = (x - 0x20 * kOnes) & ~x;
    const uint64_t above = (x + kOnes) | x;
    if ((below | above) & kHighs) return false;
  }
  for (; i < s.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c < 0x20 || c > 0x7e) return false;
  }
  return true;
}

}  // namespace

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
  if (rule != text::TextRule::kTarget && AllPrintableAscii(s)) {
    return absl::OkStatus();
  }
  st = text::CheckTextRule(s, rule);
  if (!st.ok()) return Bad(path, st.message());
  return absl::OkStatus();
}

absl::Status CheckAddress(const Path& path, const std::string& s) {
  if (s.size() > kMaxAddressText || !net::IpAddress::TryParse(s).has_value()) {
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
