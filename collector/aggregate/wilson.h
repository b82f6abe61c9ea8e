// The Wilson score interval for a binomial proportion (E. B. Wilson, 1927):
// unlike the normal ("Wald") interval it stays inside [0, 1] and is not
// degenerate at 0 or n successes, which matters for networks with a handful
// of probes. See docs/aggregation.md.
#ifndef V6SCOPE_COLLECTOR_AGGREGATE_WILSON_H_
#define V6SCOPE_COLLECTOR_AGGREGATE_WILSON_H_

#include <cstdint>

namespace v6scope::collector::aggregate {

struct Interval {
  double low = 0;
  double high = 0;
};

// z for a two-sided 95% interval.
inline constexpr double kZ95 = 1.959963984540054;

// Interval for `successes` out of `trials`; {0, 1} when trials is 0 (no
// information). Requires successes <= trials.
Interval WilsonInterval(uint64_t successes, uint64_t trials, double z = kZ95);

}  // namespace v6scope::collector::aggregate

#endif  // V6SCOPE_COLLECTOR_AGGREGATE_WILSON_H_
