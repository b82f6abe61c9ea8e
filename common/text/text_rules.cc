#include "common/text/text_rules.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "common/net/ip_address.h"

namespace v6scope::text {
namespace {

bool IsPrintableAscii(unsigned char c) { return c >= 0x20 && c <= 0x7e; }

absl::Status CheckPrintableAscii(absl::string_view s) {
  for (size_t i = 0; i < s.size(); ++i) {
    if (!IsPrintableAscii(static_cast<unsigned char>(s[i]))) {
      return absl::InvalidArgumentError(
          absl::StrCat("byte ", i, " is not printable ASCII"));
    }
  }
  return absl::OkStatus();
}

// Decodes the UTF-8 sequence at s[*i]; advances *i past it. -1 if invalid.
int32_t DecodeUtf8(absl::string_view s, size_t* i) {
  const auto byte = [&](size_t k) { return static_cast<uint8_t>(s[k]); };
  const uint8_t b0 = byte(*i);
  int len = 0;
  int32_t cp = 0;
  int32_t min = 0;
  if (b0 < 0x80) {
    ++*i;
    return b0;
  } else if ((b0 & 0xe0) == 0xc0) {
    len = 2, cp = b0 & 0x1f, min = 0x80;
  } else if ((b0 & 0xf0) == 0xe0) {
    len = 3, cp = b0 & 0x0f, min = 0x800;
  } else if ((b0 & 0xf8) == 0xf0) {
    len = 4, cp = b0 & 0x07, min = 0x10000;
  } else {
    return -1;
  }
  if (*i + len > s.size()) return -1;
  for (int k = 1; k < len; ++k) {
    const uint8_t b = byte(*i + k);
    if ((b & 0xc0) != 0x80) return -1;
    cp = (cp << 6) | (b & 0x3f);
  }
  // Overlong forms, UTF-16 surrogates and beyond Unicode are not UTF-8.
  if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return -1;
  *i += len;
  return cp;
}

bool IsLineControl(int32_t cp) {
  return (cp < 0x20 && cp != '\t') || (cp >= 0x7f && cp <= 0x9f);
}

absl::Status CheckUtf8Line(absl::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    const size_t at = i;
    const int32_t cp = DecodeUtf8(s, &i);
    if (cp < 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("invalid UTF-8 at byte ", at));
    }
    if (IsLineControl(cp)) {
      return absl::InvalidArgumentError(
          absl::StrCat("control character at byte ", at));
    }
  }
  return absl::OkStatus();
}

bool IsHostLabel(absl::string_view label) {
  if (label.empty() || label.size() > 63) return false;
  if (label.front() == '-' || label.back() == '-') return false;
  for (char c : label) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '-' &&
        c != '_') {
      return false;
    }
  }
  return true;
}

bool IsHostName(absl::string_view s) {
  if (s.empty() || s.size() > 253) return false;
  absl::ConsumeSuffix(&s, ".");
  for (absl::string_view label : absl::StrSplit(s, '.')) {
    if (!IsHostLabel(label)) return false;
  }
  return true;
}

absl::Status CheckTarget(absl::string_view s) {
  if (s.empty() || IsHostName(s) || net::IpAddress::Parse(s).ok()) {
    return absl::OkStatus();
  }
  if (!absl::StartsWith(s, "http://") && !absl::StartsWith(s, "https://")) {
    return absl::InvalidArgumentError(
        "neither a host name, an IP literal nor an http(s) URL");
  }
  for (size_t i = 0; i < s.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (!IsPrintableAscii(c) || c == ' ') {
      return absl::InvalidArgumentError(absl::StrCat(
          "URL byte ", i, " is not printable ASCII without spaces"));
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status CheckTextRule(absl::string_view s, TextRule rule) {
  switch (rule) {
    case TextRule::kPrintableAscii:
      return CheckPrintableAscii(s);
    case TextRule::kUtf8Line:
      return CheckUtf8Line(s);
    case TextRule::kTarget:
      return CheckTarget(s);
  }
  return absl::InvalidArgumentError("unknown text rule");
}

bool IsValidUtf8(absl::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    if (DecodeUtf8(s, &i) < 0) return false;
  }
  return true;
}

std::string CleanUtf8Line(absl::string_view s, size_t max_bytes) {
  std::string out;
  out.reserve(std::min(s.size(), max_bytes));
  size_t i = 0;
  while (i < s.size()) {
    const size_t at = i;
    const int32_t cp = DecodeUtf8(s, &i);
    // An invalid sequence costs one byte and one '?': the decoder resumes
    // at the next byte, which may start a valid character.
    if (cp < 0) i = at + 1;
    const bool keep = cp >= 0 && !IsLineControl(cp);
    const size_t len = keep ? i - at : 1;
    if (out.size() + len > max_bytes) break;  // Whole characters only.
    if (keep) {
      out.append(s.data() + at, len);
    } else {
      out.push_back('?');
    }
  }
  return out;
}

std::string Printable(absl::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char ch : s) {
    const unsigned char c = static_cast<unsigned char>(ch);
    if (c == '\\' || c == '"') {
      absl::StrAppend(&out, "\\", std::string(1, ch));
    } else if (IsPrintableAscii(c)) {
      out.push_back(ch);
    } else {
      absl::StrAppendFormat(&out, "\\x%02x", c);
    }
  }
  return out;
}

}  // namespace v6scope::text
