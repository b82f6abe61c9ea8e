// Helpers shared by the spool tests: test runs that say their own seq,
// fresh directories, the segment files on disk, and captured log lines.
#ifndef V6SCOPE_PROBE_SPOOL_SPOOL_TEST_UTIL_H_
#define V6SCOPE_PROBE_SPOOL_SPOOL_TEST_UTIL_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "probe/spool/spool.h"
#include "proto/results.pb.h"

namespace v6scope::probe::spool::testing {

// A run whose target_set names `seq`, padded with about `filler` bytes.
v6scope::v1::Run TestRun(uint64_t seq, size_t filler = 100);
// True if `run` is TestRun(seq, ...).
bool IsTestRun(uint64_t seq, const v6scope::v1::Run& run);
// Bytes of TestRun(seq, filler)'s frame on disk.
uint64_t FrameBytes(uint64_t seq, size_t filler = 100);

// An empty directory under the test's temporary directory.
std::string FreshDir(absl::string_view name);
// The segment files of a spool directory, full paths in name order.
std::vector<std::string> SegmentFiles(const std::string& dir);
uint64_t FileSize(const std::string& path);
// Overwrites bytes of a file at `offset`.
void Overwrite(const std::string& path, uint64_t offset,
               absl::string_view bytes);
void AppendBytes(const std::string& path, absl::string_view bytes);
void CopyFile(const std::string& from, const std::string& to);

// Open that reports a failure and returns nullptr.
std::unique_ptr<Spool> OpenSpool(const SpoolOptions& options);
// Seqs of every pending record (read in batches, nothing acknowledged);
// adds a test failure for a record that is not its TestRun.
std::vector<uint64_t> PendingSeqs(Spool& spool);

// Sends the log to a file for the object's lifetime.
class LogCapture {
 public:
  LogCapture();
  ~LogCapture();
  std::string Text() const;

 private:
  std::string path_;
  int fd_;
};

}  // namespace v6scope::probe::spool::testing

#endif  // V6SCOPE_PROBE_SPOOL_SPOOL_TEST_UTIL_H_
