// CampaignExchange: the Upload stream's campaign side (issue 16,
// docs/campaigns.md): a WorkPoll planned into a WorkOffer and a
// DomainBatch stored and acknowledged, both off gRPC's callback threads.
// The planner touches the store, so it runs on a small worker pool of its
// own, as a batch runs on the ingest writer; a full queue is refused at
// once (the stream backs the probe off) rather than waited on.
#ifndef V6SCOPE_COLLECTOR_SERVICE_CAMPAIGN_EXCHANGE_H_
#define V6SCOPE_COLLECTOR_SERVICE_CAMPAIGN_EXCHANGE_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "collector/campaign/assignment_planner.h"
#include "collector/ingest/readiness_ingest.h"
#include "collector/store/readiness_store.h"
#include "common/http/worker_pool.h"
#include "proto/probe_service.pb.h"

namespace v6scope::collector::service {

// What the collector has of campaign work; each may be null.
struct CampaignWork {
  // Null: a WorkPoll gets an empty offer, poll_after_seconds 86400.
  const campaign::AssignmentPlanner* planner = nullptr;
  // Null: a DomainBatch ends the stream with FAILED_PRECONDITION.
  ingest::ReadinessIngest* ingest = nullptr;
  // The Welcome's last_stored_domain_seq (0 without it).
  store::ReadinessStore* readiness = nullptr;
  // The planner's workers and how many polls may wait for them.
  int threads = 2;
  size_t max_queued = 256;
};

class CampaignExchange {
 public:
  using OfferDone = std::function<void(absl::StatusOr<v6scope::v1::WorkOffer>)>;
  using AckDone = std::function<void(absl::StatusOr<v6scope::v1::DomainAck>)>;

  // The pointers in `work` must outlive the exchange.
  explicit CampaignExchange(CampaignWork work);
  ~CampaignExchange();  // Stops the workers; queued polls get UNAVAILABLE.

  bool offers_work() const { return work_.planner != nullptr; }
  bool takes_results() const { return work_.ingest != nullptr; }

  // Highest readiness sequence stored for the probe; 0 when the collector
  // keeps none. Blocks on the store (as the Welcome's run sequence does).
  absl::StatusOr<uint64_t> LastStoredDomainSeq(const std::string& probe_id);

  // Plans `poll` on a worker and calls `done` there; false, with `done`
  // never called, when the queue is full. Requires offers_work().
  bool Plan(const std::string& probe_id, v6scope::v1::WorkPoll poll,
            OfferDone done);

  // ReadinessIngest::Submit: its refusal at once (`done` never called), or
  // `done` later with the DomainAck, its `cancelled` filled by the planner
  // (best effort: left empty when the workers are busy; the next poll
  // cancels the same). Requires takes_results(). `batch` is moved from.
  absl::Status Submit(const std::string& probe_id,
                      v6scope::v1::DomainBatch* batch, AckDone done);

 private:
  void FinishAck(const std::string& probe_id,
                 const v6scope::v1::DomainBatch& named,
                 v6scope::v1::DomainAck ack, AckDone done);

  const CampaignWork work_;
  std::unique_ptr<http::WorkerPool> pool_;  // Only with a planner.
};

}  // namespace v6scope::collector::service

#endif  // V6SCOPE_COLLECTOR_SERVICE_CAMPAIGN_EXCHANGE_H_
