#include "probe/uplink/result_drainer.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/log/log.h"
#include "probe/uplink/refusal.h"
#include "probe/uplink/send_ranges.h"

namespace v6scope::probe::uplink {

ResultDrainer::ResultDrainer(spool::DomainSpool* spool, RunSender* sender,
                             const time::Clock* clock, Options options)
    : spool_(spool), sender_(sender), clock_(clock), options_(options) {
  if (options_.registry == nullptr) return;
  refused_ = options_.registry
                 ->Counter("v6scope_probe_results_refused_total",
                           "Readiness results the collector refused for good: "
                           "put in the quarantine and reported as dropped.")
                 ->Get();
}

absl::Status ResultDrainer::SendPending() {
  absl::StatusOr<Results> pending = spool_->ReadPending(
      options_.max_results_per_attempt, options_.max_bytes_per_attempt);
  if (!pending.ok()) return pending.status();
  const Results& results = *pending;
  RangeSender sender;
  sender.send = [&](size_t begin, size_t end) {
    return SendBatch(results, begin, end);
  };
  sender.read = [](const absl::Status& s) {
    if (IsWithoutCampaigns(s)) {
      return SendFailure{absl::UnimplementedError(s.message()), {}};
    }
    if (!absl::IsInvalidArgument(s) || NamesDomainBatchField(s.message())) {
      return SendFailure{s, {}};
    }
    return SendFailure{absl::OkStatus(), RefusedResultIndex(s.message())};
  };
  sender.put_aside = [&](size_t i, const absl::Status& refusal) {
    return PutAside(results[i], refusal);
  };
  sender.seq = [&](size_t i) { return results[i].seq; };
  sender.unnamed_event = "drain.result_refusal_unnamed";
  return SendContiguous(sender, results.size());
}

absl::Status ResultDrainer::SendBatch(const Results& results, size_t begin,
                                      size_t end) {
  if (begin == end) return absl::OkStatus();
  std::vector<v6scope::v1::DomainResult> batch;
  batch.reserve(end - begin);
  for (size_t i = begin; i < end; ++i) batch.push_back(results[i].result);
  const uint64_t dropped = spool_->unreported_dropped();
  absl::StatusOr<DomainUploadResult> sent =
      sender_->SendResults(results[begin].seq, batch, dropped);
  if (!sent.ok()) return sent.status();
  absl::Status s = spool_->Acknowledge(sent->acked_through, dropped);
  ApplyCancelled(sent->cancelled);
  return s;
}

void ResultDrainer::ApplyCancelled(const std::vector<std::string>& ids) {
  if (ids.empty() || options_.work_book == nullptr) return;
  absl::Status s = options_.work_book->Cancel(ids);
  // The next WorkPoll's offer cancels them again (the poll is idempotent).
  if (!s.ok()) log::Error("drain.cancel_failed", {{"status", s}});
  log::Info("drain.assignments_cancelled",
            {{"count", ids.size()}, {"first", ids.front()}});
}

absl::Status ResultDrainer::PutAside(const spool::SpooledResult& result,
                                     const absl::Status& refusal) {
  std::string file = "-";
  if (options_.quarantine != nullptr) {
    absl::StatusOr<std::string> put = options_.quarantine->Put(
        result.seq, result.result, refusal.message(), clock_->Now());
    if (put.ok()) file = *put;
    if (!put.ok()) {
      log::Error("drain.quarantine_failed", {{"status", put.status()}});
    }
  }
  absl::StatusOr<uint64_t> dropped = spool_->DropRefused(result.seq);
  if (!dropped.ok()) return dropped.status();
  if (refused_ != nullptr) refused_->Add(1);
  log::Error("drain.result_refused", {{"seq", result.seq},
                                      {"reason", refusal.message()},
                                      {"quarantined", file}});
  return absl::OkStatus();
}

}  // namespace v6scope::probe::uplink
