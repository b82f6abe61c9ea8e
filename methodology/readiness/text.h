// Internal to //methodology/readiness: the words the readiness
// explanations are made of. Every field a probe uploads (names, titles,
// error details) passes through Clean(), so a hostile page title cannot
// break a sentence, its line or its byte bound.
#ifndef V6SCOPE_METHODOLOGY_READINESS_TEXT_H_
#define V6SCOPE_METHODOLOGY_READINESS_TEXT_H_

#include <cstddef>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "methodology/sentence.h"
#include "proto/readiness.pb.h"
#include "proto/results.pb.h"

namespace v6scope::methodology::readiness {

using ::v6scope::methodology::Bounded;
using ::v6scope::methodology::kMaxExplanationBytes;

// The longest host name, URL or title quoted inside a sentence: long
// enough to recognise, short enough that three of them fit in one.
inline constexpr size_t kMaxQuoted = 80;

// methodology::Clean() with the quoting bound as its default.
inline std::string Clean(absl::string_view text, size_t max = kMaxQuoted) {
  return ::v6scope::methodology::Clean(text, max);
}
// "TIMEOUT", "DNS_NODATA"; "outcome 42" for a value newer than this code.
std::string OutcomeName(v6scope::v1::Outcome outcome);
// The checked domain, cleaned; "the domain" when the check has none.
std::string DomainName(const v6scope::v1::DomainCheck& check);
// At most `max_items` of `items` (cleaned), ", "-joined, then
// "and N more"; "none" when empty.
std::string ListOf(absl::Span<const absl::string_view> items,
                   size_t max_items = 2);

}  // namespace v6scope::methodology::readiness

#endif  // V6SCOPE_METHODOLOGY_READINESS_TEXT_H_
