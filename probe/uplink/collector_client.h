// CollectorClient: the probe's calls to a collector (blocking; used from
// the probe's uplink thread, never from the measuring thread). Cancel() may
// come from another thread, to abandon a call at shutdown.
//
// Uploads go over one Upload stream that the client keeps open between
// OpenStream() and CloseStream() (or the first error), so that an
// attempt's runs, readiness results and work poll share it; Upload() is
// the one-shot form (open, send the runs, close).
#ifndef V6SCOPE_PROBE_UPLINK_COLLECTOR_CLIENT_H_
#define V6SCOPE_PROBE_UPLINK_COLLECTOR_CLIENT_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "grpcpp/channel.h"
#include "grpcpp/client_context.h"
#include "probe/uplink/run_sender.h"
#include "probe/uplink/upload_stream.h"
#include "proto/probe_service.grpc.pb.h"

namespace v6scope::probe::uplink {

class CollectorClient {
 public:
  // Largest batch sent (the collector accepts up to 500), for runs and
  // for readiness results alike.
  static constexpr size_t kMaxBatchRuns = 200;

  CollectorClient(std::shared_ptr<grpc::Channel> channel,
                  absl::Duration call_timeout);
  ~CollectorClient();

  absl::StatusOr<v6scope::v1::EnrolResponse> Enrol(
      const std::string& token, const std::string& probe_version);

  // Sends runs[i] with sequence number first_seq + i on one Upload stream,
  // in batches, and returns once every batch is acknowledged (i.e. durably
  // stored). On error nothing after acked_through may be assumed stored.
  absl::StatusOr<UploadResult> Upload(const std::string& credential,
                                      uint64_t first_seq,
                                      const std::vector<v6scope::v1::Run>& runs,
                                      uint64_t dropped_runs = 0);

  // Opens the Upload stream the calls below share (its deadline is
  // call_timeout from now). Any error on it closes it.
  absl::Status OpenStream(const std::string& credential);
  bool stream_open() const { return stream_ != nullptr; }
  absl::Time stream_opened_at() const { return opened_at_; }
  // Runs, as Upload does, on the open stream.
  absl::StatusOr<UploadResult> SendRuns(
      uint64_t first_seq, const std::vector<v6scope::v1::Run>& runs,
      uint64_t dropped_runs);
  // Readiness results in batches (DomainBatch -> DomainAck).
  absl::StatusOr<DomainUploadResult> SendResults(
      uint64_t first_seq, const std::vector<v6scope::v1::DomainResult>& results,
      uint64_t dropped_results);
  absl::StatusOr<v6scope::v1::WorkOffer> Poll(
      const v6scope::v1::WorkPoll& poll);
  // Half-closes the stream and returns its final status (OK if none open).
  absl::Status CloseStream();

  // The wait the collector asked for on the stream (BackOff message),
  // zero if none.
  absl::Duration back_off_hint() const { return back_off_hint_; }

  // Thread-safe: cancels the call in flight, if any, and makes every later
  // call fail with CANCELLED.
  void Cancel();

 private:
  // Registers `ctx` as the call in flight; CANCELLED if Cancel() came first.
  absl::Status Begin(grpc::ClientContext* ctx);
  void End();
  // Closes the stream after an error on it and returns the error.
  absl::Status Drop(absl::Status why);

  std::unique_ptr<v6scope::v1::ProbeService::Stub> stub_;
  absl::Mutex mu_;
  grpc::ClientContext* in_flight_ ABSL_GUARDED_BY(mu_) = nullptr;
  bool cancelled_ ABSL_GUARDED_BY(mu_) = false;
  absl::Duration call_timeout_;
  absl::Duration back_off_hint_ = absl::ZeroDuration();
  // The open stream and its context (the stream refers to it).
  std::unique_ptr<grpc::ClientContext> ctx_;
  std::unique_ptr<UploadStream> stream_;
  absl::Time opened_at_ = absl::InfinitePast();
};

}  // namespace v6scope::probe::uplink

#endif  // V6SCOPE_PROBE_UPLINK_COLLECTOR_CLIENT_H_
