#include "collector/aggregate/wilson.h"

#include <algorithm>
#include <cmath>
#include <cstdint>

namespace v6scope::collector {

Interval WilsonInterval(uint64_t successes, uint64_t trials, double z) {
  if (trials == 0) return {0, 1};
  const double n = static_cast<double>(trials);
  const double p = static_cast<double>(successes) / n;
  const double z2 = z * z;
  const double denominator = 1 + z2 / n;
  const double centre = (p + z2 / (2 * n)) / denominator;
  const double half =
      z * std::sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / denominator;
  // Rounding can push the ends a hair outside [0, 1] at p = 0 or 1.
  return {std::max(0.0, centre - half), std::min(1.0, centre + half)};
}

}  // namespace v6scope::collector
