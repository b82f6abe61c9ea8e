#include "collector/service/campaign_exchange.h"

#include <utility>

#include "absl/container/flat_hash_set.h"

namespace v6scope::collector::service {
namespace {

absl::Status Stopping() {
  return absl::UnavailableError("the collector is stopping; retry later");
}

// The batch's assignment ids, each once: all CancelledFor needs, kept
// because Submit moves the batch away.
v6scope::v1::DomainBatch NamedAssignments(
    const v6scope::v1::DomainBatch& batch) {
  v6scope::v1::DomainBatch named;
  absl::flat_hash_set<std::string> seen;
  for (const v6scope::v1::DomainResult& r : batch.results()) {
    if (seen.insert(r.assignment_id()).second) {
      named.add_results()->set_assignment_id(r.assignment_id());
    }
  }
  return named;
}

}  // namespace

CampaignExchange::CampaignExchange(CampaignWork work) : work_(work) {
  if (work_.planner != nullptr) {
    pool_ = std::make_unique<http::WorkerPool>(work_.threads, work_.max_queued);
  }
}

CampaignExchange::~CampaignExchange() {
  if (pool_ != nullptr) pool_->Stop();
}

absl::StatusOr<uint64_t> CampaignExchange::LastStoredDomainSeq(
    const std::string& probe_id) {
  if (work_.readiness == nullptr) return 0;
  return work_.readiness->LastStoredDomainSeq(probe_id);
}

bool CampaignExchange::Plan(const std::string& probe_id,
                            v6scope::v1::WorkPoll poll, OfferDone done) {
  const campaign::AssignmentPlanner* planner = work_.planner;
  return pool_->TrySubmit(
      [planner, probe_id, poll = std::move(poll),
       done = std::move(done)](bool run) {
        done(run ? planner->Plan(probe_id, poll)
                 : absl::StatusOr<v6scope::v1::WorkOffer>(Stopping()));
      },
      [] {});
}

absl::Status CampaignExchange::Submit(const std::string& probe_id,
                                      v6scope::v1::DomainBatch* batch,
                                      AckDone done) {
  v6scope::v1::DomainBatch named;
  if (work_.planner != nullptr) named = NamedAssignments(*batch);
  return work_.ingest->Submit(
      probe_id, batch,
      [this, probe_id, named = std::move(named), done = std::move(done)](
          absl::StatusOr<store::StoredDomainBatch> stored) mutable {
        if (!stored.ok()) {
          done(stored.status());
          return;
        }
        v6scope::v1::DomainAck ack;
        ack.set_first_seq(stored->first_seq);
        ack.set_last_seq(stored->last_seq);
        ack.set_stored(stored->stored);
        FinishAck(probe_id, named, std::move(ack), std::move(done));
      });
}

// On the ingest's worker, which must not block: the cancelled ids are
// looked up on our own workers.
void CampaignExchange::FinishAck(const std::string& probe_id,
                                 const v6scope::v1::DomainBatch& named,
                                 v6scope::v1::DomainAck ack, AckDone done) {
  if (pool_ == nullptr || named.results().empty()) {
    done(std::move(ack));
    return;
  }
  auto shared_done = std::make_shared<AckDone>(std::move(done));
  auto shared_ack = std::make_shared<v6scope::v1::DomainAck>(std::move(ack));
  const campaign::AssignmentPlanner* planner = work_.planner;
  const bool queued = pool_->TrySubmit(
      [planner, probe_id, named, shared_ack, shared_done](bool run) {
        if (run) {
          absl::StatusOr<std::vector<std::string>> cancelled =
              planner->CancelledFor(probe_id, named);
          // A failed lookup costs only the hint: the ack stands.
          if (cancelled.ok()) {
            for (std::string& id : *cancelled) {
              shared_ack->add_cancelled(std::move(id));
            }
          }
        }
        (*shared_done)(std::move(*shared_ack));
      },
      [] {});
  if (!queued) (*shared_done)(std::move(*shared_ack));
}

}  // namespace v6scope::collector::service
