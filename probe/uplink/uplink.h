// Uplink: delivers runs to the first collector that takes them, in the
// configured order (failover). Blocking; owned by one thread.
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
#include "common/rpc/channel.h"
#include "grpcpp/channel.h"
#include "probe/uplink/collector_client.h"

namespace v6scope::probe::uplink {

class Uplink {
 public:
  Uplink(std::vector<std::string> collectors, rpc::ChannelOptions options,
         std::string credential);

  // runs[i] has sequence first_seq + i. UNAUTHENTICATED, INVALID_ARGUMENT
  // and FAILED_PRECONDITION are final (another collector would say the
  // same); other errors move on to the next collector.
  absl::StatusOr<UploadResult> Send(uint64_t first_seq,
                                    const std::vector<v6scope::v1::Run>& runs,
                                    uint64_t dropped_runs = 0);

  // Lets go of every channel (and so of its connection): for a caller that
  // knows no upload follows soon. The next Send starts a new channel.
  void CloseChannels();

  // The largest back-off a collector asked for during the last Send.
  absl::Duration back_off_hint() const { return back_off_hint_; }

 private:
  // The channel to collectors_[i], created on first use.
  absl::StatusOr<std::shared_ptr<grpc::Channel>> ChannelTo(size_t i);

  std::vector<std::string> collectors_;
  // channels_[i]: the channel to collectors_[i], or null.
  std::vector<std::shared_ptr<grpc::Channel>> channels_;
  rpc::ChannelOptions options_;
  std::string credential_;
  absl::Duration back_off_hint_ = absl::ZeroDuration();
};

}  // namespace v6scope::probe::uplink

#endif  // V6SCOPE_PROBE_UPLINK_UPLINK_H_
