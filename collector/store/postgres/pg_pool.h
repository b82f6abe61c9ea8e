// PgPool: a few libpq connections to one database, lent to one caller at a
// time. Internal to collector/store.
#ifndef V6SCOPE_COLLECTOR_STORE_POSTGRES_PG_POOL_H_
#define V6SCOPE_COLLECTOR_STORE_POSTGRES_PG_POOL_H_

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "collector/store/postgres/pg_conn.h"

namespace v6scope::collector::store::postgres {

// Up to `max_size` connections to one database, opened on demand and
// lent to one caller at a time. A caller waits while all are lent. A lost
// connection is dropped when returned (or found lost when lent again), so
// the next caller connects afresh: a server restart costs each pooled
// connection at most one failed call. Thread-safe.
class PgPool {
 public:
  // A connection lent to one caller; returned to the pool on destruction.
  class Lease {
   public:
    Lease(Lease&& other) noexcept;
    Lease& operator=(Lease&&) = delete;
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    ~Lease();

    PgConn& operator*() const { return *conn_; }
    PgConn* operator->() const { return conn_.get(); }

   private:
    friend class PgPool;
    Lease(PgPool* pool, std::unique_ptr<PgConn> conn)
        : pool_(pool), conn_(std::move(conn)) {}

    PgPool* pool_;
    std::unique_ptr<PgConn> conn_;
  };

  // `first` (already connected, may be null) becomes the first idle one.
  PgPool(std::string conninfo, int max_size, std::unique_ptr<PgConn> first);
  PgPool(const PgPool&) = delete;
  PgPool& operator=(const PgPool&) = delete;
  ~PgPool();

  // An idle connection, a new one, or (all lent) the next one returned.
  // Connection errors as PgConn::Connect.
  absl::StatusOr<Lease> Acquire();

 private:
  void Release(std::unique_ptr<PgConn> conn);
  bool CanLend() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const std::string conninfo_;
  const int max_size_;
  absl::Mutex mu_;
  std::vector<std::unique_ptr<PgConn>> idle_ ABSL_GUARDED_BY(mu_);
  int open_ ABSL_GUARDED_BY(mu_) = 0;  // Idle, lent, or being opened.
};

}  // namespace v6scope::collector::store::postgres

#endif  // V6SCOPE_COLLECTOR_STORE_POSTGRES_PG_POOL_H_
