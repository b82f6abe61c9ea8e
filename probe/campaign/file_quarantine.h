// QuarantineFile: moves a corrupt campaign file out of the way (into
// `<state_dir>/campaigns/quarantine/`) with one error log line saying
// which file and why, so the probe keeps going and the host can still
// look at it. Never deletes: the name gets ".1", ".2"... if taken.
#ifndef V6SCOPE_PROBE_CAMPAIGN_FILE_QUARANTINE_H_
#define V6SCOPE_PROBE_CAMPAIGN_FILE_QUARANTINE_H_

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace v6scope::probe::campaign {

absl::Status QuarantineFile(const std::string& path,
                            const std::string& quarantine_dir,
                            absl::string_view reason);

}  // namespace v6scope::probe::campaign

#endif  // V6SCOPE_PROBE_CAMPAIGN_FILE_QUARANTINE_H_
