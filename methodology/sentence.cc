#include "methodology/sentence.h"

#include <string>

#include "absl/strings/string_view.h"

namespace v6scope::methodology {

std::string Clean(absl::string_view text, size_t max) {
  std::string out(text.substr(0, max));
  for (char& c : out) {
    if (c < 0x20 || c > 0x7e) c = '?';
  }
  return out;
}

std::string Bounded(std::string text) {
  if (text.size() <= kMaxExplanationBytes) return text;
  text.resize(kMaxExplanationBytes - 3);
  return text + "...";
}

}  // namespace v6scope::methodology
