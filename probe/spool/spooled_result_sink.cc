#include "probe/spool/spooled_result_sink.h"

namespace v6scope::probe::spool {

absl::Status SpooledResultSink::Append(
    const v6scope::v1::DomainResult& result) {
  absl::StatusOr<uint64_t> seq = next_seq_();
  if (!seq.ok()) return seq.status();
  absl::Status s = spool_->Append(*seq, result);
  if (!s.ok()) return s;
  if (appended_) appended_();
  return absl::OkStatus();
}

}  // namespace v6scope::probe::spool
