#include "common/i18n/catalogue_check.h"

#include <set>

#include "absl/strings/str_cat.h"

namespace v6scope::i18n {
namespace {

void CompareArguments(const std::string& prefix, const Message& reference,
                      const Message& translation,
                      std::vector<std::string>* problems) {
  const std::set<std::string>& want = reference.arguments();
  const std::set<std::string>& have = translation.arguments();
  for (const std::string& a : want) {
    if (have.count(a) == 0) {
      problems->push_back(absl::StrCat(prefix, "argument {", a, "} missing"));
    }
  }
  for (const std::string& a : have) {
    if (want.count(a) == 0) {
      problems->push_back(
          absl::StrCat(prefix, "argument {", a, "} not in English"));
    }
  }
}

}  // namespace

std::vector<std::string> CompareWithReference(const Catalogue& reference,
                                              const Catalogue& translation) {
  std::vector<std::string> problems;
  const std::string source = translation.source();
  for (const std::string& key : reference.Keys()) {
    const Message* theirs = translation.Find(key);
    if (theirs == nullptr) {
      problems.push_back(absl::StrCat(source, ": missing key ", key));
      continue;
    }
    CompareArguments(absl::StrCat(source, ": ", key, ": "),
                     *reference.Find(key), *theirs, &problems);
  }
  for (const std::string& key : translation.Keys()) {
    if (reference.Find(key) == nullptr) {
      problems.push_back(absl::StrCat(source, ": extra key ", key));
    }
  }
  return problems;
}

}  // namespace v6scope::i18n
