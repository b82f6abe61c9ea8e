#include "probe/campaign/campaign_runner.h"

#include <algorithm>
#include <utility>

#include "common/log/log.h"
#include "probe/campaign/byte_estimate.h"

namespace v6scope::probe::campaign {

CampaignRunner::CampaignRunner(FileWorkBook* book, ResultSink* sink,
                               const CheckerDeps& deps, RunnerOptions options)
    : CampaignRunner(book, sink, deps.loop, deps.clock, nullptr, options) {
  checker_ = std::make_unique<readiness::DomainChecker>(
      deps.loop, deps.dns, deps.fetcher, deps.gate, deps.clock, deps.options);
  check_ = [c = checker_.get()](const std::string& domain, Done done) {
    c->Check(domain, std::move(done));
  };
}

CampaignRunner::CampaignRunner(FileWorkBook* book, ResultSink* sink,
                               loop::EventLoop* loop, const time::Clock* clock,
                               CheckFn check, RunnerOptions options)
    : book_(book),
      sink_(sink),
      loop_(loop),
      clock_(clock),
      options_(options),
      check_(std::move(check)) {}

CampaignRunner::~CampaignRunner() {
  book_->SetOnNewWork(nullptr);
  if (timer_ != 0) loop_->CancelTimer(timer_);
  if (sink_timer_ != 0) loop_->CancelTimer(sink_timer_);
  if (!waiting_.empty()) {
    // Not marked done: checked again at the next start.
    log::Warn("campaign.results_abandoned", {{"results", waiting_.size()}});
  }
}

void CampaignRunner::Start() {
  started_ = true;
  // The callback may run on the uplink thread after the runner is gone:
  // it touches only the loop and a weak pointer there.
  book_->SetOnNewWork(
      [this, loop = loop_, alive = std::weak_ptr<bool>(alive_)] {
        loop->Post([this, alive] {
          if (alive.lock()) Fill();
        });
      });
  Wake();
}

void CampaignRunner::Wake() {
  loop_->Post([this, alive = std::weak_ptr<bool>(alive_)] {
    if (alive.lock()) Fill();
  });
}

void CampaignRunner::Pause(std::function<void()> on_idle) {
  paused_ = true;
  on_idle_ = std::move(on_idle);
}

void CampaignRunner::Resume() {
  paused_ = false;
  on_idle_ = nullptr;
  Fill();
}

void CampaignRunner::Fill() {
  if (!started_ || paused_ || sink_blocked_) return;
  for (;;) {
    NextWork next = book_->TakeNext();
    if (!next.item.has_value()) {
      ArmTimer(next.retry_at);
      return;
    }
    StartCheck(*std::move(next.item));
  }
}

void CampaignRunner::ArmTimer(absl::Time at) {
  if (timer_ != 0) loop_->CancelTimer(timer_);
  timer_ = 0;
  if (at == absl::InfiniteFuture()) return;
  const absl::Duration delay =
      std::max(absl::ZeroDuration(), at - clock_->Now());
  timer_ = loop_->RunAfter(delay, [this] {
    timer_ = 0;
    Fill();
  });
}

void CampaignRunner::StartCheck(WorkItem item) {
  ++in_flight_;
  const std::string domain = item.domain;
  check_(domain, [this, alive = std::weak_ptr<bool>(alive_),
                  item = std::move(item)](v6scope::v1::DomainCheck check) {
    if (alive.lock()) OnChecked(item, std::move(check));
  });
}

void CampaignRunner::OnChecked(const WorkItem& item,
                               v6scope::v1::DomainCheck check) {
  --in_flight_;
  Finished f;
  f.item = item;
  f.bytes = EstimateBytes(check);
  f.result.set_assignment_id(item.assignment_id);
  f.result.set_item(item.item);
  *f.result.mutable_check() = std::move(check);
  waiting_.push_back(std::move(f));
  if (!sink_blocked_) Flush();  // Blocked: the retry timer flushes.
  if (paused_ && in_flight_ == 0 && on_idle_) on_idle_();
  Fill();
}

void CampaignRunner::Flush() {
  while (!waiting_.empty()) {
    Finished& f = waiting_.front();
    absl::Status s = sink_->Append(f.result);
    if (!s.ok()) {
      if (!sink_blocked_) {
        log::Error("campaign.results_blocked",
                   {{"status", s},
                    {"waiting", waiting_.size()},
                    {"retry_in", absl::FormatDuration(options_.sink_retry)}});
      }
      sink_blocked_ = true;
      if (sink_timer_ == 0) {
        sink_timer_ = loop_->RunAfter(options_.sink_retry, [this] {
          sink_timer_ = 0;
          Flush();
          Fill();
        });
      }
      return;
    }
    // Taken: only now done (an I/O error here is logged by the book).
    (void)book_->Finish(f.item, f.bytes);
    ++results_taken_;
    waiting_.pop_front();
  }
  if (sink_blocked_) {
    sink_blocked_ = false;
    log::Info("campaign.results_unblocked", {{"taken", results_taken_}});
  }
}

}  // namespace v6scope::probe::campaign
