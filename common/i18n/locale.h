// The six languages reports and the dashboard speak (the official ITU
// languages), how a request names one (`?lang=`, `--lang`, the browser's
// Accept-Language header) and which way its text runs.
//
// Pure functions over constant data: thread-safe, no I/O.
#ifndef V6SCOPE_COMMON_I18N_LOCALE_H_
#define V6SCOPE_COMMON_I18N_LOCALE_H_

#include <cstdint>
#include <optional>

#include "absl/strings/string_view.h"
#include "absl/types/span.h"

namespace v6scope::i18n {

// In the UN's order (alphabetical in English) but English is the default
// and the fallback of every lookup.
enum class Lang : uint8_t { kAr, kZh, kEn, kFr, kRu, kEs };

inline constexpr Lang kDefaultLang = Lang::kEn;

// All six, in enum order.
absl::Span<const Lang> AllLangs();

// The BCP 47 primary language subtag: "ar", "zh", "en", "fr", "ru", "es".
// Also the catalogue's file name (i18n/messages/<tag>.json) and the ICU
// locale id.
absl::string_view LangTag(Lang lang);

// The language's own name, for a language menu ("العربية", "中文",
// "English", "Français", "Русский", "Español").
absl::string_view LangNativeName(Lang lang);

enum class Direction : uint8_t { kLtr, kRtl };

// kRtl for Arabic, kLtr for the others.
Direction TextDirection(Lang lang);
// "rtl" or "ltr": the value of an HTML dir attribute.
absl::string_view DirAttr(Lang lang);

// A language tag as given to `?lang=` or `--lang`: a BCP 47 tag whose
// primary subtag is one of the six, in any case, with '-' or '_' before
// any further subtags ("fr", "FR", "fr-CA", "zh-Hans-CN", "pt_BR" is not
// supported). nullopt for anything else, so a CLI can refuse it and a web
// page can fall back to the browser's preference.
std::optional<Lang> ParseLang(absl::string_view tag);

// The best supported language of an HTTP Accept-Language header
// (RFC 9110 §12.5.4): ranges in order of their q-values (ties keep the
// header's order; q=0 means "not this one"), each matched by its primary
// subtag ("fr-CA" -> fr). "*" matches the default. The default when the
// header is empty, malformed or names nothing supported.
Lang NegotiateLang(absl::string_view accept_language);

// A page's language: `?lang=` when it names a supported language,
// otherwise the browser's preference.
Lang ChooseLang(absl::string_view query_lang,
                absl::string_view accept_language);

}  // namespace v6scope::i18n

#endif  // V6SCOPE_COMMON_I18N_LOCALE_H_
