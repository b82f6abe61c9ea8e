// Internal to //methodology:verdict (methodology 2): reading a run's tests
// the way every rule of docs/methodology.md reads them (rules E1-E3, E7,
// E8), shared by the evidence, the score and the explanations. The frozen
// methodology 1 (verdict_v1.cc) keeps its own copy on purpose.
#ifndef V6SCOPE_METHODOLOGY_RUN_VIEW_H_
#define V6SCOPE_METHODOLOGY_RUN_VIEW_H_

#include <array>
#include <optional>
#include <string>

#include "absl/time/time.h"
#include "methodology/kinds/kind_spec.h"
#include "proto/results.pb.h"

namespace v6scope::methodology {

// The run's tests by kind (E1): the first result of each kind wins, kinds
// this build does not know are ignored.
class RunTests {
 public:
  explicit RunTests(const v6scope::v1::Run& run);
  // Null when the run holds no result of `kind`.
  const v6scope::v1::TestResult* Get(v6scope::v1::TestKind kind) const;
  // The test of the one kind that plays a singular `role`; null if absent.
  const v6scope::v1::TestResult* Get(kinds::Role role) const;

 private:
  static constexpr int kSlots = v6scope::v1::TestKind_ARRAYSIZE;
  std::array<const v6scope::v1::TestResult*, kSlots> slots_{};
};

bool IsOutcome(const v6scope::v1::TestResult* test,
               v6scope::v1::Outcome outcome);
// E2: the test produced an observation (not absent, SKIPPED or
// OUTCOME_UNSPECIFIED).
bool Ran(const v6scope::v1::TestResult* test);
// E3: used_family, else the family the test was pinned to.
v6scope::v1::AddressFamily UsedFamilyOf(const v6scope::v1::TestResult& test);
bool OkOver(const v6scope::v1::TestResult* test,
            v6scope::v1::AddressFamily family);
// A DNS outcome, or NO_ADDRESS: the name gave no address of the family.
bool IsNoAddress(v6scope::v1::Outcome outcome);

// E7: the NAT64 prefix ("64:ff9b::/96") of an RFC 7050 synthesized
// address, or nullopt when `literal` is not one.
std::optional<std::string> Nat64PrefixOf(const std::string& literal);
// The prefix of the first synthesized answer of an OK DNS_NAT64 test.
std::optional<std::string> Nat64PrefixFound(
    const v6scope::v1::TestResult* nat64);

// E8/R9: the SLOW_V6 pair of fetches and their handshake times.
struct HandshakePairTimes {
  absl::Duration v4;
  absl::Duration v6;
  v6scope::v1::TestKind v4_kind;
  v6scope::v1::TestKind v6_kind;
};
std::optional<HandshakePairTimes> HandshakePair(const RunTests& tests);

}  // namespace v6scope::methodology

#endif  // V6SCOPE_METHODOLOGY_RUN_VIEW_H_
