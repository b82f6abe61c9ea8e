// SpooledResultSink: the campaign runner's ResultSink (probe/campaign/
// result_sink.h) over the readiness spool. Each result gets a fresh
// readiness sequence number from `next_seq` (the probe state's second
// counter, ProbeState::ReserveDomainSeq, crash-safe: a number is never
// handed out twice) and is appended; `appended` (e.g. UplinkWorker::
// Notify) then wakes the uplink. Called on the measuring thread.
#ifndef V6SCOPE_PROBE_SPOOL_SPOOLED_RESULT_SINK_H_
#define V6SCOPE_PROBE_SPOOL_SPOOLED_RESULT_SINK_H_

#include <cstdint>
#include <functional>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "probe/campaign/result_sink.h"
#include "probe/spool/domain_spool.h"

namespace v6scope::probe::spool {

class SpooledResultSink : public campaign::ResultSink {
 public:
  using SeqSource = std::function<absl::StatusOr<uint64_t>()>;

  // `spool` must outlive the sink; `appended` may be empty.
  SpooledResultSink(DomainSpool* spool, SeqSource next_seq,
                    std::function<void()> appended = nullptr)
      : spool_(spool),
        next_seq_(std::move(next_seq)),
        appended_(std::move(appended)) {}

  // A sequence number lost to a failed append leaves a gap, which the
  // uplink splits batches at (as for runs).
  absl::Status Append(const v6scope::v1::DomainResult& result) override;

 private:
  DomainSpool* const spool_;
  const SeqSource next_seq_;
  const std::function<void()> appended_;
};

}  // namespace v6scope::probe::spool

#endif  // V6SCOPE_PROBE_SPOOL_SPOOLED_RESULT_SINK_H_
