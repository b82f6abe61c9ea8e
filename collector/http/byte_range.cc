#include "collector/http/byte_range.h"

#include <limits>
#include <optional>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"

namespace v6scope::collector::http {
namespace {

constexpr uint64_t kMax = std::numeric_limits<uint64_t>::max();

// Digits only; a value too large for 64 bits saturates (it is past the
// end of any object either way). Empty or other characters: nullopt.
std::optional<uint64_t> Number(absl::string_view text) {
  if (text.empty()) return std::nullopt;
  uint64_t value = 0;
  for (char c : text) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) {
      return std::nullopt;
    }
    const uint64_t digit = static_cast<uint64_t>(c - '0');
    value = value > (kMax - digit) / 10 ? kMax : value * 10 + digit;
  }
  return value;
}

ByteRange Partial(uint64_t first, uint64_t last) {
  return ByteRange{ByteRange::Kind::kPartial, first, last - first + 1};
}

ByteRange Unsatisfiable() {
  return ByteRange{ByteRange::Kind::kUnsatisfiable, 0, 0};
}

// "-n": the last n bytes.
ByteRange Suffix(uint64_t n, uint64_t size) {
  if (n == 0 || size == 0) return Unsatisfiable();
  return Partial(n >= size ? 0 : size - n, size - 1);
}

}  // namespace

ByteRange ParseByteRange(const std::string* header, uint64_t size) {
  if (header == nullptr) return ByteRange();
  absl::string_view spec = absl::StripAsciiWhitespace(*header);
  if (!absl::ConsumePrefix(&spec, "bytes=")) return ByteRange();
  spec = absl::StripAsciiWhitespace(spec);
  if (absl::StrContains(spec, ',')) return ByteRange();  // Several: ignored.
  const size_t dash = spec.find('-');
  if (dash == absl::string_view::npos) return ByteRange();
  const absl::string_view a = absl::StripAsciiWhitespace(spec.substr(0, dash));
  const absl::string_view b = absl::StripAsciiWhitespace(spec.substr(dash + 1));
  if (a.empty()) {
    std::optional<uint64_t> n = Number(b);
    return n.has_value() ? Suffix(*n, size) : ByteRange();
  }
  std::optional<uint64_t> first = Number(a);
  if (!first.has_value()) return ByteRange();
  std::optional<uint64_t> last = b.empty() ? kMax : Number(b);
  if (!last.has_value() || *last < *first) return ByteRange();
  if (*first >= size) return Unsatisfiable();
  return Partial(*first, *last >= size ? size - 1 : *last);
}

std::string ContentRange(const ByteRange& range, uint64_t size) {
  if (range.kind != ByteRange::Kind::kPartial) {
    return absl::StrCat("bytes */", size);
  }
  return absl::StrCat("bytes ", range.first, "-",
                      range.first + range.length - 1, "/", size);
}

}  // namespace v6scope::collector::http
