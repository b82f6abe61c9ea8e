#include "collector/service/testing/fake_readiness_ingest.h"

#include <utility>

namespace v6scope::collector::service::testing {

FakeReadinessIngest::~FakeReadinessIngest() {
  std::vector<std::thread> workers;
  {
    absl::MutexLock lock(&mu_);
    workers.swap(workers_);
  }
  for (std::thread& t : workers) t.join();
}

void FakeReadinessIngest::RefuseWith(absl::Status status) {
  absl::MutexLock lock(&mu_);
  refuse_ = std::move(status);
}

absl::Status FakeReadinessIngest::Submit(const std::string& probe_id,
                                         v6scope::v1::DomainBatch* batch,
                                         Done done) {
  absl::MutexLock lock(&mu_);
  if (!refuse_.ok()) return refuse_;
  std::vector<store::DomainResultRow> rows;
  for (int i = 0; i < batch->results_size(); ++i) {
    const v6scope::v1::DomainResult& r = batch->results(i);
    store::DomainResultRow row;
    row.seq = batch->first_seq() + i;
    row.assignment_id = r.assignment_id();
    row.item = r.item();
    row.domain = r.check().domain();
    absl::StatusOr<store::AssignmentRecord> a =
        store_->GetAssignment(r.assignment_id());
    if (a.ok()) {
      row.campaign_id = a->campaign_id;
      row.round = a->round;
      row.list_index = a->first_index + r.item();
    }
    row.check = r.check();
    rows.push_back(std::move(row));
  }
  workers_.emplace_back([this, probe_id, first = batch->first_seq(),
                         rows = std::move(rows), done = std::move(done)] {
    done(store_->StoreDomainResults(probe_id, first, rows));
  });
  return absl::OkStatus();
}

}  // namespace v6scope::collector::service::testing
