// WorkerPool: a few threads that run tasks handed over by MhdServer's
// polling threads, so that a slow handler (a store query) holds a worker
// and not the polling thread that owns other connections. The queue is
// bounded: a task offered when it is full is refused at once (the server
// answers 503) rather than waiting behind a backlog nobody will see the
// end of.
#ifndef V6SCOPE_COMMON_HTTP_WORKER_POOL_H_
#define V6SCOPE_COMMON_HTTP_WORKER_POOL_H_

#include <cstddef>
#include <deque>
#include <functional>
#include <thread>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/synchronization/mutex.h"

namespace v6scope::http {

class WorkerPool {
 public:
  // Called once: run true on a worker, or false when Stop() dropped it
  // from the queue (it must then still finish what it owns, quickly).
  using Task = std::function<void(bool run)>;

  // `threads` workers (at least 1); at most `max_queued` tasks wait.
  WorkerPool(int threads, size_t max_queued);
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;
  ~WorkerPool();  // Stop().

  // Queues `task` and returns true, calling `admitted` first under the
  // pool's lock (before any worker can see the task); or returns false,
  // calling neither, when the queue is full or the pool is stopping.
  bool TrySubmit(Task task, absl::FunctionRef<void()> admitted);

  // Refuses new tasks, cancels the queued ones (run false, on the calling
  // thread), lets the running ones finish and joins the workers.
  // Idempotent.
  void Stop();

  // Tasks waiting for a worker.
  size_t queued() const;

 private:
  void Work();
  bool HasWork() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return stopping_ || !queue_.empty();
  }

  const size_t max_queued_;
  mutable absl::Mutex mu_;
  std::deque<Task> queue_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::vector<std::thread> threads_;  // Joined by Stop() only.
};

}  // namespace v6scope::http

#endif  // V6SCOPE_COMMON_HTTP_WORKER_POOL_H_
