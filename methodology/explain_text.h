// Internal to //methodology:verdict: the phrases the explanations are made
// of (a test's outcome with its address and time, the host's addresses),
// each a pure function of its input: same run, same words.
#ifndef V6SCOPE_METHODOLOGY_EXPLAIN_TEXT_H_
#define V6SCOPE_METHODOLOGY_EXPLAIN_TEXT_H_

#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "methodology/kinds/kind_spec.h"
#include "methodology/run_view.h"
#include "methodology/sentence.h"
#include "proto/results.pb.h"

namespace v6scope::methodology {

// Clean(), Bounded() and kMaxExplanationBytes: methodology/sentence.h.

// "0.021 s" below a second, "3.0 s" from one second on.
std::string Seconds(absl::Duration d);
std::string SecondsFromMicros(uint64_t us);

// What one test did, e.g. "HTTP_V6_ONLY timed out after 3.0 s
// (3ffe::80)" or "HTTP_DUAL_STACK fetched over IPv6 from 3ffe::80 in
// 0.050 s"; "HTTP_V6_ONLY was not run" for a null test.
std::string DescribeTest(const v6scope::v1::TestResult* test,
                         v6scope::v1::TestKind kind);

// The test playing the singular `role`, described as DescribeTest does.
std::string DescribeRole(const RunTests& tests, kinds::Role role);

// The host's IPv6 addresses, e.g. "2 global IPv6 addresses" or "1
// unique-local IPv6 address"; "no IPv6 address beyond link-local".
std::string DescribeV6Addresses(const v6scope::v1::AddressInventory& inv);
// The same followed by "and an IPv6 default route" / "but no IPv6 default
// route".
std::string DescribeV6Host(const v6scope::v1::AddressInventory& inv);
// E.g. "1 private IPv4 address and an IPv4 default route".
std::string DescribeV4Host(const v6scope::v1::AddressInventory& inv);

}  // namespace v6scope::methodology

#endif  // V6SCOPE_METHODOLOGY_EXPLAIN_TEXT_H_
