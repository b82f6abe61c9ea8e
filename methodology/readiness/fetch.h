// Internal to //methodology/readiness: what one pinned home-page fetch
// (v1.WebFetch) shows, in the terms of the web decision table
// (docs/methodology.md §13.2).
#ifndef V6SCOPE_METHODOLOGY_READINESS_FETCH_H_
#define V6SCOPE_METHODOLOGY_READINESS_FETCH_H_

#include <string>

#include "absl/strings/string_view.h"
#include "proto/readiness.pb.h"
#include "proto/results.pb.h"

namespace v6scope::methodology::readiness {

struct FetchView {
  const v6scope::v1::WebFetch* fetch = nullptr;  // Null: absent.
  // Tried: present, and neither SKIPPED, OUTCOME_UNSPECIFIED nor
  // NO_ADDRESS on its first host.
  bool ran = false;
  // A final HTTP response: outcome OK or HTTP_STATUS with a 100..599
  // status.
  bool answered = false;
  int status_class = 0;  // status / 100 when answered, else 0.
  // https somewhere (start or final URL) and TLS_ERROR, or an answer
  // without tls_verified.
  bool tls_failed = false;
  // Ended TIMEOUT, STALLED, CONNECTION_REFUSED, NETWORK_UNREACHABLE,
  // HOST_UNREACHABLE or ADMIN_PROHIBITED with no response yet from the
  // host it was connecting to: no hop, or the last hop a redirect (the
  // next host failed).
  bool transport_failed = false;
  // Ended NO_ADDRESS after a redirect: sent to a host without an address
  // of the fetch's family.
  bool redirect_no_address = false;
};

// The first fetch in `check.web` whose start URL has `scheme` ("https" or
// "http") and whose family is `family`; null if none.
const v6scope::v1::WebFetch* FindFetch(const v6scope::v1::DomainCheck& check,
                                       absl::string_view scheme,
                                       v6scope::v1::AddressFamily family);
FetchView ViewOf(const v6scope::v1::WebFetch* fetch);

// Answered with a verified (or no) TLS and a status class below
// `below_class`: the IPv4 control uses 5 (a 5xx means the site is down),
// an IPv6 fetch judged alone 4.
bool Serves(const FetchView& f, int below_class);
// How far a fetch got: 0 not run, 1 no response, 2 failed after reaching
// the server, 3 answered, 4 served (Serves(f, 4)). Picks the scheme when
// IPv4 gives no control.
int Rank(const FetchView& f);

// What the fetch got, e.g. "200 from 2001:db8::80", "TIMEOUT", "TLS_ERROR
// at 2001:db8::80 (certificate name mismatch)".
std::string Describe(const FetchView& f);
// The URL fetched, cleaned; `fallback` if absent.
std::string StartUrl(const FetchView& f, absl::string_view fallback);
// Where a NO_ADDRESS chain was sent: the next hop of `other` (the same
// chain over the other family) if it went further, else the fetch's final
// URL when it is not the last hop's, else "a host without an address of
// that family".
std::string RedirectTarget(const FetchView& f, const FetchView& other);

}  // namespace v6scope::methodology::readiness

#endif  // V6SCOPE_METHODOLOGY_READINESS_FETCH_H_
