// CampaignRunner: runs the work book's items as readiness checks on the
// probe's event loop (issue 16, docs/campaigns.md): at most the book's
// concurrency at once, each finished check wrapped in a DomainResult
// {assignment_id, item, check}, handed to the ResultSink (the readiness
// spool), and only then marked done in the book, so a crash between the
// two repeats the check (the collector keeps (assignment, item) once).
//
// The daemon pauses it around every capability run (Pausable), so campaign
// traffic never overlaps a measurement. A sink that fails (a full disk)
// blocks the runner: no new check starts, the finished results wait in
// memory (at most the concurrency) and are retried every `sink_retry`;
// nothing finished is marked done before the sink took it.
//
// Threading: loop thread only, except Wake(). The book, the sink, the loop
// and what the checker uses outlive the runner.
#ifndef V6SCOPE_PROBE_CAMPAIGN_CAMPAIGN_RUNNER_H_
#define V6SCOPE_PROBE_CAMPAIGN_CAMPAIGN_RUNNER_H_

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <string>

#include "absl/time/time.h"
#include "common/time/clock.h"
#include "probe/campaign/file_work_book.h"
#include "probe/campaign/pausable.h"
#include "probe/campaign/result_sink.h"
#include "probe/http/fetcher.h"
#include "probe/loop/event_loop.h"
#include "probe/readiness/connection_gate.h"
#include "probe/readiness/dns_lookup.h"
#include "probe/readiness/domain_checker.h"
#include "proto/probe_service.pb.h"

namespace v6scope::probe::campaign {

struct RunnerOptions {
  // How often a failing sink (a full disk) is tried again.
  absl::Duration sink_retry = absl::Seconds(30);
};

// What the runner's DomainChecker is built from.
struct CheckerDeps {
  loop::EventLoop* loop = nullptr;
  readiness::DnsLookup* dns = nullptr;
  http::Fetcher* fetcher = nullptr;
  readiness::ConnectionGate* gate = nullptr;
  const time::Clock* clock = time::RealClock::Get();
  readiness::CheckerOptions options;
};

class CampaignRunner : public Pausable {
 public:
  using Done = std::function<void(v6scope::v1::DomainCheck)>;
  // Checks one domain; calls `done` once, on the loop, never inline.
  using CheckFn = std::function<void(const std::string& domain, Done done)>;

  // Checks with a DomainChecker built from `deps` (owned by the runner).
  CampaignRunner(FileWorkBook* book, ResultSink* sink, const CheckerDeps& deps,
                 RunnerOptions options = {});
  // Checks with `check` (tests, benchmarks).
  CampaignRunner(FileWorkBook* book, ResultSink* sink, loop::EventLoop* loop,
                 const time::Clock* clock, CheckFn check,
                 RunnerOptions options = {});
  ~CampaignRunner() override;
  CampaignRunner(const CampaignRunner&) = delete;
  CampaignRunner& operator=(const CampaignRunner&) = delete;

  // Starts taking items once the loop dispatches, and whenever the book
  // accepts new work. Not paused unless Pause() is called.
  void Start();

  // Pausable.
  void Pause(std::function<void()> on_idle) override;
  void Resume() override;
  bool Idle() const override { return in_flight_ == 0; }

  // Looks for work again soon (new work, a new day). Thread-safe.
  void Wake();

  size_t in_flight() const { return in_flight_; }
  size_t waiting_results() const { return waiting_.size(); }
  bool blocked() const { return sink_blocked_; }
  uint64_t results_taken() const { return results_taken_; }

 private:
  struct Finished {
    WorkItem item;
    uint64_t bytes = 0;
    v6scope::v1::DomainResult result;
  };

  void Fill();
  void StartCheck(WorkItem item);
  void OnChecked(const WorkItem& item, v6scope::v1::DomainCheck check);
  void Flush();
  void ArmTimer(absl::Time at);

  FileWorkBook* const book_;
  ResultSink* const sink_;
  loop::EventLoop* const loop_;
  const time::Clock* const clock_;
  const RunnerOptions options_;
  std::unique_ptr<readiness::DomainChecker> checker_;  // Null with a CheckFn.
  CheckFn check_;
  bool started_ = false;
  bool paused_ = false;
  bool sink_blocked_ = false;
  std::function<void()> on_idle_;
  size_t in_flight_ = 0;
  uint64_t results_taken_ = 0;
  std::deque<Finished> waiting_;        // Finished, not yet taken by the sink.
  loop::EventLoop::TimerId timer_ = 0;  // Next try (a new day).
  loop::EventLoop::TimerId sink_timer_ = 0;  // Next sink retry.
  // Expires with the runner: checks and posts still pending are dropped.
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace v6scope::probe::campaign

#endif  // V6SCOPE_PROBE_CAMPAIGN_CAMPAIGN_RUNNER_H_
