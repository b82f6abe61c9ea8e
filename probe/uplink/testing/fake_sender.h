// FakeSender: a RunSender for the drainer, uplink-worker and daemon tests.
// Acknowledges, fails (with an optional back-off hint), or never answers
// (black hole: Send blocks until Cancel()), and records every call.
// Thread-safe: the uplink thread sends while the test thread looks.
#ifndef V6SCOPE_PROBE_UPLINK_TESTING_FAKE_SENDER_H_
#define V6SCOPE_PROBE_UPLINK_TESTING_FAKE_SENDER_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "probe/uplink/run_sender.h"

namespace v6scope::probe::uplink::testing {

class FakeSender : public RunSender {
 public:
  enum class Mode { kAccept, kFail, kBlackHole };

  struct Call {
    uint64_t first_seq = 0;
    std::vector<uint64_t> seqs;  // first_seq + i, for runs.size() runs.
    uint64_t dropped_runs = 0;
  };

  void SetMode(Mode mode,
               absl::Status fail = absl::UnavailableError("fake: down"),
               absl::Duration hint = absl::ZeroDuration());

  // Like a collector whose validation refuses run `seq`: a Send whose
  // batch holds it fails with INVALID_ARGUMENT, naming it as
  // "runs[<index in the batch>].<field>" if `name_run`, else with
  // `field` alone; nothing of that batch is acknowledged.
  void Refuse(uint64_t seq,
              std::string field = "tests[0].error_detail: control character",
              bool name_run = true);

  absl::StatusOr<UploadResult> Send(uint64_t first_seq,
                                    const std::vector<v6scope::v1::Run>& runs,
                                    uint64_t dropped_runs) override;
  absl::Duration back_off_hint() const override;
  void CloseChannels() override;
  void Cancel() override;

  std::vector<Call> calls() const;
  // Every seq acknowledged so far, in order.
  std::vector<uint64_t> acked() const;
  int close_calls() const;
  bool cancelled() const;
  // Blocks until a Send is held by the black hole, or `timeout` passes.
  bool WaitForHeld(absl::Duration timeout) const;
  // Blocks until `n` seqs are acknowledged, or `timeout` passes.
  bool WaitForAcked(size_t n, absl::Duration timeout) const;

 private:
  mutable absl::Mutex mu_;
  Mode mode_ ABSL_GUARDED_BY(mu_) = Mode::kAccept;
  absl::Status fail_ ABSL_GUARDED_BY(mu_);
  absl::Duration hint_ ABSL_GUARDED_BY(mu_);
  absl::Duration last_hint_ ABSL_GUARDED_BY(mu_);
  struct Refusal {
    uint64_t seq;
    std::string field;
    bool name_run;
  };
  std::vector<Refusal> refusals_ ABSL_GUARDED_BY(mu_);
  std::vector<Call> calls_ ABSL_GUARDED_BY(mu_);
  std::vector<uint64_t> acked_ ABSL_GUARDED_BY(mu_);
  int close_calls_ ABSL_GUARDED_BY(mu_) = 0;
  int held_ ABSL_GUARDED_BY(mu_) = 0;
  bool cancelled_ ABSL_GUARDED_BY(mu_) = false;
};

}  // namespace v6scope::probe::uplink::testing

#endif  // V6SCOPE_PROBE_UPLINK_TESTING_FAKE_SENDER_H_
