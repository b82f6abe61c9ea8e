// FileWorkBook: the probe's campaign work, kept in `<state_dir>/campaigns/`
// (docs/campaigns.md). The uplink thread sees it as a WorkBook (polls,
// offers, cancellations); the campaign runner, on the measuring thread,
// takes items from it and marks them finished. Thread-safe.
//
// On disk (every write durable before the call returns):
//   <id>.assignment   the accepted Assignment (assignment_file.h)
//   <id>.progress     one record per finished item (progress_log.h)
//   usage             the day's usage of dropped assignments (usage_file.h)
//   quarantine/       damaged files moved out of the way, with a log line
// Open recovers all of it: torn progress tails are cut, damaged files are
// quarantined (the collector re-offers or ends what the probe no longer
// holds), expired assignments dropped, leftovers of a crash removed.
//
// Budgets per UTC day (counted from the progress records, so a restart
// does not reset them): an item starts only while the campaign's and the
// host's domains (finished + in flight) and bytes (byte_estimate.h) are
// below their caps: budget.domains_per_day / bytes_per_day per campaign,
// campaigns.max_domains_per_day / max_bytes_per_day over all campaigns.
// Checks at once: min(budget.concurrency, campaigns.max_concurrency) per
// campaign, and the host's cap over all. Items of a sector the host opted
// out of are finished without a check (recorded as skipped).
//
// An assignment whose items are all finished is kept (and reported in
// `held` with done == count) until a poll saying so was answered; expired
// and cancelled ones are dropped at once.
#ifndef V6SCOPE_PROBE_CAMPAIGN_FILE_WORK_BOOK_H_
#define V6SCOPE_PROBE_CAMPAIGN_FILE_WORK_BOOK_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/time/clock.h"
#include "probe/campaign/participation.h"
#include "probe/campaign/progress_log.h"
#include "probe/campaign/usage_file.h"
#include "probe/campaign/work_book.h"

namespace v6scope::probe::campaign {

// Assignments a probe holds at most (WorkPoll.free_slots is 0..4).
inline constexpr size_t kMaxHeldAssignments = 4;

struct BookOptions {
  std::string dir;  // <state_dir>/campaigns; created (0700) if missing.
  Participation participation;
  const time::Clock* clock = time::RealClock::Get();
};

// One domain to check, as the runner gets it.
struct WorkItem {
  std::string assignment_id;
  std::string campaign_id;
  uint32_t item = 0;  // Index within the assignment.
  std::string domain;
};

struct NextWork {
  std::optional<WorkItem> item;
  // Without an item: when a budget frees up (the next UTC day), or
  // InfiniteFuture when only new work or a finished check can change it.
  absl::Time retry_at = absl::InfiniteFuture();
};

class FileWorkBook : public WorkBook {
 public:
  static absl::StatusOr<std::unique_ptr<FileWorkBook>> Open(
      BookOptions options);
  ~FileWorkBook() override;

  // WorkBook (uplink thread).
  v6scope::v1::WorkPoll BuildPoll() override;
  absl::Status ApplyOffer(const v6scope::v1::WorkPoll& poll,
                          const v6scope::v1::WorkOffer& offer) override;
  absl::Status Cancel(absl::Span<const std::string> assignment_ids) override;
  absl::Time NextPollAt() const override;

  // Runner side. The next item to check within the budgets, marked in
  // flight (no one else gets it until Finish).
  NextWork TakeNext();
  // The item's result is taken (spooled): records it done, durably, with
  // its estimated cost. OK and nothing recorded if its assignment was
  // dropped meanwhile. On an I/O error the item still counts as done until
  // the next start (then it is checked again; the collector dedupes).
  absl::Status Finish(const WorkItem& item, uint64_t bytes);
  // Called (on the thread of ApplyOffer, no lock held) when new work was
  // accepted. Replaces any previous callback; null to clear.
  void SetOnNewWork(std::function<void()> callback);

  // For tests, logs and metrics.
  size_t held() const;
  Usage UsageToday() const;  // Over all campaigns.

 private:
  // One accepted assignment and its progress.
  struct Held {
    v6scope::v1::Assignment assignment;
    absl::Time expires;
    std::unique_ptr<ProgressLog> log;
    std::vector<bool> done;
    uint32_t done_count = 0;
    std::vector<bool> in_flight;
    size_t in_flight_count = 0;
    uint32_t cursor = 0;  // Items below it are done or in flight.
    uint32_t usage_day = 0;
    Usage usage;  // On usage_day.
  };
  explicit FileWorkBook(BookOptions options);

  absl::Status Load();
  absl::Status LoadAssignment(const std::string& id);
  void LoadUsage();
  std::string PathOf(const std::string& id, const char* ext) const;
  uint32_t Today() const;
  bool Complete(const Held& h) const;
  void DropLocked(const std::string& id, const char* why)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void DropExpiredLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  Usage CampaignUsageLocked(const std::string& campaign, uint32_t today) const
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  size_t CampaignInFlightLocked(const std::string& campaign) const
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  std::optional<WorkItem> TakeFromLocked(Held& h, uint32_t today)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  bool CampaignAllowsLocked(const Held& h, uint32_t today,
                            bool* by_budget) const
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void RefuseLocked(const std::string& id, const std::string& reason)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  absl::StatusOr<bool> AcceptLocked(const v6scope::v1::Assignment& a)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void ForgetReportedLocked(const v6scope::v1::WorkPoll& poll)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const BookOptions options_;
  const std::string quarantine_dir_;
  mutable absl::Mutex mu_;
  std::map<std::string, std::unique_ptr<Held>> held_ ABSL_GUARDED_BY(mu_);
  DayUsage carried_ ABSL_GUARDED_BY(mu_);  // Of dropped assignments.
  std::vector<v6scope::v1::AssignmentRefusal> refusals_ ABSL_GUARDED_BY(mu_);
  absl::Time poll_after_ ABSL_GUARDED_BY(mu_) = absl::InfinitePast();
  absl::Time last_offer_at_ ABSL_GUARDED_BY(mu_) = absl::InfinitePast();
  bool opt_out_acknowledged_ ABSL_GUARDED_BY(mu_) = false;
  std::function<void()> on_new_work_ ABSL_GUARDED_BY(mu_);
};

}  // namespace v6scope::probe::campaign

#endif  // V6SCOPE_PROBE_CAMPAIGN_FILE_WORK_BOOK_H_
