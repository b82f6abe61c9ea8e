// The catalogues of all six languages, as pages and reports use them:
// Text(lang, key, args) never fails. A key the language's catalogue lacks
// is answered in English; a key English lacks too is answered with the
// key itself, so the page shows what is missing. Each such lookup is
// counted (fallbacks()) and logged once per language and key
// (event=i18n.fallback), so a gap shows in the logs without flooding them.
//
// Thread-safe after loading.
#ifndef V6SCOPE_COMMON_I18N_MESSAGES_H_
#define V6SCOPE_COMMON_I18N_MESSAGES_H_

#include <array>
#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "common/i18n/catalogue.h"
#include "common/i18n/locale.h"
#include "common/i18n/message.h"

namespace v6scope::i18n {

class Messages {
 public:
  // <dir>/<tag>.json for each of the six languages. English is required;
  // another language's file may be absent (its lookups fall back to
  // English). Any file that is present must load (catalogue.h): a broken
  // catalogue is an error at start, not a page full of keys.
  static absl::StatusOr<std::unique_ptr<Messages>> LoadDir(
      const std::string& dir);
  // From catalogues already loaded; `english` is the fallback.
  Messages(Catalogue english, std::vector<Catalogue> others);

  Messages(const Messages&) = delete;
  Messages& operator=(const Messages&) = delete;

  // The message `key` in `lang`, with `args`.
  std::string Text(Lang lang, absl::string_view key,
                   const Args& args = {}) const;

  // True if `lang`'s own catalogue has `key`.
  bool Has(Lang lang, absl::string_view key) const;

  // Lookups answered from English or with the bare key, since loading.
  uint64_t fallbacks() const { return fallbacks_.load(); }

 private:
  const Catalogue* CatalogueOf(Lang lang) const;
  void NoteFallback(Lang lang, absl::string_view key, bool in_english) const;

  std::array<std::optional<Catalogue>, 6> catalogues_;  // by Lang
  mutable std::atomic<uint64_t> fallbacks_{0};
  mutable absl::Mutex mu_;
  mutable std::set<std::pair<Lang, std::string>> logged_ ABSL_GUARDED_BY(mu_);
};

}  // namespace v6scope::i18n

#endif  // V6SCOPE_COMMON_I18N_MESSAGES_H_
