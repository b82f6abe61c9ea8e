// WorkBook: the probe's campaign work as the uplink thread sees it (issue
// 16, docs/campaigns.md). The uplink asks it for the WorkPoll to send,
// hands it the collector's WorkOffer and DomainAck cancellations, and asks
// it when to poll next; the campaign runner (measuring thread) takes items
// from the same book. Implementations are thread-safe and keep accepted
// work crash-safe in the probe's state directory: what ApplyOffer accepted
// is on disk before it returns.
#ifndef V6SCOPE_PROBE_CAMPAIGN_WORK_BOOK_H_
#define V6SCOPE_PROBE_CAMPAIGN_WORK_BOOK_H_

#include <string>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "proto/probe_service.pb.h"

namespace v6scope::probe::campaign {

class WorkBook {
 public:
  virtual ~WorkBook() = default;

  // The probe's whole campaign state: held assignments with progress,
  // refusals not yet reported, free slots and the host's caps.
  virtual v6scope::v1::WorkPoll BuildPoll() = 0;

  // The collector answered `poll` (the one BuildPoll returned) with
  // `offer`: refusals in that poll count as reported; each offered
  // assignment is checked and stored, or refused with a reason (sent in
  // the next poll); cancelled ones stop. An error only for I/O on the
  // state directory (then nothing of the offer was accepted).
  virtual absl::Status ApplyOffer(const v6scope::v1::WorkPoll& poll,
                                  const v6scope::v1::WorkOffer& offer) = 0;

  // Stops these assignments now (DomainAck.cancelled); unknown ids are
  // ignored.
  virtual absl::Status Cancel(absl::Span<const std::string> assignment_ids) = 0;

  // When the uplink should poll next (InfinitePast: now; InfiniteFuture:
  // never, e.g. the host opted out and the collector knows it).
  virtual absl::Time NextPollAt() const = 0;
};

}  // namespace v6scope::probe::campaign

#endif  // V6SCOPE_PROBE_CAMPAIGN_WORK_BOOK_H_
