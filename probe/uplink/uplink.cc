#include "probe/uplink/uplink.h"

#include "absl/strings/str_cat.h"
#include "common/log/log.h"

namespace v6scope::probe::uplink {
namespace {

bool IsFinal(const absl::Status& s) {
  return absl::IsUnauthenticated(s) || absl::IsInvalidArgument(s) ||
         absl::IsFailedPrecondition(s) || absl::IsPermissionDenied(s) ||
         absl::IsCancelled(s);
}

}  // namespace

Uplink::Uplink(std::vector<std::string> collectors, rpc::ChannelOptions options,
               std::string credential, absl::Duration call_timeout)
    : collectors_(std::move(collectors)),
      channels_(collectors_.size()),
      options_(std::move(options)),
      credential_(std::move(credential)),
      call_timeout_(call_timeout) {}

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
  for (std::shared_ptr<grpc::Channel>& channel : channels_) channel = nullptr;
}

void Uplink::Cancel() {
  absl::MutexLock lock(&cancel_mu_);
  cancelled_ = true;
  if (in_flight_ != nullptr) in_flight_->Cancel();
}

absl::StatusOr<UploadResult> Uplink::SendTo(
    size_t i, uint64_t first_seq, const std::vector<v6scope::v1::Run>& runs,
    uint64_t dropped_runs) {
  absl::StatusOr<std::shared_ptr<grpc::Channel>> channel = ChannelTo(i);
  if (!channel.ok()) return channel.status();
  CollectorClient client(*std::move(channel), call_timeout_);
  {
    absl::MutexLock lock(&cancel_mu_);
    if (cancelled_) return absl::CancelledError("upload cancelled (shutdown)");
    in_flight_ = &client;
  }
  absl::StatusOr<UploadResult> result =
      client.Upload(credential_, first_seq, runs, dropped_runs);
  {
    absl::MutexLock lock(&cancel_mu_);
    in_flight_ = nullptr;
  }
  back_off_hint_ = std::max(back_off_hint_, client.back_off_hint());
  return result;
}

absl::StatusOr<UploadResult> Uplink::Send(
    uint64_t first_seq, const std::vector<v6scope::v1::Run>& runs,
    uint64_t dropped_runs) {
  if (collectors_.empty()) {
    return absl::FailedPreconditionError("no collector address configured");
  }
  absl::Status last = absl::UnavailableError("no collector tried");
  back_off_hint_ = absl::ZeroDuration();
  for (size_t i = 0; i < collectors_.size(); ++i) {
    const std::string& target = collectors_[i];
    absl::StatusOr<UploadResult> result =
        SendTo(i, first_seq, runs, dropped_runs);
    if (result.ok()) {
      log::Info("upload.done",
                {{"collector", target},
                 {"seq", absl::StrCat(first_seq, "..", result->acked_through)},
                 {"stored", result->stored}});
      return result;
    }
    channels_[i] = nullptr;  // The next attempt starts with a new channel.
    log::Warn("upload.failed",
              {{"collector", target}, {"status", result.status()}});
    if (IsFinal(result.status())) return result.status();
    last = result.status();
  }
  return last;
}

}  // namespace v6scope::probe::uplink
