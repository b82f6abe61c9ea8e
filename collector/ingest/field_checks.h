// The field-level checks of upload validation, shared by the run
// validator (validate.h) and the readiness validator (validate_domain.h):
// a lazily written field path, and the length, character-set, address
// and enum checks whose errors start with that path, e.g.
// "runs[3].tests[2].target: longer than 255 bytes".
#ifndef V6SCOPE_COLLECTOR_INGEST_FIELD_CHECKS_H_
#define V6SCOPE_COLLECTOR_INGEST_FIELD_CHECKS_H_

#include <cstddef>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "common/text/text_rules.h"

namespace v6scope::collector::ingest {

// Longest address literal ("ffff:...:ffff:255.255.255.255" is 45) and
// prefix text, checked before parsing.
inline constexpr size_t kMaxAddressText = 45;
inline constexpr size_t kMaxPrefixText = 49;

// The path of a field ("runs[1].tests[3].target"), written out only when
// an error names it: validating a good batch builds no strings. A Path
// points to its parent, so a Path must not outlive the one it came from
// (pass Field()/At() results straight to a call, never store them).
class Path {
 public:
  explicit Path(absl::string_view root) : name_(root) {}
  Path Field(absl::string_view name) const { return Path(this, name, -1); }
  Path At(int index) const { return Path(this, {}, index); }

  std::string str() const {
    if (parent_ == nullptr) return std::string(name_);
    std::string s = parent_->str();
    if (index_ >= 0) {
      absl::StrAppend(&s, "[", index_, "]");
    } else {
      absl::StrAppend(&s, ".", name_);
    }
    return s;
  }

 private:
  Path(const Path* parent, absl::string_view name, int index)
      : parent_(parent), name_(name), index_(index) {}

  const Path* parent_ = nullptr;
  absl::string_view name_;
  int index_ = -1;
};

// INVALID_ARGUMENT "<path>: <what>".
absl::Status Bad(const Path& path, absl::string_view what);

absl::Status CheckLength(const Path& path, const std::string& s, size_t max);

// A length bound and a character set (text_rules.h), the length first so
// a huge value costs nothing more.
absl::Status CheckText(const Path& path, const std::string& s, size_t max,
                       text::TextRule rule);

// An IPv4 or IPv6 address literal.
absl::Status CheckAddress(const Path& path, const std::string& s);

// RFC 6052 NAT64 prefixes: /32, /40, /48, /56, /64 or /96 of IPv6, host
// bits zero; empty is fine (no NAT64).
absl::Status CheckNat64Prefix(const Path& path, const std::string& s);

template <typename IsValid>
absl::Status CheckEnum(const Path& path, int value, IsValid is_valid,
                       bool allow_unspecified) {
  if (!is_valid(value)) {
    return Bad(path, absl::StrCat("unknown enum value ", value));
  }
  if (value == 0 && !allow_unspecified) return Bad(path, "must be set");
  return absl::OkStatus();
}

}  // namespace v6scope::collector::ingest

#endif  // V6SCOPE_COLLECTOR_INGEST_FIELD_CHECKS_H_
