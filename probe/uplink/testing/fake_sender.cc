#include "probe/uplink/testing/fake_sender.h"

#include <utility>

#include "absl/strings/str_cat.h"

namespace v6scope::probe::uplink::testing {

void FakeSender::SetMode(Mode mode, absl::Status fail, absl::Duration hint) {
  absl::MutexLock lock(&mu_);
  mode_ = mode;
  fail_ = std::move(fail);
  hint_ = hint;
}

void FakeSender::Refuse(uint64_t seq, std::string field, bool name_run) {
  absl::MutexLock lock(&mu_);
  refusals_.push_back({seq, std::move(field), name_run});
}

absl::StatusOr<UploadResult> FakeSender::Send(
    uint64_t first_seq, const std::vector<v6scope::v1::Run>& runs,
    uint64_t dropped_runs) {
  absl::MutexLock lock(&mu_);
  Call call{first_seq, {}, dropped_runs};
  for (size_t i = 0; i < runs.size(); ++i) call.seqs.push_back(first_seq + i);
  calls_.push_back(call);
  last_hint_ = absl::ZeroDuration();
  if (cancelled_) return absl::CancelledError("fake: cancelled");
  if (mode_ == Mode::kBlackHole) {
    ++held_;
    mu_.Await(absl::Condition(&cancelled_));
    --held_;
    return absl::CancelledError("fake: cancelled while held");
  }
  if (mode_ == Mode::kFail) {
    last_hint_ = hint_;
    return fail_;
  }
  // The first refused run of the batch, as the collector validates in
  // order.
  for (size_t i = 0; i < call.seqs.size(); ++i) {
    for (const Refusal& r : refusals_) {
      if (r.seq != call.seqs[i]) continue;
      return absl::InvalidArgumentError(
          r.name_run ? absl::StrCat("runs[", i, "].", r.field) : r.field);
    }
  }
  acked_.insert(acked_.end(), call.seqs.begin(), call.seqs.end());
  UploadResult r;
  r.acked_through = call.seqs.empty() ? 0 : call.seqs.back();
  r.stored = call.seqs.size();
  return r;
}

absl::Duration FakeSender::back_off_hint() const {
  absl::MutexLock lock(&mu_);
  return last_hint_;
}

void FakeSender::CloseChannels() {
  absl::MutexLock lock(&mu_);
  ++close_calls_;
}

void FakeSender::Cancel() {
  absl::MutexLock lock(&mu_);
  cancelled_ = true;
}

std::vector<FakeSender::Call> FakeSender::calls() const {
  absl::MutexLock lock(&mu_);
  return calls_;
}

std::vector<uint64_t> FakeSender::acked() const {
  absl::MutexLock lock(&mu_);
  return acked_;
}

int FakeSender::close_calls() const {
  absl::MutexLock lock(&mu_);
  return close_calls_;
}

bool FakeSender::cancelled() const {
  absl::MutexLock lock(&mu_);
  return cancelled_;
}

bool FakeSender::WaitForHeld(absl::Duration timeout) const {
  absl::MutexLock lock(&mu_);
  auto held = [this]() ABSL_SHARED_LOCKS_REQUIRED(mu_) { return held_ > 0; };
  return mu_.AwaitWithTimeout(absl::Condition(&held), timeout);
}

bool FakeSender::WaitForAcked(size_t n, absl::Duration timeout) const {
  absl::MutexLock lock(&mu_);
  auto enough = [this, n]() ABSL_SHARED_LOCKS_REQUIRED(mu_) {
    return acked_.size() >= n;
  };
  return mu_.AwaitWithTimeout(absl::Condition(&enough), timeout);
}

}  // namespace v6scope::probe::uplink::testing
