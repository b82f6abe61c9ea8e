#include "probe/uplink/collector_client.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/rpc/status.h"
#include "grpcpp/client_context.h"
#include "probe/uplink/refusal.h"

namespace v6scope::probe::uplink {

CollectorClient::CollectorClient(std::shared_ptr<grpc::Channel> channel,
                                 absl::Duration call_timeout)
    : stub_(v6scope::v1::ProbeService::NewStub(channel)),
      call_timeout_(call_timeout) {}

CollectorClient::~CollectorClient() {
  if (stream_ != nullptr)
    Drop(absl::CancelledError("client gone")).IgnoreError();
}

void CollectorClient::Cancel() {
  absl::MutexLock lock(&mu_);
  cancelled_ = true;
  if (in_flight_ != nullptr) in_flight_->TryCancel();
}

absl::Status CollectorClient::Begin(grpc::ClientContext* ctx) {
  absl::MutexLock lock(&mu_);
  if (cancelled_) return absl::CancelledError("upload cancelled (shutdown)");
  in_flight_ = ctx;
  return absl::OkStatus();
}

void CollectorClient::End() {
  absl::MutexLock lock(&mu_);
  in_flight_ = nullptr;
}

absl::StatusOr<v6scope::v1::EnrolResponse> CollectorClient::Enrol(
    const std::string& token, const std::string& probe_version) {
  grpc::ClientContext ctx;
  ctx.set_deadline(absl::ToChronoTime(absl::Now() + call_timeout_));
  v6scope::v1::EnrolRequest req;
  req.set_token(token);
  req.set_probe_version(probe_version);
  v6scope::v1::EnrolResponse resp;
  absl::Status s = Begin(&ctx);
  if (!s.ok()) return s;
  s = rpc::FromGrpc(stub_->Enrol(&ctx, req, &resp));
  End();
  if (!s.ok()) return s;
  return resp;
}

absl::StatusOr<UploadResult> CollectorClient::Upload(
    const std::string& credential, uint64_t first_seq,
    const std::vector<v6scope::v1::Run>& runs, uint64_t dropped_runs) {
  absl::Status s = OpenStream(credential);
  if (!s.ok()) return s;
  absl::StatusOr<UploadResult> result = SendRuns(first_seq, runs, dropped_runs);
  if (!result.ok()) return result;
  s = CloseStream();
  if (!s.ok()) return s;
  return result;
}

absl::Status CollectorClient::OpenStream(const std::string& credential) {
  if (stream_ != nullptr) CloseStream().IgnoreError();
  back_off_hint_ = absl::ZeroDuration();
  ctx_ = std::make_unique<grpc::ClientContext>();
  ctx_->set_deadline(absl::ToChronoTime(absl::Now() + call_timeout_));
  ctx_->AddMetadata("authorization", absl::StrCat("Bearer ", credential));
  absl::Status s = Begin(ctx_.get());
  if (!s.ok()) {
    ctx_ = nullptr;
    return s;
  }
  absl::StatusOr<std::unique_ptr<UploadStream>> stream =
      UploadStream::Open(stub_.get(), ctx_.get());
  if (!stream.ok()) {
    End();
    ctx_ = nullptr;
    return stream.status();
  }
  stream_ = *std::move(stream);
  opened_at_ = absl::Now();
  return absl::OkStatus();
}

absl::Status CollectorClient::Drop(absl::Status why) {
  back_off_hint_ = std::max(back_off_hint_, stream_->back_off_hint());
  ctx_->TryCancel();
  stream_ = nullptr;
  End();
  ctx_ = nullptr;
  return why;
}

absl::Status CollectorClient::CloseStream() {
  if (stream_ == nullptr) return absl::OkStatus();
  absl::Status s = stream_->Close();
  stream_ = nullptr;
  End();
  ctx_ = nullptr;
  return s;
}

absl::StatusOr<UploadResult> CollectorClient::SendRuns(
    uint64_t first_seq, const std::vector<v6scope::v1::Run>& runs,
    uint64_t dropped_runs) {
  if (stream_ == nullptr) return absl::FailedPreconditionError("no stream");
  UploadResult result;
  result.last_stored_seq_before = stream_->welcome().last_stored_seq();
  for (size_t i = 0; i < runs.size(); i += kMaxBatchRuns) {
    const size_t n = std::min(kMaxBatchRuns, runs.size() - i);
    v6scope::v1::Batch batch;
    batch.set_first_seq(first_seq + i);
    // Reported once, with the first batch.
    batch.set_dropped_runs(i == 0 ? dropped_runs : 0);
    for (size_t k = i; k < i + n; ++k) *batch.add_runs() = runs[k];
    absl::StatusOr<v6scope::v1::Ack> ack = stream_->SendBatch(batch);
    // The collector names runs[j] of this batch; the caller gave runs[i+j].
    if (!ack.ok()) return Drop(ShiftRefusedRun(ack.status(), i));
    result.acked_through = first_seq + i + n - 1;
    result.stored += ack->stored();
  }
  return result;
}

absl::StatusOr<DomainUploadResult> CollectorClient::SendResults(
    uint64_t first_seq, const std::vector<v6scope::v1::DomainResult>& results,
    uint64_t dropped_results) {
  if (stream_ == nullptr) return absl::FailedPreconditionError("no stream");
  DomainUploadResult result;
  result.last_stored_seq_before = stream_->welcome().last_stored_domain_seq();
  for (size_t i = 0; i < results.size(); i += kMaxBatchRuns) {
    const size_t n = std::min(kMaxBatchRuns, results.size() - i);
    v6scope::v1::DomainBatch batch;
    batch.set_first_seq(first_seq + i);
    batch.set_dropped_results(i == 0 ? dropped_results : 0);
    for (size_t k = i; k < i + n; ++k) *batch.add_results() = results[k];
    absl::StatusOr<v6scope::v1::DomainAck> ack =
        stream_->SendDomainBatch(batch);
    if (!ack.ok()) return Drop(ShiftRefusedResult(ack.status(), i));
    result.acked_through = first_seq + i + n - 1;
    result.stored += ack->stored();
    for (const std::string& id : ack->cancelled()) {
      result.cancelled.push_back(id);
    }
  }
  return result;
}

absl::StatusOr<v6scope::v1::WorkOffer> CollectorClient::Poll(
    const v6scope::v1::WorkPoll& poll) {
  if (stream_ == nullptr) return absl::FailedPreconditionError("no stream");
  absl::StatusOr<v6scope::v1::WorkOffer> offer = stream_->SendPoll(poll);
  if (!offer.ok()) return Drop(offer.status());
  return offer;
}

}  // namespace v6scope::probe::uplink
