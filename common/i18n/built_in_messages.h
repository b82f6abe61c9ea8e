// The message catalogues compiled into the binary (i18n/messages/*.json,
// embedded at build time by i18n/messages/embed.sh): the collector's pages
// and the CLI's reports need no data folder beside them, and can never
// run with catalogues of another version than their code.
#ifndef V6SCOPE_COMMON_I18N_BUILT_IN_MESSAGES_H_
#define V6SCOPE_COMMON_I18N_BUILT_IN_MESSAGES_H_

#include <vector>

#include "absl/status/statusor.h"
#include "common/i18n/messages.h"

namespace v6scope::i18n {

struct EmbeddedCatalogue {
  const char* tag;   // "en", "fr", ...
  const char* json;  // The file's text.
};

// Every catalogue file of the build, by file name.
const std::vector<EmbeddedCatalogue>& EmbeddedCatalogues();

// The built-in catalogues, loaded and checked once per process (English
// required). An error names the catalogue and what is wrong with it; the
// build's catalogues_test keeps that from happening in a release.
absl::StatusOr<const Messages*> BuiltInMessages();

}  // namespace v6scope::i18n

#endif  // V6SCOPE_COMMON_I18N_BUILT_IN_MESSAGES_H_
