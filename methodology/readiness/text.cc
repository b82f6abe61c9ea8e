#include "methodology/readiness/text.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"
#include "proto/readiness.pb.h"
#include "proto/results.pb.h"

namespace v6scope::methodology::readiness {

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

std::string OutcomeName(v6scope::v1::Outcome outcome) {
  if (!v6scope::v1::Outcome_IsValid(outcome)) {
    return absl::StrCat("outcome ", static_cast<int>(outcome));
  }
  return v6scope::v1::Outcome_Name(outcome);
}

std::string DomainName(const v6scope::v1::DomainCheck& check) {
  return check.domain().empty() ? "the domain" : Clean(check.domain());
}

std::string ListOf(const std::vector<std::string>& items, size_t max_items) {
  if (items.empty()) return "none";
  std::vector<std::string> shown;
  for (size_t i = 0; i < items.size() && i < max_items; ++i) {
    shown.push_back(Clean(items[i]));
  }
  std::string out = absl::StrJoin(shown, ", ");
  if (items.size() > max_items) {
    absl::StrAppend(&out, " and ", items.size() - max_items, " more");
  }
  return out;
}

}  // namespace v6scope::methodology::readiness
