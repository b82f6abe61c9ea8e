// Uplink: delivers runs to the first collector that takes them, in the
// configured order (failover). Blocking; owned by the probe's uplink
// thread, except Cancel(), which the daemon calls from its own thread to
// abandon an upload in flight at shutdown.
//
// Keeps one gRPC channel per collector while uploads to it succeed, so the
// daemon's uploads share one connection instead of setting up a channel
// (and, for the first, gRPC itself) each time. A channel is dropped after
// a failed upload: the next attempt starts afresh, as with a new channel
// each time (reconnecting at once instead of after gRPC's own reconnect
// back-off, and re-reading the CA and client certificate files). Between
// uploads far apart the owner calls CloseChannels(), so that no idle
// connection is held open for an hour (through NATs that forget it, and on
// a collector serving a fleet).
#ifndef V6SCOPE_PROBE_UPLINK_UPLINK_H_
#define V6SCOPE_PROBE_UPLINK_UPLINK_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/rpc/channel.h"
#include "grpcpp/channel.h"
#include "probe/uplink/collector_client.h"
#include "probe/uplink/run_sender.h"

namespace v6scope::probe::uplink {

class Uplink : public RunSender {
 public:
  // Each call to a collector gives up after `call_timeout`.
  Uplink(std::vector<std::string> collectors, rpc::ChannelOptions options,
         std::string credential,
         absl::Duration call_timeout = absl::Seconds(60));

  // runs[i] has sequence first_seq + i. UNAUTHENTICATED, PERMISSION_DENIED,
  // INVALID_ARGUMENT and FAILED_PRECONDITION are final (another collector
  // would say the same), and so is CANCELLED after Cancel(); other errors
  // move on to the next collector.
  absl::StatusOr<UploadResult> Send(uint64_t first_seq,
                                    const std::vector<v6scope::v1::Run>& runs,
                                    uint64_t dropped_runs) override;
  absl::StatusOr<UploadResult> Send(uint64_t first_seq,
                                    const std::vector<v6scope::v1::Run>& runs) {
    return Send(first_seq, runs, 0);
  }

  // Lets go of every channel (and so of its connection): for a caller that
  // knows no upload follows soon. The next Send starts a new channel.
  void CloseChannels() override;

  // The largest back-off a collector asked for during the last Send.
  absl::Duration back_off_hint() const override { return back_off_hint_; }

  void Cancel() override;

 private:
  // Sends to collectors_[i] on a client that Cancel() can reach.
  absl::StatusOr<UploadResult> SendTo(size_t i, uint64_t first_seq,
                                      const std::vector<v6scope::v1::Run>& runs,
                                      uint64_t dropped_runs);

  // The channel to collectors_[i], created on first use.
  absl::StatusOr<std::shared_ptr<grpc::Channel>> ChannelTo(size_t i);

  std::vector<std::string> collectors_;
  // channels_[i]: the channel to collectors_[i], or null.
  std::vector<std::shared_ptr<grpc::Channel>> channels_;
  rpc::ChannelOptions options_;
  std::string credential_;
  absl::Duration call_timeout_;
  absl::Duration back_off_hint_ = absl::ZeroDuration();
  absl::Mutex cancel_mu_;
  CollectorClient* in_flight_ ABSL_GUARDED_BY(cancel_mu_) = nullptr;
  bool cancelled_ ABSL_GUARDED_BY(cancel_mu_) = false;
};

}  // namespace v6scope::probe::uplink

#endif  // V6SCOPE_PROBE_UPLINK_UPLINK_H_
