// Suite: one run of the probe's measurements, producing a v1::Run.
#ifndef V6SCOPE_PROBE_SUITE_SUITE_H_
#define V6SCOPE_PROBE_SUITE_SUITE_H_

#include "absl/status/statusor.h"
#include "proto/results.pb.h"

namespace v6scope::probe::suite {

class Suite {
 public:
  virtual ~Suite() = default;
  // Measures and returns the run. A failed test is data inside the run;
  // an error here means the probe could not measure at all.
  virtual absl::StatusOr<v6scope::v1::Run> RunOnce() = 0;
};

}  // namespace v6scope::probe::suite

#endif  // V6SCOPE_PROBE_SUITE_SUITE_H_
