// CheckAssignment: whether the probe can take an offered assignment, and
// if not, the one-line reason it sends back (WorkPoll.refused), e.g.
// "domains[3]: \"a..b\" is not a host name". Checks only the assignment
// itself; free slots and the host's opt-out are the work book's.
#ifndef V6SCOPE_PROBE_CAMPAIGN_ASSIGNMENT_CHECK_H_
#define V6SCOPE_PROBE_CAMPAIGN_ASSIGNMENT_CHECK_H_

#include <cstddef>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "proto/probe_service.pb.h"

namespace v6scope::probe::campaign {

inline constexpr size_t kMaxAssignmentDomains = 1000;
inline constexpr size_t kMaxReasonBytes = 255;

// "a-" and 16 hex digits: also safe as a file name.
bool IsAssignmentId(absl::string_view id);

// LDH labels (and '_') of 1..63 bytes, at most 253 bytes, no final dot.
bool IsHostName(absl::string_view name);

// OK, or INVALID_ARGUMENT whose message is the refusal reason (one
// printable line of at most kMaxReasonBytes).
absl::Status CheckAssignment(const v6scope::v1::Assignment& assignment,
                             absl::Time now);

// `reason` cut to a valid refusal line (printable, at most 255 bytes).
std::string RefusalLine(absl::string_view reason);

}  // namespace v6scope::probe::campaign

#endif  // V6SCOPE_PROBE_CAMPAIGN_ASSIGNMENT_CHECK_H_
