// Reading the collector's INVALID_ARGUMENT: which run of a batch it
// refused. The collector names the field path relative to the batch it
// got ("runs[1].tests[3].error_detail: ...", "batch.runs[2]: ...",
// "UploadRequest does not parse: batch.runs[0]...: invalid UTF-8"), or a
// field of the batch itself ("first_seq: ...", "dropped_runs: ..."). A
// DomainBatch's refusals name "results[i]" the same way
// ("results[3].check.web[1].final_url: ...").
#ifndef V6SCOPE_PROBE_UPLINK_REFUSAL_H_
#define V6SCOPE_PROBE_UPLINK_REFUSAL_H_

#include <cstddef>
#include <optional>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace v6scope::probe::uplink {

// The index i of the first "runs[i]" the message names; nullopt if none.
std::optional<size_t> RefusedRunIndex(absl::string_view message);

// True if the message names a field of the batch, not of a run: no run
// is at fault and none may be quarantined for it.
bool NamesBatchField(absl::string_view message);

// The same for a DomainBatch and its "results[i]".
std::optional<size_t> RefusedResultIndex(absl::string_view message);
bool NamesDomainBatchField(absl::string_view message);

// True for the way a collector from before campaigns (issue 16) ends the
// stream on a WorkPoll or DomainBatch it does not know: INVALID_ARGUMENT
// "UploadRequest carries no batch". Nothing sent is at fault: the
// collector has no campaigns.
bool IsWithoutCampaigns(const absl::Status& s);

// `s` with the run index it names moved up by `offset`: for a batch sent
// as the part of a larger one that starts at `offset`, so the index is
// relative to what the caller gave. Other statuses come back as they are.
absl::Status ShiftRefusedRun(const absl::Status& s, size_t offset);
absl::Status ShiftRefusedResult(const absl::Status& s, size_t offset);

}  // namespace v6scope::probe::uplink

#endif  // V6SCOPE_PROBE_UPLINK_REFUSAL_H_
