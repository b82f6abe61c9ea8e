// Internal to //methodology:verdict: one plain English sentence per label
// of a methodology 2 verdict (docs/methodology.md §6), built from what the
// run saw: the addresses used, the outcomes and their times in seconds,
// the NAT64 prefix found, the inventory counts. Pure: the same run gives
// the same words. Each sentence is at most kMaxExplanationBytes of
// printable ASCII, without a final period.
#ifndef V6SCOPE_METHODOLOGY_EXPLAIN_H_
#define V6SCOPE_METHODOLOGY_EXPLAIN_H_

#include <string>

#include "methodology/evidence.h"
#include "methodology/run_view.h"
#include "methodology/verdict.h"
#include "proto/results.pb.h"

namespace v6scope::methodology {

// What a sentence may draw on.
struct ExplainInput {
  const v6scope::v1::AddressInventory& inventory;
  const RunTests& tests;
  const Evidence& evidence;
  const VerdictThresholds& thresholds;
};

// Appends one Explanation per label of `verdict` (capability and causes
// already decided): the capability first, then each cause in order.
void AddExplanations(const v6scope::v1::Run& run, const RunTests& tests,
                     const Evidence& evidence, const VerdictThresholds& t,
                     v6scope::v1::Verdict& verdict);

std::string ExplainCapability(const ExplainInput& in,
                              v6scope::v1::Capability capability);
std::string ExplainCause(const ExplainInput& in, v6scope::v1::RootCause cause);

// The first reachability fetch (registry order) that succeeded over
// `family`, described; the v4-only name counts for IPv4 only (over IPv6 it
// went through NAT64). "no fetch worked over IPv6" when none did.
std::string FirstOkOver(const RunTests& tests,
                        v6scope::v1::AddressFamily family);

}  // namespace v6scope::methodology

#endif  // V6SCOPE_METHODOLOGY_EXPLAIN_H_
