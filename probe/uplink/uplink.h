// Uplink: delivers runs to the first collector that takes them, in the
// configured order (failover). Blocking; owned by one thread.
#ifndef V6SCOPE_PROBE_UPLINK_UPLINK_H_
#define V6SCOPE_PROBE_UPLINK_UPLINK_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/rpc/channel.h"
#include "probe/uplink/collector_client.h"

namespace v6scope::probe {

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

  // The largest back-off a collector asked for during the last Send.
  absl::Duration back_off_hint() const { return back_off_hint_; }

 private:
  std::vector<std::string> collectors_;
  rpc::ChannelOptions options_;
  std::string credential_;
  absl::Duration back_off_hint_ = absl::ZeroDuration();
};

}  // namespace v6scope::probe

#endif  // V6SCOPE_PROBE_UPLINK_UPLINK_H_
