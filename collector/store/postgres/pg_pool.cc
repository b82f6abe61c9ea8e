#include "collector/store/postgres/pg_pool.h"

#include <memory>
#include <string>
#include <utility>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "collector/store/postgres/pg_conn.h"

namespace v6scope::collector::store::postgres {

PgPool::PgPool(std::string conninfo, int max_size,
               std::unique_ptr<PgConn> first)
    : conninfo_(std::move(conninfo)), max_size_(max_size) {
  if (first != nullptr) {
    absl::MutexLock lock(&mu_);
    idle_.push_back(std::move(first));
    open_ = 1;
  }
}

PgPool::~PgPool() = default;  // Every lease must have been returned.

bool PgPool::CanLend() const { return !idle_.empty() || open_ < max_size_; }

absl::StatusOr<PgPool::Lease> PgPool::Acquire() {
  while (true) {
    std::unique_ptr<PgConn> conn;
    {
      absl::MutexLock lock(&mu_);
      mu_.Await(absl::Condition(this, &PgPool::CanLend));
      if (idle_.empty()) {
        ++open_;  // Reserve the slot; connect without holding the lock.
        break;
      }
      conn = std::move(idle_.back());
      idle_.pop_back();
      if (conn->CheckAlive()) return Lease(this, std::move(conn));
      --open_;  // Lost while idle: drop it (outside the lock) and retry.
    }
  }
  absl::StatusOr<std::unique_ptr<PgConn>> conn = PgConn::Connect(conninfo_);
  if (!conn.ok()) {
    absl::MutexLock lock(&mu_);
    --open_;
    return conn.status();
  }
  return Lease(this, *std::move(conn));
}

void PgPool::Release(std::unique_ptr<PgConn> conn) {
  if (conn->Broken()) {
    conn.reset();  // Closed outside the lock.
    absl::MutexLock lock(&mu_);
    --open_;
    return;
  }
  absl::MutexLock lock(&mu_);
  idle_.push_back(std::move(conn));
}

PgPool::Lease::Lease(Lease&& other) noexcept
    : pool_(other.pool_), conn_(std::move(other.conn_)) {}

PgPool::Lease::~Lease() {
  if (conn_ != nullptr) pool_->Release(std::move(conn_));
}

}  // namespace v6scope::collector::store::postgres
