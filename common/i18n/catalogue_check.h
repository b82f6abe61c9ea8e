// Whether a translation says everything English says: the same keys, and
// in each message the same arguments (a "{country}" the French text lacks
// would silently drop the country from the page). For the test that
// guards the catalogues and for anyone reviewing a new translation.
#ifndef V6SCOPE_COMMON_I18N_CATALOGUE_CHECK_H_
#define V6SCOPE_COMMON_I18N_CATALOGUE_CHECK_H_

#include <string>
#include <vector>

#include "common/i18n/catalogue.h"

namespace v6scope::i18n {

// Every difference of `translation` from `reference` (English), one
// sentence each, prefixed with the translation's source:
//   "fr.json: missing key report.title"
//   "fr.json: extra key report.titel"
//   "fr.json: report.intro: argument {country} missing"
//   "fr.json: report.intro: argument {pays} not in English"
// Empty when they agree. Keys in sorted order.
std::vector<std::string> CompareWithReference(const Catalogue& reference,
                                              const Catalogue& translation);

}  // namespace v6scope::i18n

#endif  // V6SCOPE_COMMON_I18N_CATALOGUE_CHECK_H_
