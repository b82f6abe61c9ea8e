// UploadStream: one open ProbeService.Upload stream, after its Welcome.
// Each request gets exactly one reply, in order (proto/probe_service.
// proto): Batch -> Ack, DomainBatch -> DomainAck, WorkPoll -> WorkOffer;
// a BackOff instead ends the stream. Other messages the collector sends
// between (a Schedule) are skipped. After any error the stream is over
// (finished or cancelled) and every later call fails.
#ifndef V6SCOPE_PROBE_UPLINK_UPLOAD_STREAM_H_
#define V6SCOPE_PROBE_UPLINK_UPLOAD_STREAM_H_

#include <memory>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "grpcpp/client_context.h"
#include "proto/probe_service.grpc.pb.h"

namespace v6scope::probe::uplink {

class UploadStream {
 public:
  // Starts the call on `ctx` (which must outlive the stream) and reads the
  // collector's Welcome.
  static absl::StatusOr<std::unique_ptr<UploadStream>> Open(
      v6scope::v1::ProbeService::Stub* stub, grpc::ClientContext* ctx);

  const v6scope::v1::Welcome& welcome() const { return welcome_; }

  // One request and its reply, checked against the request: an Ack or
  // DomainAck must cover exactly the batch's sequence numbers.
  absl::StatusOr<v6scope::v1::Ack> SendBatch(const v6scope::v1::Batch& batch);
  absl::StatusOr<v6scope::v1::DomainAck> SendDomainBatch(
      const v6scope::v1::DomainBatch& batch);
  absl::StatusOr<v6scope::v1::WorkOffer> SendPoll(
      const v6scope::v1::WorkPoll& poll);

  // Half-closes and returns the call's final status.
  absl::Status Close();

  // The wait the collector asked for (BackOff), zero if none.
  absl::Duration back_off_hint() const { return back_off_hint_; }

 private:
  using Stream = grpc::ClientReaderWriter<v6scope::v1::UploadRequest,
                                          v6scope::v1::UploadResponse>;
  UploadStream(grpc::ClientContext* ctx, std::unique_ptr<Stream> stream)
      : ctx_(ctx), stream_(std::move(stream)) {}

  // Writes `req` and reads up to its reply, which must be of case `want`.
  absl::StatusOr<v6scope::v1::UploadResponse> Exchange(
      const v6scope::v1::UploadRequest& req,
      v6scope::v1::UploadResponse::MsgCase want);
  // The stream's final status, preferring the collector's reason.
  absl::Status Finish(absl::string_view what);
  absl::Status BackedOff(uint32_t seconds);
  // Ends a stream the probe gives up on (a reply that makes no sense).
  absl::Status Abandon(absl::Status why);

  grpc::ClientContext* const ctx_;
  std::unique_ptr<Stream> stream_;
  v6scope::v1::Welcome welcome_;
  bool over_ = false;
  absl::Duration back_off_hint_ = absl::ZeroDuration();
};

}  // namespace v6scope::probe::uplink

#endif  // V6SCOPE_PROBE_UPLINK_UPLOAD_STREAM_H_
