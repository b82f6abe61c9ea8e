// The one rule for a listed domain name, shared by every importer: what
// is accepted, how it is normalised, and what the error says when it is
// not (with a suggestion where one can be made).
#ifndef V6SCOPE_COLLECTOR_CAMPAIGN_DOMAIN_NAME_H_
#define V6SCOPE_COLLECTOR_CAMPAIGN_DOMAIN_NAME_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace v6scope::collector::campaign {

inline constexpr size_t kMaxNameBytes = 253;
inline constexpr size_t kMaxLabelBytes = 63;

// `raw` (surrounding blanks trimmed) as the apex the readiness check is
// given: lower case, no final dot, a leading "www." label removed (the
// check itself tries apex and www, so "www.gov.uk" is "gov.uk"). Accepted:
// at least two LDH labels of 1..63 bytes (letters, digits, inner hyphens;
// A-labels "xn--..." included), at most 253 bytes, a top-level label that
// is not all digits. Refused with INVALID_ARGUMENT naming the problem: URLs
// (with the host to write instead), IP literals, wildcards, '_', non-ASCII
// (U-labels: give the A-label; no IDNA tables are linked in).
absl::StatusOr<std::string> NormalizeDomainName(absl::string_view raw);

}  // namespace v6scope::collector::campaign

#endif  // V6SCOPE_COLLECTOR_CAMPAIGN_DOMAIN_NAME_H_
