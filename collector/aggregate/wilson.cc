#include "collector/aggregate/wilson.h"

#include <algorithm>
#include <cmath>
#include <cstdint>

namespace v6scope::collector::aggregate {

Interval WilsonInterval(uint64_t successes, uint64_t trials, double z) {
  if (trials == 0) return {0, 1};
  const double n = static_cast<double>(trials);
  const double p = static_cast<double>(successes) / n;
  const double z2 = z * z;
  const double denominator = 1 + z2 / n;
  const double centre = (p + z2 / (2 * n)) / denominator;
  const double half =
      z * std::sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / denominator;
  // At p = 0 (or 1) the low (high) end is exactly 0 (1); rounding would
  // leave a hair either side.
  const double low = successes == 0 ? 0.0 : std::max(0.0, centre - half);
  const double high = successes == trials ? 1.0 : std::min(1.0, centre + half);
  return {low, high};
}

}  // namespace v6scope::collector::aggregate
