// Malformed upload batches, each with the field path the collector must
// name when rejecting it. Shared by the validator's unit test and the
// end-to-end test that sends them over gRPC.
#ifndef V6SCOPE_COLLECTOR_INGEST_TESTING_MALFORMED_BATCHES_H_
#define V6SCOPE_COLLECTOR_INGEST_TESTING_MALFORMED_BATCHES_H_

#include <functional>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "proto/probe_service.pb.h"
#include "proto/results.pb.h"

namespace v6scope::collector::ingest::testing {

// A run that passes validation at `now`.
v6scope::v1::Run ValidRun(absl::Time now);
// A batch of one ValidRun with first_seq 1.
v6scope::v1::Batch ValidBatch(absl::Time now);

struct MalformedCase {
  std::string name;
  std::function<void(v6scope::v1::Batch&)> mutate;  // Applied to ValidBatch.
  std::string want_path;  // Must appear in the INVALID_ARGUMENT message.
};

std::vector<MalformedCase> MalformedCases(absl::Time now);

}  // namespace v6scope::collector::ingest::testing

#endif  // V6SCOPE_COLLECTOR_INGEST_TESTING_MALFORMED_BATCHES_H_
