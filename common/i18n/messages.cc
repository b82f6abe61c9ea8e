#include "common/i18n/messages.h"

#include <sys/stat.h>

#include "absl/strings/str_cat.h"
#include "common/log/log.h"

namespace v6scope::i18n {
namespace {

bool FileExists(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0;
}

}  // namespace

absl::StatusOr<std::unique_ptr<Messages>> Messages::LoadDir(
    const std::string& dir) {
  const auto path = [&](Lang lang) {
    return absl::StrCat(dir, "/", LangTag(lang), ".json");
  };
  absl::StatusOr<Catalogue> english =
      Catalogue::LoadFile(Lang::kEn, path(Lang::kEn));
  if (!english.ok()) return english.status();
  std::vector<Catalogue> others;
  for (Lang lang : AllLangs()) {
    if (lang == Lang::kEn || !FileExists(path(lang))) continue;
    absl::StatusOr<Catalogue> c = Catalogue::LoadFile(lang, path(lang));
    if (!c.ok()) return c.status();
    others.push_back(*std::move(c));
  }
  return std::make_unique<Messages>(*std::move(english), std::move(others));
}

Messages::Messages(Catalogue english, std::vector<Catalogue> others) {
  for (Catalogue& c : others) {
    const Lang lang = c.lang();
    catalogues_[static_cast<size_t>(lang)].emplace(std::move(c));
  }
  // English last: it is the fallback whatever `others` held.
  catalogues_[static_cast<size_t>(Lang::kEn)].emplace(std::move(english));
}

const Catalogue* Messages::CatalogueOf(Lang lang) const {
  const std::optional<Catalogue>& c = catalogues_[static_cast<size_t>(lang)];
  return c.has_value() ? &*c : nullptr;
}

bool Messages::Has(Lang lang, absl::string_view key) const {
  const Catalogue* c = CatalogueOf(lang);
  return c != nullptr && c->Find(key) != nullptr;
}

std::string Messages::Text(Lang lang, absl::string_view key,
                           const Args& args) const {
  if (const Catalogue* c = CatalogueOf(lang)) {
    if (const Message* m = c->Find(key)) return m->Format(args);
  }
  const Message* english = CatalogueOf(Lang::kEn)->Find(key);
  NoteFallback(lang, key, english != nullptr);
  return english != nullptr ? english->Format(args) : std::string(key);
}

void Messages::NoteFallback(Lang lang, absl::string_view key,
                            bool in_english) const {
  fallbacks_.fetch_add(1);
  {
    absl::MutexLock lock(&mu_);
    if (!logged_.emplace(lang, std::string(key)).second) return;
  }
  log::Write(in_english ? log::Level::kWarn : log::Level::kError,
             "i18n.fallback",
             {{"lang", LangTag(lang)},
              {"key", key},
              {"answer", in_english ? "english" : "key"}});
}

}  // namespace v6scope::i18n
