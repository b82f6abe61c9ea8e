#include "collector/ingest/readiness_ingest_impl.h"

#include <pthread.h>

#include <memory>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "collector/ingest/prepare_domain_rows.h"
#include "collector/ingest/validate_domain.h"
#include "common/log/error_id.h"
#include "common/log/log.h"

namespace v6scope::collector::ingest {

ReadinessIngestImpl::ReadinessIngestImpl(
    store::ReadinessStore* results, store::CampaignStore* campaigns,
    const time::Clock* clock, const enrich::AttributionHolder* attribution,
    IngestMetrics* metrics, ReadinessIngestOptions options)
    : results_(results),
      campaigns_(campaigns),
      clock_(clock),
      attribution_(attribution),
      metrics_(metrics),
      options_(options),
      writer_([this] { WriterLoop(); }) {}

ReadinessIngestImpl::~ReadinessIngestImpl() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  writer_.join();
}

size_t ReadinessIngestImpl::QueuedBatches() const {
  absl::MutexLock lock(&mu_);
  return queue_.size();
}

bool ReadinessIngestImpl::Full() const {
  return queue_.size() >= options_.max_queued_batches;
}

absl::Status ReadinessIngestImpl::Reject(absl::string_view reason,
                                         absl::Status status) const {
  if (metrics_ != nullptr) {
    metrics_->domain_batches_rejected->With({std::string(reason)})->Add(1);
  }
  return status;
}

absl::Status ReadinessIngestImpl::Submit(const std::string& probe_id,
                                         v6scope::v1::DomainBatch* batch,
                                         Done done) {
  // The cheap refusals first: a busy writer, then a malformed batch.
  {
    absl::MutexLock lock(&mu_);
    if (Full()) {
      return Reject("busy", absl::ResourceExhaustedError(
                                "the collector's readiness store is busy"));
    }
  }
  absl::Status valid = ValidateDomainBatch(*batch);
  if (!valid.ok()) return Reject("invalid", valid);
  std::shared_ptr<const enrich::AttributionIndex> index =
      attribution_ == nullptr ? nullptr : attribution_->Current();
  absl::StatusOr<std::vector<store::DomainResultRow>> rows = PrepareDomainRows(
      probe_id, batch, {results_, campaigns_, index.get()}, clock_->Now());
  if (absl::IsInvalidArgument(rows.status())) {
    return Reject("assignment", rows.status());
  }
  if (!rows.ok()) {
    return Reject("store",
                  log::PublicError(absl::StatusCode::kUnavailable,
                                   "could not look up the batch's assignments; "
                                   "keep it and retry later",
                                   rows.status(), "grpc.error", "Upload"));
  }
  absl::MutexLock lock(&mu_);
  if (Full()) {  // Filled while this batch was prepared.
    return Reject("busy", absl::ResourceExhaustedError(
                              "the collector's readiness store is busy"));
  }
  queue_.push_back(
      {probe_id, batch->first_seq(), *std::move(rows), std::move(done)});
  return absl::OkStatus();
}

void ReadinessIngestImpl::WriterLoop() {
  pthread_setname_np(pthread_self(), "readiness-write");  // <= 15 chars.
  for (;;) {
    std::vector<Pending> group;
    {
      absl::MutexLock lock(&mu_);
      mu_.Await(absl::Condition(
          +[](ReadinessIngestImpl* self) ABSL_NO_THREAD_SAFETY_ANALYSIS {
            return self->stopping_ || !self->queue_.empty();
          },
          this));
      if (queue_.empty()) return;  // Stopping, and everything is stored.
      size_t results = 0;
      while (!queue_.empty() &&
             (group.empty() || results + queue_.front().rows.size() <=
                                   options_.max_results_per_commit)) {
        results += queue_.front().rows.size();
        group.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }
    Write(group);
  }
}

void ReadinessIngestImpl::Write(std::vector<Pending>& group) {
  std::vector<store::DomainBatchRows> batches;
  batches.reserve(group.size());
  for (const Pending& p : group) {
    batches.push_back({p.probe_id, p.first_seq, p.rows});
  }
  absl::StatusOr<std::vector<store::StoredDomainBatch>> stored =
      results_->StoreDomainBatches(batches);
  if (!stored.ok()) {
    // Not stored, not acknowledged: each probe keeps its batch and
    // retries. The store's message is logged under an error id only.
    absl::Status failed =
        log::PublicError(absl::StatusCode::kUnavailable,
                         "could not store the batch; keep it and retry later",
                         stored.status(), "grpc.error", "Upload");
    for (Pending& p : group) {
      Reject("store", absl::OkStatus()).IgnoreError();
      p.done(failed);
    }
    return;
  }
  for (size_t i = 0; i < group.size(); ++i) Completed(group[i], (*stored)[i]);
}

void ReadinessIngestImpl::Completed(const Pending& pending,
                                    const store::StoredDomainBatch& stored) {
  const uint32_t duplicates =
      static_cast<uint32_t>(pending.rows.size()) - stored.stored;
  log::Debug("domain_batch.stored",
             {{"probe", pending.probe_id},
              {"seq", absl::StrCat(stored.first_seq, "..", stored.last_seq)},
              {"stored", stored.stored},
              {"duplicates", duplicates}});
  if (metrics_ != nullptr) {
    metrics_->domain_results_stored->Add(stored.stored);
    metrics_->domain_results_duplicate->Add(duplicates);
  }
  pending.done(stored);
}

}  // namespace v6scope::collector::ingest
