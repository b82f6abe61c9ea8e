// UploadStreams: the Upload streams open at once, so that neither one probe
// (a bug, a replay, a stolen credential) nor everybody together can hold an
// unbounded number of streams, and so that a stream that sends nothing is
// ended instead of being held for ever.
//
// A stream takes a slot once authenticated (Acquire) and gives it back
// when it ends (Release, idempotent: called when the stream finishes and
// again from OnDone, whichever path ends it). EndIdle ends the streams
// that have been waiting for a batch longer than the idle timeout; the
// collector calls it periodically, tests call it after moving a fake clock.
// Thread-safe.
#ifndef V6SCOPE_COLLECTOR_SERVICE_UPLOAD_STREAMS_H_
#define V6SCOPE_COLLECTOR_SERVICE_UPLOAD_STREAMS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace v6scope::collector::service {

struct UploadStreamLimits {
  static constexpr uint32_t kDefaultPerProbe = 2;
  static constexpr uint32_t kDefaultTotal = 4096;
  static constexpr absl::Duration kDefaultIdleTimeout = absl::Minutes(5);
  static constexpr uint32_t kDefaultRetrySeconds = 30;

  // Streams of one probe at once: a probe uploads on one stream; a second
  // one covers a reconnect while the old stream is still being torn down.
  uint32_t per_probe = kDefaultPerProbe;
  // Streams of all probes at once.
  uint32_t total = kDefaultTotal;
  // A stream waiting this long for its next batch is ended.
  absl::Duration idle_timeout = kDefaultIdleTimeout;
  // The retry hint given with a refusal.
  uint32_t retry_seconds = kDefaultRetrySeconds;
};

// What UploadStreams needs of a stream to end it when idle.
class TrackedStream {
 public:
  virtual ~TrackedStream() = default;
  // Under UploadStreams' lock: if the stream has been idle since `cutoff` or
  // before, commits to ending it (nothing else may end it now) and
  // returns true. Must not call back into UploadStreams.
  virtual bool ClaimIfIdleSince(absl::Time cutoff) = 0;
  // Ends a claimed stream; called without UploadStreams' lock.
  virtual void EndClaimed() = 0;
};

class UploadStreams {
 public:
  explicit UploadStreams(UploadStreamLimits limits = UploadStreamLimits());

  // Gives `stream` of `probe_id` a slot, or RESOURCE_EXHAUSTED saying which
  // limit holds and when to retry (nothing taken).
  absl::Status Acquire(const std::string& probe_id, TrackedStream* stream);
  // Gives the slot of `stream` back; nothing if it has none (any more).
  void Release(TrackedStream* stream);
  // Ends the streams idle for `idle_timeout` or longer; returns how
  // many.
  int EndIdle(absl::Time now);

  size_t active() const;
  size_t active_for(const std::string& probe_id) const;
  const UploadStreamLimits& limits() const { return limits_; }

 private:
  const UploadStreamLimits limits_;
  mutable absl::Mutex mu_;
  absl::flat_hash_map<TrackedStream*, std::string> probe_of_
      ABSL_GUARDED_BY(mu_);
  absl::flat_hash_map<std::string, uint32_t> per_probe_ ABSL_GUARDED_BY(mu_);
};

}  // namespace v6scope::collector::service

#endif  // V6SCOPE_COLLECTOR_SERVICE_UPLOAD_STREAMS_H_
