// Helpers for the work book's and the runner's tests: a fresh directory,
// assignments as the collector would offer them.
#ifndef V6SCOPE_PROBE_CAMPAIGN_FILE_WORK_BOOK_TEST_UTIL_H_
#define V6SCOPE_PROBE_CAMPAIGN_FILE_WORK_BOOK_TEST_UTIL_H_

#include <cstdint>
#include <string>

#include "absl/time/time.h"
#include "proto/probe_service.pb.h"

namespace v6scope::probe::campaign {

// An empty directory under TEST_TMPDIR named after the running test.
std::string FreshTestDir();

// "a-" + 16 hex digits from `n`.
std::string AssignmentId(uint64_t n);

// Assignment n of campaign c-0000000<c> with `domains` names
// d<i>.a<n>.example (sector "government"), generous budget, expiring 2
// days after `now`.
v6scope::v1::Assignment MakeAssignment(uint64_t n, int domains, absl::Time now,
                                       int campaign = 1);

}  // namespace v6scope::probe::campaign

#endif  // V6SCOPE_PROBE_CAMPAIGN_FILE_WORK_BOOK_TEST_UTIL_H_
