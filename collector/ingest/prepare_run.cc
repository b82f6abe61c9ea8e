#include "collector/ingest/prepare_run.h"

#include "absl/status/status.h"
#include "google/protobuf/util/time_util.h"
#include "methodology/observation.h"

namespace v6scope::collector::ingest {

absl::StatusOr<store::PreparedRun> PrepareRun(const v6scope::v1::Run& run) {
  store::PreparedRun prepared;
  if (!run.SerializeToString(&prepared.blob)) {
    return absl::InvalidArgumentError("run is not serializable");
  }
  if (run.has_started_at()) {
    prepared.started_at_us =
        google::protobuf::util::TimeUtil::TimestampToMicroseconds(
            run.started_at());
  }
  prepared.capability = run.verdict().capability();
  prepared.score = run.verdict().score();
  prepared.observation = methodology::Observe(run);
  return prepared;
}

}  // namespace v6scope::collector::ingest
