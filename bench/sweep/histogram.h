// MsHistogram: values in milliseconds counted per bucket, each bucket
// below an upper bound, the last beyond them all: the "where the time
// went" tables the sweep benchmarks print on stderr (question latencies,
// domain durations, fetch durations).
#ifndef V6SCOPE_BENCH_SWEEP_HISTOGRAM_H_
#define V6SCOPE_BENCH_SWEEP_HISTOGRAM_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/types/span.h"

namespace v6scope::bench::sweep {

class MsHistogram {
 public:
  // `bounds`: ascending upper bounds in ms; must outlive the histogram (a
  // constant array).
  explicit MsHistogram(absl::Span<const int> bounds)
      : bounds_(bounds), counts_(bounds.size() + 1) {}

  void Add(int64_t ms) {
    size_t b = 0;
    while (b < bounds_.size() && ms >= bounds_[b]) ++b;
    ++counts_[b];
  }

  // " <b1 <b2 ...": the header's bucket columns.
  std::string BoundsText() const {
    std::string out;
    for (int bound : bounds_) absl::StrAppend(&out, " <", bound);
    return out;
  }

  // " n1 n2 ... n": the counts, the bucket beyond the bounds last.
  std::string CountsText() const {
    std::string out;
    for (uint64_t n : counts_) absl::StrAppend(&out, " ", n);
    return out;
  }

 private:
  absl::Span<const int> bounds_;
  std::vector<uint64_t> counts_;
};

}  // namespace v6scope::bench::sweep

#endif  // V6SCOPE_BENCH_SWEEP_HISTOGRAM_H_
