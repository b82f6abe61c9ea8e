// Internal to //methodology:verdict: the methodology 2 score (rows S1-S8,
// K1, K2 of docs/methodology.md).
#ifndef V6SCOPE_METHODOLOGY_SCORE_H_
#define V6SCOPE_METHODOLOGY_SCORE_H_

#include <cstdint>

#include "methodology/evidence.h"
#include "proto/results.pb.h"

namespace v6scope::methodology {

// The points S1..S8 (as methodology 1), capped by the lowest cap (K1, K2)
// that applies; `verdict` holds the root causes already decided.
uint32_t Score(const Evidence& e, const v6scope::v1::Verdict& verdict);

}  // namespace v6scope::methodology

#endif  // V6SCOPE_METHODOLOGY_SCORE_H_
