// The who-am-I test's body: the address the target saw the probe come
// from, as text. Outside input (any server on the path may answer), hence
// its own small, fuzzed function (probe/suite/fuzz).
#ifndef V6SCOPE_PROBE_SUITE_WHOAMI_H_
#define V6SCOPE_PROBE_SUITE_WHOAMI_H_

#include <string>

namespace v6scope::probe::suite {

// The public prefix a run records from a who-am-I body: only the /24 or
// /48 of the address (never the address itself), and only if it is of the
// family the test used (a v4-mapped address counts as IPv4); "" for a body
// that is not one address of that family (surrounding whitespace allowed).
std::string WhoamiPublicPrefix(const std::string& body, bool want_v6);

}  // namespace v6scope::probe::suite

#endif  // V6SCOPE_PROBE_SUITE_WHOAMI_H_
