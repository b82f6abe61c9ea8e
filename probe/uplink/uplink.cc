#include "probe/uplink/uplink.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/log/log.h"
#include "probe/uplink/refusal.h"

namespace v6scope::probe::uplink {
namespace {

bool IsFinal(const absl::Status& s) {
  return absl::IsUnauthenticated(s) || absl::IsInvalidArgument(s) ||
         absl::IsFailedPrecondition(s) || absl::IsPermissionDenied(s) ||
         absl::IsCancelled(s);
}

}  // namespace

Uplink::Uplink(std::vector<std::string> collectors, rpc::ChannelOptions options,
               std::string credential, absl::Duration call_timeout,
               const time::Clock* clock)
    : collectors_(std::move(collectors)),
      channels_(collectors_.size()),
      no_campaigns_until_(collectors_.size(), absl::InfinitePast()),
      clock_(clock != nullptr ? clock : time::RealClock::Get()),
      options_(std::move(options)),
      credential_(std::move(credential)),
      call_timeout_(call_timeout) {}

Uplink::~Uplink() { CloseSession().IgnoreError(); }

absl::StatusOr<std::shared_ptr<grpc::Channel>> Uplink::ChannelTo(size_t i) {
  if (channels_[i] == nullptr) {
    absl::StatusOr<std::shared_ptr<grpc::Channel>> channel =
        rpc::MakeChannel(collectors_[i], options_);
    if (!channel.ok()) return channel.status();
    channels_[i] = *std::move(channel);
  }
  return channels_[i];
}

void Uplink::CloseChannels() {
  CloseSession().IgnoreError();
  for (std::shared_ptr<grpc::Channel>& channel : channels_) channel = nullptr;
}

void Uplink::Cancel() {
  absl::MutexLock lock(&cancel_mu_);
  cancelled_ = true;
  if (in_flight_ != nullptr) in_flight_->Cancel();
}

void Uplink::EndAttempt() {
  in_attempt_ = false;
  absl::Status s = CloseSession();
  // Everything sent on it was acknowledged already.
  if (!s.ok()) log::Debug("upload.close_failed", {{"status", s}});
}

absl::Status Uplink::CloseSession() {
  if (session_ == nullptr) return absl::OkStatus();
  absl::Status s = session_->CloseStream();
  {
    absl::MutexLock lock(&cancel_mu_);
    in_flight_ = nullptr;
  }
  session_ = nullptr;
  return s;
}

absl::StatusOr<CollectorClient*> Uplink::ClientFor(size_t i) {
  // The stream's deadline is call_timeout from its start: a stream past
  // half of it is not given another exchange.
  if (session_ != nullptr && session_index_ == i && session_->stream_open() &&
      absl::Now() - session_->stream_opened_at() < call_timeout_ / 2) {
    return session_.get();
  }
  CloseSession().IgnoreError();
  absl::StatusOr<std::shared_ptr<grpc::Channel>> channel = ChannelTo(i);
  if (!channel.ok()) return channel.status();
  auto client = std::make_unique<CollectorClient>(*channel, call_timeout_);
  {
    absl::MutexLock lock(&cancel_mu_);
    if (cancelled_) return absl::CancelledError("upload cancelled (shutdown)");
    in_flight_ = client.get();
  }
  session_ = std::move(client);
  session_index_ = i;
  absl::Status s = session_->OpenStream(credential_);
  if (!s.ok()) {
    back_off_hint_ = std::max(back_off_hint_, session_->back_off_hint());
    CloseSession().IgnoreError();
    return s;
  }
  return session_.get();
}

template <typename T>
absl::StatusOr<T> Uplink::ExchangeWith(size_t i, const Exchange<T>& exchange) {
  absl::StatusOr<CollectorClient*> client = ClientFor(i);
  if (!client.ok()) return client.status();
  absl::StatusOr<T> result = exchange(**client);
  back_off_hint_ = std::max(back_off_hint_, (*client)->back_off_hint());
  if (!result.ok()) {
    CloseSession().IgnoreError();  // The client dropped the stream.
    return result;
  }
  if (!in_attempt_) {
    absl::Status s = CloseSession();
    if (!s.ok()) return s;
  }
  return result;
}

std::vector<size_t> Uplink::Order() const {
  std::vector<size_t> order;
  // The attempt's open stream first: its collector is up.
  if (session_ != nullptr) order.push_back(session_index_);
  for (size_t i = 0; i < collectors_.size(); ++i) {
    if (session_ == nullptr || i != session_index_) order.push_back(i);
  }
  return order;
}

void Uplink::NoteWithoutCampaigns(size_t i) {
  no_campaigns_until_[i] = clock_->Now() + kNoCampaignsPause;
  log::Info("upload.collector_without_campaigns",
            {{"collector", collectors_[i]},
             {"retry_in", absl::FormatDuration(kNoCampaignsPause)}});
}

template <typename T>
absl::StatusOr<T> Uplink::WithFailover(bool campaign,
                                       const Exchange<T>& exchange,
                                       size_t* served_by) {
  if (collectors_.empty()) {
    return absl::FailedPreconditionError("no collector address configured");
  }
  absl::Status last = absl::UnimplementedError(
      "no collector takes campaign work (all predate campaigns)");
  back_off_hint_ = absl::ZeroDuration();
  for (size_t i : Order()) {
    if (campaign && clock_->Now() < no_campaigns_until_[i]) continue;
    absl::StatusOr<T> result = ExchangeWith<T>(i, exchange);
    if (result.ok()) {
      *served_by = i;
      return result;
    }
    if (campaign && IsWithoutCampaigns(result.status())) {
      NoteWithoutCampaigns(i);
      continue;
    }
    channels_[i] = nullptr;  // The next attempt starts with a new channel.
    log::Warn("upload.failed",
              {{"collector", collectors_[i]}, {"status", result.status()}});
    if (IsFinal(result.status())) return result.status();
    last = result.status();
  }
  return last;
}

absl::StatusOr<UploadResult> Uplink::Send(
    uint64_t first_seq, const std::vector<v6scope::v1::Run>& runs,
    uint64_t dropped_runs) {
  size_t i = 0;
  absl::StatusOr<UploadResult> result = WithFailover<UploadResult>(
      false,
      [&](CollectorClient& c) {
        return c.SendRuns(first_seq, runs, dropped_runs);
      },
      &i);
  if (result.ok()) {
    log::Info("upload.done",
              {{"collector", collectors_[i]},
               {"seq", absl::StrCat(first_seq, "..", result->acked_through)},
               {"stored", result->stored}});
  }
  return result;
}

absl::StatusOr<DomainUploadResult> Uplink::SendResults(
    uint64_t first_seq, const std::vector<v6scope::v1::DomainResult>& results,
    uint64_t dropped_results) {
  size_t i = 0;
  absl::StatusOr<DomainUploadResult> result = WithFailover<DomainUploadResult>(
      true,
      [&](CollectorClient& c) {
        return c.SendResults(first_seq, results, dropped_results);
      },
      &i);
  if (result.ok()) {
    log::Info("upload.results_done",
              {{"collector", collectors_[i]},
               {"seq", absl::StrCat(first_seq, "..", result->acked_through)},
               {"stored", result->stored},
               {"cancelled", result->cancelled.size()}});
  }
  return result;
}

absl::StatusOr<v6scope::v1::WorkOffer> Uplink::Poll(
    const v6scope::v1::WorkPoll& poll) {
  size_t i = 0;
  return WithFailover<v6scope::v1::WorkOffer>(
      true, [&](CollectorClient& c) { return c.Poll(poll); }, &i);
}

}  // namespace v6scope::probe::uplink
