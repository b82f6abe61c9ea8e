#include "probe/readiness/domain_sweep.h"

#include <algorithm>
#include <utility>

namespace v6scope::probe::readiness {

DomainSweep::DomainSweep(DomainChecker* checker, size_t concurrency)
    : checker_(checker), concurrency_(std::max<size_t>(1, concurrency)) {}

DomainSweep::~DomainSweep() = default;

void DomainSweep::Start(Next next, OnResult on_result,
                        std::function<void()> on_done) {
  next_ = std::move(next);
  on_result_ = std::move(on_result);
  on_done_ = std::move(on_done);
  Fill();
}

void DomainSweep::Fill() {
  while (!exhausted_ && in_flight_ < concurrency_) {
    std::optional<std::string> domain = next_();
    if (!domain.has_value()) {
      exhausted_ = true;
      break;
    }
    ++in_flight_;
    ++started_;
    max_in_flight_ = std::max(max_in_flight_, in_flight_);
    std::weak_ptr<bool> alive = alive_;
    checker_->Check(*domain, [this, alive](v6scope::v1::DomainCheck check) {
      if (alive.expired()) return;
      --in_flight_;
      ++finished_;
      on_result_(std::move(check));  // Handed over, not kept.
      if (alive.expired()) return;   // on_result may end the sweep.
      Fill();
    });
  }
  if (exhausted_ && in_flight_ == 0 && on_done_) {
    std::function<void()> done = std::move(on_done_);
    on_done_ = nullptr;
    done();
  }
}

}  // namespace v6scope::probe::readiness
