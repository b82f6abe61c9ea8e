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
//
// Within an attempt (BeginAttempt .. EndAttempt) the runs, readiness
// results and work poll share one Upload stream: the stream of the
// collector that took the first of them stays open until EndAttempt, an
// error on it, or half the call timeout (its deadline). Outside an attempt
// each call has a stream of its own, as before campaigns.
//
// A collector from before campaigns ends the stream on a DomainBatch or
// WorkPoll with INVALID_ARGUMENT "UploadRequest carries no batch": the
// uplink logs that once, sends it no campaign exchange for an hour
// (`no_campaigns_pause`), and tries the next collector; when none takes
// them, SendResults and Poll return UNIMPLEMENTED (IsNoCampaigns).
#ifndef V6SCOPE_PROBE_UPLINK_UPLINK_H_
#define V6SCOPE_PROBE_UPLINK_UPLINK_H_

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/rpc/channel.h"
#include "common/time/clock.h"
#include "grpcpp/channel.h"
#include "probe/uplink/collector_client.h"
#include "probe/uplink/run_sender.h"

namespace v6scope::probe::uplink {

class Uplink : public RunSender {
 public:
  // Each call to a collector gives up after `call_timeout`.
  // `clock` (nullptr: the real one) times the hour without campaigns.
  Uplink(std::vector<std::string> collectors, rpc::ChannelOptions options,
         std::string credential,
         absl::Duration call_timeout = absl::Seconds(60),
         const time::Clock* clock = nullptr);
  ~Uplink() override;

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

  // Readiness results and work polls, with the same failover; a collector
  // without campaigns is skipped (see above).
  absl::StatusOr<DomainUploadResult> SendResults(
      uint64_t first_seq, const std::vector<v6scope::v1::DomainResult>& results,
      uint64_t dropped_results) override;
  absl::StatusOr<v6scope::v1::WorkOffer> Poll(
      const v6scope::v1::WorkPoll& poll) override;

  void BeginAttempt() override { in_attempt_ = true; }
  // Closes the attempt's stream.
  void EndAttempt() override;

  // Lets go of every channel (and so of its connection): for a caller that
  // knows no upload follows soon. The next Send starts a new channel.
  void CloseChannels() override;

  // The largest back-off a collector asked for during the last call.
  absl::Duration back_off_hint() const override { return back_off_hint_; }

  void Cancel() override;

  // How long a collector without campaigns is left alone.
  static constexpr absl::Duration kNoCampaignsPause = absl::Hours(1);

 private:
  // What one exchange does on a collector's open stream.
  template <typename T>
  using Exchange = std::function<absl::StatusOr<T>(CollectorClient&)>;

  // Runs `exchange` on the first collector that takes it, in order
  // (failover); `campaign` exchanges skip collectors without campaigns.
  template <typename T>
  absl::StatusOr<T> WithFailover(bool campaign, const Exchange<T>& exchange,
                                 size_t* served_by);
  // `exchange` on collectors_[i]'s stream (the attempt's, or a new one),
  // on a client that Cancel() can reach.
  template <typename T>
  absl::StatusOr<T> ExchangeWith(size_t i, const Exchange<T>& exchange);
  // The client with an open stream to collectors_[i]: the attempt's, if it
  // is to i and young enough, else a new one (closing the old).
  absl::StatusOr<CollectorClient*> ClientFor(size_t i);
  // Closes the open stream (if any) and forgets its client; returns the
  // stream's final status.
  absl::Status CloseSession();
  // Collector indexes in the order to try: the open stream's first, then
  // the configured order.
  std::vector<size_t> Order() const;
  // Marks collectors_[i] as without campaigns (logged once a pause).
  void NoteWithoutCampaigns(size_t i);

  // The channel to collectors_[i], created on first use.
  absl::StatusOr<std::shared_ptr<grpc::Channel>> ChannelTo(size_t i);

  std::vector<std::string> collectors_;
  // channels_[i]: the channel to collectors_[i], or null.
  std::vector<std::shared_ptr<grpc::Channel>> channels_;
  // no_campaigns_until_[i]: no campaign exchange with collectors_[i]
  // before then.
  std::vector<absl::Time> no_campaigns_until_;
  const time::Clock* const clock_;
  bool in_attempt_ = false;
  // The open stream's client and its collector's index.
  std::unique_ptr<CollectorClient> session_;
  size_t session_index_ = 0;
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
