#include "collector/ingest/ingest_writer.h"

#include <pthread.h>

#include <utility>
#include <vector>

#include "absl/time/clock.h"
#include "common/log/log.h"

namespace v6scope::collector::ingest {

IngestWriter::IngestWriter(store::RunSink* store, size_t max_runs_per_commit,
                           IngestMetrics* metrics)
    : store_(store),
      max_runs_per_commit_(max_runs_per_commit),
      metrics_(metrics),
      writer_thread_([this] { WriteLoop(); }),
      completion_thread_([this] { CompleteLoop(); }) {}

IngestWriter::~IngestWriter() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  writer_thread_.join();  // Commits what was queued first.
  {
    absl::MutexLock lock(&completions_mu_);
    writer_done_ = true;
  }
  completion_thread_.join();
}

void IngestWriter::Submit(store::RunBatch batch, Done done) {
  absl::MutexLock lock(&mu_);
  queue_.push_back(Pending{std::move(batch), std::move(done)});
}

size_t IngestWriter::QueuedBatches() const {
  absl::MutexLock lock(&mu_);
  return queue_.size();
}

void IngestWriter::WriteLoop() {
  // Named for top -H, perf and /proc (at most 15 characters).
  pthread_setname_np(pthread_self(), "ingest-writer");
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
    Committed committed = CommitGroup(group);
    absl::MutexLock lock(&completions_mu_);
    completions_.push_back(std::move(committed));
  }
}

void IngestWriter::CompleteLoop() {
  pthread_setname_np(pthread_self(), "ingest-acks");
  for (;;) {
    Committed committed;
    {
      absl::MutexLock lock(&completions_mu_);
      completions_mu_.Await(absl::Condition(
          +[](IngestWriter* w)
               ABSL_EXCLUSIVE_LOCKS_REQUIRED(w->completions_mu_) {
                 return w->writer_done_ || !w->completions_.empty();
               },
          this));
      if (completions_.empty()) return;  // The writer is done and so are we.
      committed = std::move(completions_.front());
      completions_.pop_front();
    }
    for (size_t i = 0; i < committed.done.size(); ++i) {
      if (committed.outcomes.ok()) {
        committed.done[i]((*committed.outcomes)[i]);
      } else {
        committed.done[i](committed.outcomes.status());
      }
    }
  }
}

IngestWriter::Committed IngestWriter::CommitGroup(std::deque<Pending>& group) {
  Committed committed;
  committed.batches.reserve(group.size());
  committed.done.reserve(group.size());
  for (Pending& p : group) {
    committed.batches.push_back(std::move(p.batch));
    committed.done.push_back(std::move(p.done));
  }
  const absl::Time start = absl::Now();
  committed.outcomes = store_->StoreBatches(committed.batches);
  if (metrics_ != nullptr) {
    metrics_->commits->Add(1);
    metrics_->commit_seconds->Add(absl::ToDoubleSeconds(absl::Now() - start));
  }
  if (!committed.outcomes.ok()) {
    log::Error(
        "store.commit_failed",
        {{"batches", group.size()}, {"status", committed.outcomes.status()}});
  }
  return committed;
}

}  // namespace v6scope::collector::ingest
