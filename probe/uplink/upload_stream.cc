#include "probe/uplink/upload_stream.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "common/rpc/status.h"

namespace v6scope::probe::uplink {
namespace {

using v6scope::v1::UploadRequest;
using v6scope::v1::UploadResponse;

// A reply to some request (as opposed to a Schedule sent in between).
bool IsReply(const UploadResponse& resp) {
  return resp.has_ack() || resp.has_domain_ack() || resp.has_work_offer();
}

absl::Status CheckRange(absl::string_view what, uint64_t got_first,
                        uint64_t got_last, uint64_t first, uint64_t last) {
  if (got_first == first && got_last == last) return absl::OkStatus();
  return absl::InternalError(absl::StrCat("collector acknowledged ", what, " ",
                                          got_first, "..", got_last,
                                          ", expected ", first, "..", last));
}

}  // namespace

absl::StatusOr<std::unique_ptr<UploadStream>> UploadStream::Open(
    v6scope::v1::ProbeService::Stub* stub, grpc::ClientContext* ctx) {
  std::unique_ptr<UploadStream> s(new UploadStream(ctx, stub->Upload(ctx)));
  UploadResponse welcome;
  if (!s->stream_->Read(&welcome) || !welcome.has_welcome()) {
    return s->Finish("before its welcome");
  }
  s->welcome_ = welcome.welcome();
  return s;
}

absl::Status UploadStream::Finish(absl::string_view what) {
  over_ = true;
  absl::Status s = rpc::FromGrpc(stream_->Finish());
  if (!s.ok()) return s;
  return absl::UnavailableError(
      absl::StrCat("collector closed the upload stream ", what));
}

absl::Status UploadStream::BackedOff(uint32_t seconds) {
  back_off_hint_ = absl::Seconds(seconds);
  // The collector ends the stream right after; its status says why.
  UploadResponse rest;
  while (stream_->Read(&rest)) {
  }
  over_ = true;
  absl::Status why = rpc::FromGrpc(stream_->Finish());
  if (!why.ok()) return why;
  return absl::ResourceExhaustedError(
      absl::StrCat("collector asked to back off for ", seconds, " s"));
}

absl::Status UploadStream::Abandon(absl::Status why) {
  over_ = true;
  ctx_->TryCancel();
  return why;
}

absl::StatusOr<UploadResponse> UploadStream::Exchange(
    const UploadRequest& req, UploadResponse::MsgCase want) {
  if (over_) return absl::FailedPreconditionError("upload stream is over");
  if (!stream_->Write(req)) return Finish("while sending");
  UploadResponse resp;
  while (stream_->Read(&resp)) {
    if (resp.has_back_off()) return BackedOff(resp.back_off().seconds());
    if (!IsReply(resp)) continue;
    if (resp.msg_case() != want) {
      return Abandon(absl::InternalError(
          absl::StrCat("collector answered request ", req.msg_case(),
                       " with reply ", resp.msg_case())));
    }
    return resp;
  }
  return Finish("before answering");
}

absl::StatusOr<v6scope::v1::Ack> UploadStream::SendBatch(
    const v6scope::v1::Batch& batch) {
  UploadRequest req;
  *req.mutable_batch() = batch;
  absl::StatusOr<UploadResponse> resp = Exchange(req, UploadResponse::kAck);
  if (!resp.ok()) return resp.status();
  const uint64_t last = batch.first_seq() + batch.runs_size() - 1;
  absl::Status s = CheckRange("runs", resp->ack().first_seq(),
                              resp->ack().last_seq(), batch.first_seq(), last);
  if (!s.ok()) return Abandon(s);
  return resp->ack();
}

absl::StatusOr<v6scope::v1::DomainAck> UploadStream::SendDomainBatch(
    const v6scope::v1::DomainBatch& batch) {
  UploadRequest req;
  *req.mutable_domain_batch() = batch;
  absl::StatusOr<UploadResponse> resp =
      Exchange(req, UploadResponse::kDomainAck);
  if (!resp.ok()) return resp.status();
  const uint64_t last = batch.first_seq() + batch.results_size() - 1;
  absl::Status s =
      CheckRange("results", resp->domain_ack().first_seq(),
                 resp->domain_ack().last_seq(), batch.first_seq(), last);
  if (!s.ok()) return Abandon(s);
  return resp->domain_ack();
}

absl::StatusOr<v6scope::v1::WorkOffer> UploadStream::SendPoll(
    const v6scope::v1::WorkPoll& poll) {
  UploadRequest req;
  *req.mutable_work_poll() = poll;
  absl::StatusOr<UploadResponse> resp =
      Exchange(req, UploadResponse::kWorkOffer);
  if (!resp.ok()) return resp.status();
  return resp->work_offer();
}

absl::Status UploadStream::Close() {
  if (over_) return absl::OkStatus();
  over_ = true;
  stream_->WritesDone();
  return rpc::FromGrpc(stream_->Finish());
}

}  // namespace v6scope::probe::uplink
