#include "methodology/readiness/text.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"
#include "proto/readiness.pb.h"
#include "proto/results.pb.h"

namespace v6scope::methodology::readiness {

std::string OutcomeName(v6scope::v1::Outcome outcome) {
  if (!v6scope::v1::Outcome_IsValid(outcome)) {
    return absl::StrCat("outcome ", static_cast<int>(outcome));
  }
  return v6scope::v1::Outcome_Name(outcome);
}

std::string DomainName(const v6scope::v1::DomainCheck& check) {
  return check.domain().empty() ? "the domain" : Clean(check.domain());
}

std::string ListOf(absl::Span<const absl::string_view> items,
                   size_t max_items) {
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
