#include "common/i18n/built_in_messages.h"

#include <memory>
#include <optional>
#include <utility>

#include "absl/strings/str_cat.h"

namespace v6scope::i18n {
namespace {

absl::StatusOr<std::unique_ptr<Messages>> Load() {
  std::optional<Catalogue> english;
  std::vector<Catalogue> others;
  for (const EmbeddedCatalogue& embedded : EmbeddedCatalogues()) {
    const std::optional<Lang> lang = ParseLang(embedded.tag);
    if (!lang.has_value() || LangTag(*lang) != embedded.tag) {
      return absl::InternalError(absl::StrCat(
          "built-in catalogue ", embedded.tag, ".json: not a language tag"));
    }
    absl::StatusOr<Catalogue> c = Catalogue::Parse(
        *lang, embedded.json,
        absl::StrCat("i18n/messages/", embedded.tag, ".json (built in)"));
    if (!c.ok()) return c.status();
    if (*lang == Lang::kEn) {
      english.emplace(*std::move(c));
    } else {
      others.push_back(*std::move(c));
    }
  }
  if (!english.has_value()) {
    return absl::InternalError("built-in catalogues: no en.json");
  }
  return std::make_unique<Messages>(*std::move(english), std::move(others));
}

}  // namespace

absl::StatusOr<const Messages*> BuiltInMessages() {
  // Loaded once; a failure is kept too (it cannot change at run time).
  static const auto* const kLoaded =
      new absl::StatusOr<std::unique_ptr<Messages>>(Load());
  if (!kLoaded->ok()) return kLoaded->status();
  return kLoaded->value().get();
}

}  // namespace v6scope::i18n
