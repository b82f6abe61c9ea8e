// DomainSweep: many domains through one DomainChecker with a bound on how
// many are checked at once, each finished DomainCheck handed to a callback
// as soon as it is done (the sweep keeps none of them: memory follows the
// concurrency, not the list's length).
//
// Domains are pulled one at a time from `next` as slots free up, so the
// list itself can be streamed too (a file, a campaign slice).
//
// Threading: loop thread only; the checker outlives the sweep.
#ifndef V6SCOPE_PROBE_READINESS_DOMAIN_SWEEP_H_
#define V6SCOPE_PROBE_READINESS_DOMAIN_SWEEP_H_

#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "probe/readiness/domain_checker.h"
#include "proto/readiness.pb.h"

namespace v6scope::probe::readiness {

// Domains checked at once unless the caller says otherwise.
inline constexpr size_t kDefaultSweepConcurrency = 32;

class DomainSweep {
 public:
  // The next domain to check; nullopt when the list is exhausted.
  using Next = std::function<std::optional<std::string>()>;
  using OnResult = std::function<void(v6scope::v1::DomainCheck)>;

  DomainSweep(DomainChecker* checker,
              size_t concurrency = kDefaultSweepConcurrency);
  ~DomainSweep();
  DomainSweep(const DomainSweep&) = delete;
  DomainSweep& operator=(const DomainSweep&) = delete;

  // Starts the sweep: up to `concurrency` checks at once until `next` runs
  // dry; `on_result` per finished domain; `on_done` once after the last.
  // One sweep per object.
  void Start(Next next, OnResult on_result, std::function<void()> on_done);

  size_t in_flight() const { return in_flight_; }
  size_t max_in_flight() const { return max_in_flight_; }
  size_t started() const { return started_; }
  size_t finished() const { return finished_; }

 private:
  void Fill();

  DomainChecker* const checker_;
  const size_t concurrency_;
  Next next_;
  OnResult on_result_;
  std::function<void()> on_done_;
  bool exhausted_ = false;
  size_t in_flight_ = 0;
  size_t max_in_flight_ = 0;
  size_t started_ = 0;
  size_t finished_ = 0;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace v6scope::probe::readiness

#endif  // V6SCOPE_PROBE_READINESS_DOMAIN_SWEEP_H_
