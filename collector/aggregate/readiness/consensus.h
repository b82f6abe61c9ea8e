// The consensus of one country's probes on one service of one domain: the
// state most of them saw (docs/methodology.md §14.2).
//
//  - Not tested (SERVICE_STATE_UNSPECIFIED) is no vote.
//  - BROKEN_V4 ("the service fails over IPv4 too: IPv6 cannot be
//    compared") says nothing about IPv6, so it never outvotes a state that
//    does: the vote is taken among the other tested states, and BROKEN_V4
//    is the consensus only when every tested result is BROKEN_V4.
//  - The state with strictly the most votes wins (a plurality, not a
//    majority); a tie for the most is a split: no consensus, and the
//    domain is listed as split rather than given an arbitrary state.
#ifndef V6SCOPE_COLLECTOR_AGGREGATE_READINESS_CONSENSUS_H_
#define V6SCOPE_COLLECTOR_AGGREGATE_READINESS_CONSENSUS_H_

#include <cstdint>

#include "collector/aggregate/readiness/rollup.h"
#include "proto/readiness.pb.h"

namespace v6scope::collector::aggregate::readiness {

enum class ConsensusKind {
  kUntested,  // No result tested the service.
  kState,     // `state` is the consensus.
  kSplit,     // A tie for the most votes.
};

struct Consensus {
  ConsensusKind kind = ConsensusKind::kUntested;
  // The consensus; SERVICE_STATE_UNSPECIFIED unless kind is kState.
  v6scope::v1::ServiceState state = v6scope::v1::SERVICE_STATE_UNSPECIFIED;
  uint64_t votes = 0;   // Results that saw `state` (kSplit: each tied one).
  uint64_t voters = 0;  // Results the vote was among (BROKEN_V4 excluded
                        // unless all were BROKEN_V4).
  uint64_t tested = 0;  // Results with any tested state.

  bool has_state() const { return kind == ConsensusKind::kState; }

  friend bool operator==(const Consensus& a, const Consensus& b) {
    return a.kind == b.kind && a.state == b.state && a.votes == b.votes &&
           a.voters == b.voters && a.tested == b.tested;
  }
};

Consensus ConsensusOf(const StateCounts& counts);

}  // namespace v6scope::collector::aggregate::readiness

#endif  // V6SCOPE_COLLECTOR_AGGREGATE_READINESS_CONSENSUS_H_
