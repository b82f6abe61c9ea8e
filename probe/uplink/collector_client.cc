#include "probe/uplink/collector_client.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "common/rpc/status.h"
#include "grpcpp/client_context.h"
#include "probe/uplink/refusal.h"

namespace v6scope::probe::uplink {
namespace {

using v6scope::v1::UploadRequest;
using v6scope::v1::UploadResponse;

using Stream =
    grpc::ClientReaderWriter<v6scope::v1::UploadRequest, UploadResponse>;

// The stream's final status, preferring the server's reason.
absl::Status StreamError(Stream& stream, absl::string_view what) {
  absl::Status s = rpc::FromGrpc(stream.Finish());
  if (!s.ok()) return s;
  return absl::UnavailableError(
      absl::StrCat("collector closed the upload stream ", what));
}

absl::Status SendBatch(Stream& stream, uint64_t first_seq,
                       std::vector<v6scope::v1::Run>::const_iterator begin,
                       std::vector<v6scope::v1::Run>::const_iterator end,
                       uint64_t dropped_runs, UploadResult& result,
                       absl::Duration& back_off_hint) {
  UploadRequest req;
  v6scope::v1::Batch* batch = req.mutable_batch();
  batch->set_first_seq(first_seq);
  batch->set_dropped_runs(dropped_runs);
  for (auto it = begin; it != end; ++it) *batch->add_runs() = *it;
  const uint64_t last_seq = first_seq + (end - begin) - 1;
  if (!stream.Write(req)) return StreamError(stream, "while sending");
  UploadResponse resp;
  // Acks come in order; other messages (schedule) may come between.
  while (stream.Read(&resp)) {
    if (resp.has_back_off()) {
      back_off_hint = absl::Seconds(resp.back_off().seconds());
      // The collector ends the stream right after; its status says why.
      while (stream.Read(&resp)) {
      }
      absl::Status why = rpc::FromGrpc(stream.Finish());
      if (!why.ok()) return why;
      return absl::ResourceExhaustedError(absl::StrCat(
          "collector asked to back off for ", resp.back_off().seconds(), " s"));
    }
    if (!resp.has_ack()) continue;
    if (resp.ack().first_seq() != first_seq ||
        resp.ack().last_seq() != last_seq) {
      return absl::InternalError(absl::StrCat(
          "collector acknowledged ", resp.ack().first_seq(), "..",
          resp.ack().last_seq(), ", expected ", first_seq, "..", last_seq));
    }
    result.acked_through = last_seq;
    result.stored += resp.ack().stored();
    return absl::OkStatus();
  }
  return StreamError(stream, "before acknowledging");
}

}  // namespace

CollectorClient::CollectorClient(std::shared_ptr<grpc::Channel> channel,
                                 absl::Duration call_timeout)
    : stub_(v6scope::v1::ProbeService::NewStub(channel)),
      call_timeout_(call_timeout) {}

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
  back_off_hint_ = absl::ZeroDuration();
  grpc::ClientContext ctx;
  ctx.set_deadline(absl::ToChronoTime(absl::Now() + call_timeout_));
  ctx.AddMetadata("authorization", absl::StrCat("Bearer ", credential));
  absl::Status begun = Begin(&ctx);
  if (!begun.ok()) return begun;
  absl::StatusOr<UploadResult> result =
      UploadOn(ctx, first_seq, runs, dropped_runs);
  End();
  return result;
}

absl::StatusOr<UploadResult> CollectorClient::UploadOn(
    grpc::ClientContext& ctx, uint64_t first_seq,
    const std::vector<v6scope::v1::Run>& runs, uint64_t dropped_runs) {
  std::unique_ptr<Stream> stream = stub_->Upload(&ctx);
  UploadResult result;
  UploadResponse welcome;
  if (!stream->Read(&welcome) || !welcome.has_welcome()) {
    return StreamError(*stream, "before its welcome");
  }
  result.last_stored_seq_before = welcome.welcome().last_stored_seq();
  for (size_t i = 0; i < runs.size(); i += kMaxBatchRuns) {
    const size_t n = std::min(kMaxBatchRuns, runs.size() - i);
    absl::Status s = SendBatch(*stream, first_seq + i, runs.begin() + i,
                               runs.begin() + i + n, i == 0 ? dropped_runs : 0,
                               result, back_off_hint_);
    if (!s.ok()) {
      ctx.TryCancel();
      // The collector names runs[j] of this batch; the caller gave runs[i+j].
      return ShiftRefusedRun(s, i);
    }
  }
  stream->WritesDone();
  absl::Status s = rpc::FromGrpc(stream->Finish());
  if (!s.ok()) return s;
  return result;
}

}  // namespace v6scope::probe::uplink
