// ReadinessIngestImpl: the collector's ReadinessIngest (readiness_ingest.h).
//
// Submit does everything but the write on the uploading stream's thread
// (streams run in parallel, so validation, lookups, attribution and the
// verdict use every core): ValidateDomainBatch, then PrepareDomainRows.
// Each check is serialized there too, so the rows hold bytes, not messages.
// The rows then wait in a small bounded queue for one writer thread, which
// takes everything queued (up to max_results_per_commit) and stores it
// with ReadinessStore::StoreDomainBatches: one durable transaction, hence
// one fsync, for several probes' batches (group commit, as IngestWriter
// does for runs). Each batch's completion then gets its own outcome; when
// the commit fails, every batch of it fails and none is acknowledged. A
// full queue answers RESOURCE_EXHAUSTED at once, so a slow store backs the
// probes off instead of holding their batches in memory.
#ifndef V6SCOPE_COLLECTOR_INGEST_READINESS_INGEST_IMPL_H_
#define V6SCOPE_COLLECTOR_INGEST_READINESS_INGEST_IMPL_H_

#include <cstddef>
#include <deque>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "collector/enrich/attribution.h"
#include "collector/ingest/ingest_metrics.h"
#include "collector/ingest/readiness_ingest.h"
#include "collector/store/campaign_store.h"
#include "collector/store/readiness_store.h"
#include "common/time/clock.h"

namespace v6scope::collector::ingest {

struct ReadinessIngestOptions {
  // Batches prepared and waiting for the writer at which Submit answers
  // RESOURCE_EXHAUSTED (at most 500 results each).
  size_t max_queued_batches = 32;
  // Results at which the writer stops adding queued batches to one
  // transaction (bounds commit latency); a bigger batch is stored alone.
  // Below what is usually queued, so streams whose batches are not in
  // this commit prepare their next while it is written (bench/
  // readiness_ingest: 2,000, 4,000 and 1,600 all measured 49,700-56,200
  // results/s over three runs each: within the noise).
  size_t max_results_per_commit = 2000;
};

class ReadinessIngestImpl : public ReadinessIngest {
 public:
  // `results` and `campaigns` are usually the same store::Store.
  // `attribution` and `metrics` may be null. Every pointer must outlive
  // this object.
  ReadinessIngestImpl(store::ReadinessStore* results,
                      store::CampaignStore* campaigns, const time::Clock* clock,
                      const enrich::AttributionHolder* attribution = nullptr,
                      IngestMetrics* metrics = nullptr,
                      ReadinessIngestOptions options = {});
  // Stores what is queued (each completion is called), then stops.
  ~ReadinessIngestImpl() override;

  ReadinessIngestImpl(const ReadinessIngestImpl&) = delete;
  ReadinessIngestImpl& operator=(const ReadinessIngestImpl&) = delete;

  // As ReadinessIngest::Submit; a failed store read while preparing is
  // UNAVAILABLE (nothing queued, `done` not called).
  absl::Status Submit(const std::string& probe_id,
                      v6scope::v1::DomainBatch* batch, Done done) override;

  size_t QueuedBatches() const;

 private:
  struct Pending {
    std::string probe_id;
    uint64_t first_seq = 0;
    std::vector<store::DomainResultRow> rows;
    Done done;
  };

  // Counts a refusal by reason and returns `status`.
  absl::Status Reject(absl::string_view reason, absl::Status status) const;
  bool Full() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void WriterLoop();
  // Stores `group` in one transaction and calls each batch's completion.
  void Write(std::vector<Pending>& group);
  void Completed(const Pending& pending,
                 const store::StoredDomainBatch& stored);

  store::ReadinessStore* const results_;
  store::CampaignStore* const campaigns_;
  const time::Clock* const clock_;
  const enrich::AttributionHolder* const attribution_;  // May be null.
  IngestMetrics* const metrics_;                        // May be null.
  const ReadinessIngestOptions options_;

  mutable absl::Mutex mu_;
  std::deque<Pending> queue_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::thread writer_;  // Last: started once the rest is constructed.
};

}  // namespace v6scope::collector::ingest

#endif  // V6SCOPE_COLLECTOR_INGEST_READINESS_INGEST_IMPL_H_
