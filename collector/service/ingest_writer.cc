#include "collector/service/ingest_writer.h"

#include <utility>
#include <vector>

#include "absl/time/clock.h"
#include "common/log/log.h"

namespace v6scope::collector {

IngestWriter::IngestWriter(Store* store, size_t max_runs_per_commit,
                           IngestMetrics* metrics)
    : store_(store),
      max_runs_per_commit_(max_runs_per_commit),
      metrics_(metrics),
      thread_([this] { Loop(); }) {}

IngestWriter::~IngestWriter() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  thread_.join();
}

void IngestWriter::Submit(RunBatch batch, Done done) {
  absl::MutexLock lock(&mu_);
  queue_.push_back(Pending{std::move(batch), std::move(done)});
}

size_t IngestWriter::QueuedBatches() const {
  absl::MutexLock lock(&mu_);
  return queue_.size();
}

void IngestWriter::Loop() {
  for (;;) {
    std::deque<Pending> group;
    {
      absl::MutexLock lock(&mu_);
      mu_.Await(absl::Condition(
          +[](IngestWriter* w) ABSL_EXCLUSIVE_LOCKS_REQUIRED(w->mu_) {
            return w->stopping_ || !w->queue_.empty();
          },
          this));
      if (queue_.empty()) return;  // Stopping and drained.
      size_t runs = 0;
      while (!queue_.empty() &&
             (group.empty() || runs + queue_.front().batch.runs.size() <=
                                   max_runs_per_commit_)) {
        runs += queue_.front().batch.runs.size();
        group.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }
    CommitGroup(group);
  }
}

void IngestWriter::CommitGroup(std::deque<Pending>& group) {
  std::vector<RunBatch> batches;
  batches.reserve(group.size());
  for (Pending& p : group) batches.push_back(std::move(p.batch));
  const absl::Time start = absl::Now();
  absl::StatusOr<std::vector<BatchOutcome>> outcomes =
      store_->StoreBatches(batches);
  if (metrics_ != nullptr) {
    metrics_->commits->Add(1);
    metrics_->commit_seconds->Add(absl::ToDoubleSeconds(absl::Now() - start));
  }
  if (!outcomes.ok()) {
    log::Error("store.commit_failed",
               {{"batches", group.size()}, {"status", outcomes.status()}});
    for (Pending& p : group) p.done(outcomes.status());
    return;
  }
  for (size_t i = 0; i < group.size(); ++i) group[i].done((*outcomes)[i]);
}

}  // namespace v6scope::collector
