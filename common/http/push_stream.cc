#include "common/http/push_stream.h"

#include <algorithm>
#include <cstring>
#include <deque>
#include <thread>
#include <utility>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"

namespace v6scope::http {
namespace {

class Pump {
 public:
  Pump(Producer produce, size_t max_queued)
      : produce_(std::move(produce)),
        max_queued_(std::max<size_t>(1, max_queued)) {}

  Pump(const Pump&) = delete;
  Pump& operator=(const Pump&) = delete;

  ~Pump() {
    {
      absl::MutexLock lock(&mu_);
      cancelled_ = true;
    }
    if (thread_.joinable()) thread_.join();
  }

  // BodyReader::read: the next piece of the front chunk, 0 at the end.
  absl::StatusOr<size_t> Read(char* buf, size_t max) {
    if (!thread_.joinable()) thread_ = std::thread([this] { Run(); });
    absl::MutexLock lock(&mu_);
    mu_.Await(absl::Condition(this, &Pump::Readable));
    if (chunks_.empty()) {
      if (!status_.ok()) return status_;
      return 0;
    }
    std::string& front = chunks_.front();
    const size_t n = std::min(max, front.size() - front_offset_);
    std::memcpy(buf, front.data() + front_offset_, n);
    front_offset_ += n;
    if (front_offset_ == front.size()) {
      chunks_.pop_front();
      front_offset_ = 0;
    }
    return n;
  }

 private:
  bool Readable() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return !chunks_.empty() || done_;
  }
  bool Writable() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return cancelled_ || chunks_.size() < max_queued_;
  }

  bool Push(std::string chunk) {
    absl::MutexLock lock(&mu_);
    mu_.Await(absl::Condition(this, &Pump::Writable));
    if (cancelled_) return false;
    if (!chunk.empty()) chunks_.push_back(std::move(chunk));
    return true;
  }

  void Run() {
    absl::Status status =
        produce_([this](std::string chunk) { return Push(std::move(chunk)); });
    absl::MutexLock lock(&mu_);
    done_ = true;
    status_ = std::move(status);
  }

  const Producer produce_;
  const size_t max_queued_;
  std::thread thread_;  // Started and joined by the reading side only.
  absl::Mutex mu_;
  std::deque<std::string> chunks_ ABSL_GUARDED_BY(mu_);
  size_t front_offset_ ABSL_GUARDED_BY(mu_) = 0;
  bool done_ ABSL_GUARDED_BY(mu_) = false;
  bool cancelled_ ABSL_GUARDED_BY(mu_) = false;
  absl::Status status_ ABSL_GUARDED_BY(mu_);
};

}  // namespace

std::shared_ptr<BodyReader> PushStream(Producer produce,
                                       size_t max_queued_chunks) {
  auto pump = std::make_shared<Pump>(std::move(produce), max_queued_chunks);
  auto reader = std::make_shared<BodyReader>();
  reader->size = -1;
  reader->read = [pump](uint64_t /*offset*/, char* buf,
                        size_t max) -> absl::StatusOr<size_t> {
    return pump->Read(buf, max);
  };
  return reader;
}

}  // namespace v6scope::http
