// CollectorClient: the probe's calls to a collector (blocking; used from
// the probe's uplink thread, never from the measuring thread). Cancel() may
// come from another thread, to abandon a call at shutdown.
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
#include "proto/probe_service.grpc.pb.h"

namespace v6scope::probe::uplink {

class CollectorClient {
 public:
  // Largest batch sent (the collector accepts up to 500).
  static constexpr size_t kMaxBatchRuns = 200;

  CollectorClient(std::shared_ptr<grpc::Channel> channel,
                  absl::Duration call_timeout);

  absl::StatusOr<v6scope::v1::EnrolResponse> Enrol(
      const std::string& token, const std::string& probe_version);

  // Sends runs[i] with sequence number first_seq + i on one Upload stream,
  // in batches, and returns once every batch is acknowledged (i.e. durably
  // stored). On error nothing after acked_through may be assumed stored.
  absl::StatusOr<UploadResult> Upload(const std::string& credential,
                                      uint64_t first_seq,
                                      const std::vector<v6scope::v1::Run>& runs,
                                      uint64_t dropped_runs = 0);

  // The wait the collector asked for in the last Upload (BackOff
  // message), zero if none.
  absl::Duration back_off_hint() const { return back_off_hint_; }

  // Thread-safe: cancels the call in flight, if any, and makes every later
  // call fail with CANCELLED.
  void Cancel();

 private:
  // Registers `ctx` as the call in flight; CANCELLED if Cancel() came first.
  absl::Status Begin(grpc::ClientContext* ctx);
  void End();
  absl::StatusOr<UploadResult> UploadOn(
      grpc::ClientContext& ctx, uint64_t first_seq,
      const std::vector<v6scope::v1::Run>& runs, uint64_t dropped_runs);

  std::unique_ptr<v6scope::v1::ProbeService::Stub> stub_;
  absl::Mutex mu_;
  grpc::ClientContext* in_flight_ ABSL_GUARDED_BY(mu_) = nullptr;
  bool cancelled_ ABSL_GUARDED_BY(mu_) = false;
  absl::Duration call_timeout_;
  absl::Duration back_off_hint_ = absl::ZeroDuration();
};

}  // namespace v6scope::probe::uplink

#endif  // V6SCOPE_PROBE_UPLINK_COLLECTOR_CLIENT_H_
