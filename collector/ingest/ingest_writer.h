// IngestWriter: the collector's single writer of results.
//
// Upload streams hand it validated, prepared batches; one thread takes
// everything queued and stores it with RunSink::StoreBatches in one durable
// transaction (group commit: one fsync for many probes' batches). A second
// thread then calls each batch's completion, so the writer goes straight
// on to the next commit while the acks of the last one are sent. Only on
// completion may a stream acknowledge its batch. Submit() is thread-safe;
// completions run on the completion thread, in commit order, and must not
// block.
#ifndef V6SCOPE_COLLECTOR_INGEST_INGEST_WRITER_H_
#define V6SCOPE_COLLECTOR_INGEST_INGEST_WRITER_H_

#include <cstddef>
#include <deque>
#include <functional>
#include <thread>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "collector/ingest/ingest_metrics.h"
#include "collector/store/run_sink.h"

namespace v6scope::collector::ingest {

class IngestWriter {
 public:
  using Done = std::function<void(absl::StatusOr<store::BatchOutcome>)>;

  // `store` must outlive the writer. At most `max_runs_per_commit` runs
  // go into one transaction (bounds commit latency).
  explicit IngestWriter(store::RunSink* store,
                        size_t max_runs_per_commit = 20000,
                        IngestMetrics* metrics = nullptr);
  // Stores what is queued, runs every completion, then stops the threads.
  ~IngestWriter();

  IngestWriter(const IngestWriter&) = delete;
  IngestWriter& operator=(const IngestWriter&) = delete;

  // Queues `batch`; `done` is called exactly once, after the batch is
  // durably stored or the store failed.
  void Submit(store::RunBatch batch, Done done);

  // Batches queued and not yet committed (for metrics and back-off).
  size_t QueuedBatches() const;

 private:
  struct Pending {
    store::RunBatch batch;
    Done done;
  };
  // The completions of one commit, with what the commit returned. Holds
  // the batches too, so that freeing them is not the writer's work.
  struct Committed {
    std::vector<store::RunBatch> batches;
    std::vector<Done> done;
    absl::StatusOr<std::vector<store::BatchOutcome>> outcomes;
  };

  void WriteLoop();
  void CompleteLoop();
  Committed CommitGroup(std::deque<Pending>& group);

  store::RunSink* const store_;
  const size_t max_runs_per_commit_;
  IngestMetrics* const metrics_;  // May be null.
  mutable absl::Mutex mu_;
  std::deque<Pending> queue_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  absl::Mutex completions_mu_;
  std::deque<Committed> completions_ ABSL_GUARDED_BY(completions_mu_);
  bool writer_done_ ABSL_GUARDED_BY(completions_mu_) = false;
  // Declared last: started once everything above exists.
  std::thread writer_thread_;
  std::thread completion_thread_;
};

}  // namespace v6scope::collector::ingest

#endif  // V6SCOPE_COLLECTOR_INGEST_INGEST_WRITER_H_
