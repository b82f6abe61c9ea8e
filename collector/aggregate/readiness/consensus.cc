#include "collector/aggregate/readiness/consensus.h"

#include <cstdint>

namespace v6scope::collector::aggregate::readiness {

Consensus ConsensusOf(const StateCounts& counts) {
  Consensus c;
  constexpr int kBrokenV4 = v6scope::v1::BROKEN_V4;
  for (int i = 1; i < kStateCount; ++i) c.tested += counts[i];
  if (c.tested == 0) return c;
  // Index 0 (not tested) never votes; BROKEN_V4 only when it is all there
  // is.
  const bool only_broken_v4 = counts[kBrokenV4] == c.tested;
  int best = 0;
  bool tie = false;
  for (int i = 1; i < kStateCount; ++i) {
    if (i == kBrokenV4 && !only_broken_v4) continue;
    if (counts[i] == 0) continue;
    c.voters += counts[i];
    if (best == 0 || counts[i] > counts[best]) {
      best = i;
      tie = false;
    } else if (counts[i] == counts[best]) {
      tie = true;
    }
  }
  c.votes = counts[best];
  if (tie) {
    c.kind = ConsensusKind::kSplit;
    return c;
  }
  c.kind = ConsensusKind::kState;
  c.state = static_cast<v6scope::v1::ServiceState>(best);
  return c;
}

}  // namespace v6scope::collector::aggregate::readiness
