// The bounds every explanation sentence keeps (proto: Explanation.text),
// shared by the run verdict's explanations (explain_text) and the
// readiness verdict's (readiness/text): uploaded fields go through Clean()
// so they never break a sentence or its line, and Bounded() keeps the
// whole sentence within the proto's byte limit.
#ifndef V6SCOPE_METHODOLOGY_SENTENCE_H_
#define V6SCOPE_METHODOLOGY_SENTENCE_H_

#include <cstddef>
#include <string>

#include "absl/strings/string_view.h"

namespace v6scope::methodology {

// The longest explanation (proto: Explanation.text).
inline constexpr size_t kMaxExplanationBytes = 400;

// Printable ASCII of `text` (anything else becomes '?'), at most `max`
// bytes.
std::string Clean(absl::string_view text, size_t max);
// `text` cut to kMaxExplanationBytes (ending "...") when longer.
std::string Bounded(std::string text);

}  // namespace v6scope::methodology

#endif  // V6SCOPE_METHODOLOGY_SENTENCE_H_
