// ReadinessStore: the store's role as keeper of campaign work (issue 16):
// the assignments offered to probes, each probe's campaign state, and the
// readiness results they send back (docs/campaigns.md). The upload stream
// (collector/service) and the assignment planner (collector/campaign) need
// only this; the admin service reads progress and results through it.
#ifndef V6SCOPE_COLLECTOR_STORE_READINESS_STORE_H_
#define V6SCOPE_COLLECTOR_STORE_READINESS_STORE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/strip.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "collector/campaign/probe_selector.h"
#include "collector/store/check_blob.h"
#include "proto/admin_service.pb.h"
#include "proto/readiness.pb.h"

namespace v6scope::collector::store {

// Where an assignment is. Stored as these numbers.
enum class AssignmentState : int {
  kOffered = 1,    // Sent in a WorkOffer; not yet seen held.
  kHeld = 2,       // A WorkPoll listed it.
  kFinished = 3,   // A WorkPoll showed done == count, or it left the held
                   // list with every item stored.
  kRefused = 4,    // The probe refused it (refusal says why).
  kCancelled = 5,  // The collector cancelled it (campaign paused/deleted,
                   // host opted out).
  kEnded = 6,      // Expired, or dropped by the probe unfinished: its
                   // remaining items are not offered again this round.
};

struct AssignmentRecord {
  std::string assignment_id;  // "a-" + 16 hex digits.
  std::string campaign_id;
  std::string probe_id;
  uint32_t round = 0;
  uint64_t first_index = 0;  // In the campaign's list.
  uint32_t count = 0;        // Domains in the assignment, 1..1000.
  AssignmentState state = AssignmentState::kOffered;
  uint32_t done = 0;      // As the probe last reported.
  std::string refusal;    // kRefused: the probe's reason.
  absl::Time offered_at;  // Set by the caller (the injected clock).
  absl::Time expires_at;
  int offers = 1;  // Times sent (a lost offer is sent once more).
};

// A probe's campaign state as its newest WorkPoll said.
struct ProbeWorkState {
  std::string probe_id;
  absl::Time last_poll;
  bool opted_out = false;
  std::vector<std::string> opted_out_sectors;  // Canonical names, sorted.
};

// A DomainCheck as the store keeps it: its wire bytes in the stored form
// (check_blob.h), and what of it the store copies into columns for plain
// SQL.
struct SerializedCheck {
  std::string blob;
  int web_state = 0;  // verdict.web, .dns and .mail.
  int dns_state = 0;
  int mail_state = 0;
  uint32_t web_v4_asn = 0;
  uint32_t web_v6_asn = 0;
  std::string methodology_version;  // verdict.methodology_version.

  static SerializedCheck Of(const v6scope::v1::DomainCheck& check) {
    SerializedCheck s;
    s.blob = EncodeCheckBlob(check.SerializeAsString());
    s.web_state = check.verdict().web();
    s.dns_state = check.verdict().dns();
    s.mail_state = check.verdict().mail();
    s.web_v4_asn = check.web_v4_asn();
    s.web_v6_asn = check.web_v6_asn();
    s.methodology_version = check.verdict().methodology_version();
    return s;
  }
};

// One readiness result to store. The ingest fills every field from the
// DomainResult, its assignment and the probe's attribution; the check has
// the collector's verdict and web AS numbers in it.
struct DomainResultRow {
  uint64_t seq = 0;
  std::string assignment_id;
  uint32_t item = 0;
  std::string campaign_id;
  uint32_t round = 0;
  uint64_t list_index = 0;  // first_index + item.
  std::string domain;       // check.domain().
  std::string sector;
  uint32_t probe_asn = 0;
  std::string probe_country;
  absl::Time received_at;
  // The check, unless `serialized` is set.
  v6scope::v1::DomainCheck check;
  // Set instead of `check` by a caller that has serialized the check
  // already (the ingest does, on the uploading stream's thread, so that
  // the store's single writer neither serializes nor frees a message):
  // the store writes it and ignores `check`.
  std::optional<SerializedCheck> serialized;
};

// One probe's batch, for StoreDomainBatches: rows[i].seq == first_seq + i.
struct DomainBatchRows {
  std::string probe_id;
  uint64_t first_seq = 0;
  absl::Span<const DomainResultRow> rows;
};

struct StoredDomainBatch {
  uint64_t first_seq = 0;
  uint64_t last_seq = 0;
  // Rows new by both keys: (probe, seq) and (probe, assignment, item).
  uint32_t stored = 0;
};

// A page of stored results, in (round, probe_id, list_index) order,
// starting after `after` (keyset paging: pass the last row of the previous
// page; default-constructed: from the start).
struct DomainResultCursor {
  uint32_t round = 0;
  std::string probe_id;
  uint64_t list_index = 0;
  bool started = false;  // false: from the first row.
};

struct DomainResultQuery {
  std::string campaign_id;
  uint32_t round = 0;    // 0: every round.
  std::string probe_id;  // Empty: every probe.
  DomainResultCursor after;
  int limit = 1000;
};

// Thread-safe; writes return once durable (as every role of store.h).
class ReadinessStore {
 public:
  virtual ~ReadinessStore() = default;

  // ----- results ---------------------------------------------------------

  // Highest readiness sequence number stored for the probe, 0 if none.
  virtual absl::StatusOr<uint64_t> LastStoredDomainSeq(
      const std::string& probe_id) = 0;

  // Stores several batches, of one probe or of several, in one durable
  // transaction (group commit: one fsync for all of them); out[i] is
  // batches[i]'s outcome. A row whose (probe, seq) or (probe, assignment,
  // item) is already stored, by an earlier call or an earlier batch of
  // this one, is skipped and not counted. All or nothing: on any error no
  // batch is stored. INVALID_ARGUMENT ("batches[2]: ...") before anything
  // is written for a batch whose rows are empty or not contiguous.
  virtual absl::StatusOr<std::vector<StoredDomainBatch>> StoreDomainBatches(
      absl::Span<const DomainBatchRows> batches) = 0;

  // One batch: `rows` (seq first_seq + i each, contiguous) in one
  // transaction, as StoreDomainBatches does (INVALID_ARGUMENT without the
  // "batches[0]: " prefix).
  virtual absl::StatusOr<StoredDomainBatch> StoreDomainResults(
      const std::string& probe_id, uint64_t first_seq,
      absl::Span<const DomainResultRow> rows);

  // A page of a campaign's results (StoredDomainResult, check included).
  virtual absl::StatusOr<std::vector<v6scope::v1::StoredDomainResult>>
  ReadDomainResults(const DomainResultQuery& query) = 0;

  // Results stored for the campaign, per probe (probe_id -> count of the
  // newest round each probe has results in, and of all rounds).
  struct ResultCount {
    std::string probe_id;
    uint32_t round = 0;     // Newest round with results.
    uint64_t in_round = 0;  // Results in that round.
    uint64_t all_rounds = 0;
  };
  virtual absl::StatusOr<std::vector<ResultCount>> CountDomainResults(
      const std::string& campaign_id) = 0;

  // ----- work ------------------------------------------------------------

  // Inserts the assignment, or replaces the stored one with the same id.
  virtual absl::Status PutAssignment(const AssignmentRecord& assignment) = 0;

  // NOT_FOUND if there is no such assignment.
  virtual absl::StatusOr<AssignmentRecord> GetAssignment(
      const std::string& assignment_id) = 0;

  // The probe's assignments that are kOffered or kHeld, whatever their
  // age, and every other one offered at or after `offered_since`; by
  // offered_at, then id.
  virtual absl::StatusOr<std::vector<AssignmentRecord>> ListProbeAssignments(
      const std::string& probe_id, absl::Time offered_since) = 0;

  // Every assignment of the campaign, by probe id, then offered_at.
  virtual absl::StatusOr<std::vector<AssignmentRecord>> ListCampaignAssignments(
      const std::string& campaign_id) = 0;

  // End of what the probe was offered of the campaign's round: the largest
  // first_index + count over its assignments of that round, refused and
  // cancelled ones included; 0 if none.
  virtual absl::StatusOr<uint64_t> NextListIndex(const std::string& campaign_id,
                                                 const std::string& probe_id,
                                                 uint32_t round) = 0;

  // Inserts or replaces the probe's campaign state.
  virtual absl::Status PutProbeWorkState(const ProbeWorkState& state) = 0;
  // NOT_FOUND if the probe never polled.
  virtual absl::StatusOr<ProbeWorkState> GetProbeWorkState(
      const std::string& probe_id) = 0;

  // One probe as a selector sees it (campaign::ProbeVantage); NOT_FOUND
  // for an unknown probe id. Cheaper than ListProbeVantages per poll.
  virtual absl::StatusOr<campaign::ProbeVantage> GetProbeVantage(
      const std::string& probe_id) = 0;
};

inline absl::StatusOr<StoredDomainBatch> ReadinessStore::StoreDomainResults(
    const std::string& probe_id, uint64_t first_seq,
    absl::Span<const DomainResultRow> rows) {
  const DomainBatchRows batch{probe_id, first_seq, rows};
  absl::StatusOr<std::vector<StoredDomainBatch>> stored =
      StoreDomainBatches(absl::MakeConstSpan(&batch, 1));
  if (!stored.ok()) {
    absl::string_view message = stored.status().message();
    absl::ConsumePrefix(&message, "batches[0]: ");
    return absl::Status(stored.status().code(), message);
  }
  return stored->front();
}

}  // namespace v6scope::collector::store

#endif  // V6SCOPE_COLLECTOR_STORE_READINESS_STORE_H_
