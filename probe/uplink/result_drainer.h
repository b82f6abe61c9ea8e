// ResultDrainer: moves readiness results (issue 16) from the probe's
// readiness spool to a collector, as SpoolDrainer does runs: the oldest
// pending results, in DomainBatches of contiguous sequence numbers (split
// at gaps), deleted from the spool only once acknowledged; quota drops
// reported in dropped_results; a result the collector refuses for good
// (INVALID_ARGUMENT naming results[i]) put in the quarantine and counted
// as dropped (v6scope_probe_results_refused_total), never blocking the
// results behind it. The assignments a DomainAck names as cancelled are
// stopped in the work book.
//
// Part of an attempt of SpoolDrainer, on the uplink thread.
#ifndef V6SCOPE_PROBE_UPLINK_RESULT_DRAINER_H_
#define V6SCOPE_PROBE_UPLINK_RESULT_DRAINER_H_

#include <cstddef>
#include <optional>
#include <vector>

#include "absl/status/status.h"
#include "common/metrics/metrics.h"
#include "common/time/clock.h"
#include "probe/campaign/work_book.h"
#include "probe/spool/domain_spool.h"
#include "probe/spool/quarantine.h"
#include "probe/uplink/run_sender.h"

namespace v6scope::probe::uplink {

class ResultDrainer {
 public:
  struct Options {
    size_t max_results_per_attempt = 200;
    size_t max_bytes_per_attempt = 3 << 20;  // Under the 4 MiB message cap.
    // Where refused results go; nullptr: dropped with only the log line.
    spool::Quarantine* quarantine = nullptr;
    // Gets DomainAck.cancelled; nullptr: ignored.
    campaign::WorkBook* work_book = nullptr;
    metrics::Registry* registry = nullptr;
  };

  // Pointers must outlive the drainer.
  ResultDrainer(spool::DomainSpool* spool, RunSender* sender,
                const time::Clock* clock, Options options);

  // Sends up to one read's worth of pending results. The sender's error as
  // it is, except that a collector without campaigns is UNIMPLEMENTED
  // (IsNoCampaigns): nothing is put aside for it.
  absl::Status SendPending();

  bool has_pending() const { return spool_->stats().pending_records > 0; }

 private:
  using Results = std::vector<spool::SpooledResult>;
  absl::Status SendBatch(const Results& results, size_t begin, size_t end);
  void ApplyCancelled(const std::vector<std::string>& ids);
  absl::Status PutAside(const spool::SpooledResult& result,
                        const absl::Status& refusal);

  spool::DomainSpool* const spool_;
  RunSender* const sender_;
  const time::Clock* const clock_;
  const Options options_;
  metrics::Value* refused_ = nullptr;
};

}  // namespace v6scope::probe::uplink

#endif  // V6SCOPE_PROBE_UPLINK_RESULT_DRAINER_H_
