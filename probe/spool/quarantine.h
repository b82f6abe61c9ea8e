// Quarantine: where the probe puts a run (or a readiness result) the
// collector refused for good (INVALID_ARGUMENT naming it), so that one bad
// record never blocks its spool and the probe's operator can still see
// what it was. Readiness results go to their own quarantine
// (<state dir>/readiness-spool/quarantine), as NNN.result.txt files with
// the same layout.
//
// One file per run in `dir` (normally <state dir>/spool/quarantine),
// named after its sequence number, so name order is age order:
//
//   00000000000000000042.run.txt
//     # v6scope run refused by the collector; not delivered (counted in
//     # the batch's dropped_runs).
//     # seq: 42
//     # quarantined_at: 2024-06-14T10:00:00Z
//     # reason: runs[0].tests[3].error_detail: control character at byte 5
//     started_at { ... }     <- the run in protobuf text format
//
// Every byte of the reason and of the run's strings that is not printable
// ASCII is escaped, so `cat` on a file is safe. Bounded: after each Put the
// oldest files go until at most max_files and max_bytes remain (the newest
// is always kept). Used by the uplink thread only; not thread-safe.
#ifndef V6SCOPE_PROBE_SPOOL_QUARANTINE_H_
#define V6SCOPE_PROBE_SPOOL_QUARANTINE_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "google/protobuf/message.h"
#include "proto/probe_service.pb.h"
#include "proto/results.pb.h"

namespace v6scope::probe::spool {

struct QuarantineOptions {
  std::string dir;  // Created (mode 0700) if missing.
  size_t max_files = 100;
  uint64_t max_bytes = 4 << 20;
};

class Quarantine {
 public:
  static absl::StatusOr<std::unique_ptr<Quarantine>> Open(
      QuarantineOptions options);

  // Writes the file for run `seq` (atomically, mode 0600) and returns its
  // path; then drops the oldest files beyond the bounds.
  absl::StatusOr<std::string> Put(uint64_t seq, const v6scope::v1::Run& run,
                                  absl::string_view reason, absl::Time now);
  // The same for readiness result `seq` (NNN.result.txt).
  absl::StatusOr<std::string> Put(uint64_t seq,
                                  const v6scope::v1::DomainResult& result,
                                  absl::string_view reason, absl::Time now);

  const std::string& dir() const { return options_.dir; }

 private:
  explicit Quarantine(QuarantineOptions options)
      : options_(std::move(options)) {}
  struct Kind {
    absl::string_view noun;     // "run", "readiness result".
    absl::string_view counter;  // The batch field its drops are counted in.
    absl::string_view suffix;   // ".run.txt", ".result.txt".
  };
  absl::StatusOr<std::string> PutRecord(const Kind& kind, uint64_t seq,
                                        const google::protobuf::Message& record,
                                        absl::string_view reason,
                                        absl::Time now);
  void EnforceBounds();

  const QuarantineOptions options_;
};

}  // namespace v6scope::probe::spool

#endif  // V6SCOPE_PROBE_SPOOL_QUARANTINE_H_
