// The who-am-I test's body: the address the target saw the probe come
// from, as text. Outside input (any server on the path may answer), hence
// its own small, fuzzed function (probe/suite/fuzz).
#ifndef V6SCOPE_PROBE_SUITE_WHOAMI_H_
#define V6SCOPE_PROBE_SUITE_WHOAMI_H_

#include <string>

namespace v6scope::probe::suite {

// What a run records from a who-am-I body.
struct WhoamiAnswer {
  // Only the /24 or /48 of the address (never the address itself), and
  // only if it is of the family the test used (a v4-mapped address counts
  // as IPv4) and public (net::IsPublicAddress and net::IsPublicPrefix);
  // "" otherwise.
  std::string prefix;
  // Why an address of the right family gave no prefix, for the test's
  // error_detail: "who-am-I saw 127.0.0.1 (loopback, RFC 1122): not a
  // public address". "" when there is a prefix, or when the body is not
  // one address of the family (nothing to name).
  std::string refusal;
};

// `body` may have surrounding whitespace; anything but one address gives
// an empty answer.
WhoamiAnswer ReadWhoamiAnswer(const std::string& body, bool want_v6);

// ReadWhoamiAnswer(body, want_v6).prefix.
std::string WhoamiPublicPrefix(const std::string& body, bool want_v6);

}  // namespace v6scope::probe::suite

#endif  // V6SCOPE_PROBE_SUITE_WHOAMI_H_
