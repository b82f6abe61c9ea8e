// Character sets of uploaded text fields, as documented on the fields in
// proto/results.proto and proto/probe_service.proto. Length bounds are
// the caller's; these say only which bytes may appear.
#ifndef V6SCOPE_COMMON_TEXT_TEXT_RULES_H_
#define V6SCOPE_COMMON_TEXT_TEXT_RULES_H_

#include <cstddef>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace v6scope::text {

enum class TextRule {
  // Names, labels, versions, tokens: bytes 0x20..0x7e.
  kPrintableAscii,
  // Human-readable messages: valid UTF-8 (no overlong forms, surrogates or
  // code points above U+10FFFF) without control characters (C0, DEL, C1)
  // except tab, so a message cannot forge log lines or terminal output.
  kUtf8Line,
  // A test's target: a host name (LDH labels of 1..63 bytes, '_' allowed,
  // at most 253 bytes, optional final dot), an IP literal, or an http(s)
  // URL of printable ASCII without spaces.
  kTarget,
};

// OK if `s` matches `rule`; otherwise INVALID_ARGUMENT saying what is
// wrong (without the field path, which the caller adds).
absl::Status CheckTextRule(absl::string_view s, TextRule rule);

// True if `s` is valid UTF-8 (the kUtf8Line rule without the control
// character check): what protobuf requires of a proto3 string.
bool IsValidUtf8(absl::string_view s);

// `s` made to pass kUtf8Line within `max_bytes`: every invalid UTF-8
// byte and every control character except tab becomes '?', and the result
// is cut on a character boundary. For free text the probe puts into a run
// (error messages from libcurl, c-ares, the OS), which the collector would
// otherwise refuse.
std::string CleanUtf8Line(absl::string_view s, size_t max_bytes);

// `s` with every byte outside 0x20..0x7e (and '\\', '"') escaped, for
// quoting untrusted text in an error message or a log line.
std::string Printable(absl::string_view s);

}  // namespace v6scope::text

#endif  // V6SCOPE_COMMON_TEXT_TEXT_RULES_H_
