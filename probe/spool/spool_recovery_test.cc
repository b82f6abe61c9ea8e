// The spool under damage: torn and garbage tails, corrupt records, crashes
// between steps, a writer killed at random points, and full disks.
#include <sched.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/random/random.h"
#include "absl/strings/str_cat.h"
#include "common/fs/files.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "probe/spool/frame.h"
#include "probe/spool/spool.h"
#include "probe/spool/spool_test_util.h"

namespace v6scope::probe::spool {
namespace {

using testing::AppendBytes;
using testing::CopyFile;
using ::testing::ElementsAre;
using testing::FileSize;
using testing::FrameBytes;
using testing::FreshDir;
using ::testing::HasSubstr;
using testing::IsTestRun;
using testing::LogCapture;
using testing::OpenSpool;
using testing::Overwrite;
using testing::PendingSeqs;
using testing::SegmentFiles;
using testing::TestRun;

SpoolOptions SmallOptions(const std::string& dir) {
  SpoolOptions o;
  o.dir = dir;
  o.segment_bytes = 4096;
  o.max_bytes = 1 << 20;
  return o;
}

// Appends [first, last] with the default filler; all in one segment if it
// is large enough.
void AppendRange(const SpoolOptions& options, uint64_t first, uint64_t last) {
  auto spool = OpenSpool(options);
  ASSERT_NE(spool, nullptr);
  for (uint64_t seq = first; seq <= last; ++seq) {
    ASSERT_TRUE(spool->Append(seq, TestRun(seq)).ok()) << seq;
  }
}

// Byte offset of record `seq` in a segment holding first..seq-1 before it.
uint64_t OffsetOf(uint64_t first, uint64_t seq) {
  uint64_t offset = 0;
  for (uint64_t s = first; s < seq; ++s) offset += FrameBytes(s);
  return offset;
}

TEST(SpoolRecoveryTest, TornTailLosesOnlyTheRecordBeingWritten) {
  const std::string dir = FreshDir("torn");
  const SpoolOptions options = SmallOptions(dir);
  AppendRange(options, 1, 5);
  const std::string segment = SegmentFiles(dir).at(0);
  // kill -9 in the middle of writing record 5.
  ASSERT_EQ(::truncate(segment.c_str(), FileSize(segment) - 7), 0);
  LogCapture log;
  auto spool = OpenSpool(options);
  ASSERT_NE(spool, nullptr);
  EXPECT_THAT(PendingSeqs(*spool), ElementsAre(1, 2, 3, 4));
  EXPECT_EQ(spool->stats().truncated_bytes, FrameBytes(5) - 7);
  EXPECT_EQ(spool->stats().corrupt_skipped, 0u);
  EXPECT_EQ(FileSize(segment), OffsetOf(1, 5));
  EXPECT_THAT(log.Text(), HasSubstr(absl::StrCat(
                              "event=spool.tail_truncated file=", segment,
                              " offset=", OffsetOf(1, 5))));
  // Record 5 was never taken; it can be appended again.
  ASSERT_TRUE(spool->Append(5, TestRun(5)).ok());
  spool.reset();
  spool = OpenSpool(options);
  ASSERT_NE(spool, nullptr);
  EXPECT_THAT(PendingSeqs(*spool), ElementsAre(1, 2, 3, 4, 5));
  EXPECT_EQ(spool->stats().truncated_bytes, 0u);
}

TEST(SpoolRecoveryTest, PartialFrameOrGarbageAfterTheLastRecordIsCutOff) {
  const std::string frame4 = EncodeFrame(4, TestRun(4).SerializeAsString());
  const std::string partial = frame4.substr(0, frame4.size() - 1);
  const std::string header_only = frame4.substr(0, 9);
  for (const std::string& tail :
       {partial, header_only, std::string("\x13\x37garbage\xF6SP\x01", 13)}) {
    const std::string dir = FreshDir("garbage_tail");
    const SpoolOptions options = SmallOptions(dir);
    AppendRange(options, 1, 3);
    const std::string segment = SegmentFiles(dir).at(0);
    const uint64_t good = FileSize(segment);
    AppendBytes(segment, tail);
    LogCapture log;
    auto spool = OpenSpool(options);
    ASSERT_NE(spool, nullptr);
    EXPECT_THAT(PendingSeqs(*spool), ElementsAre(1, 2, 3));
    EXPECT_EQ(spool->stats().truncated_bytes, tail.size());
    EXPECT_EQ(FileSize(segment), good);
    EXPECT_THAT(log.Text(),
                HasSubstr(absl::StrCat("file=", segment, " offset=", good,
                                       " bytes=", tail.size())));
    // Appending continues right after the last good record.
    ASSERT_TRUE(spool->Append(4, TestRun(4)).ok());
    spool.reset();
    spool = OpenSpool(options);
    ASSERT_NE(spool, nullptr);
    EXPECT_THAT(PendingSeqs(*spool), ElementsAre(1, 2, 3, 4));
    EXPECT_EQ(spool->stats().truncated_bytes, 0u);
  }
}

// Damage inside record 3 of 1..5: in the header, in the length (which
// then announces a frame running past the file), in the payload.
TEST(SpoolRecoveryTest, CorruptMiddleRecordIsSkippedAndTheRestDelivered) {
  absl::BitGen rng;
  struct Damage {
    uint64_t at;  // Within record 3.
    size_t bytes;
  };
  for (const Damage& damage : {Damage{0, 16}, Damage{5, 3}, Damage{40, 8},
                               Damage{FrameBytes(3) - 1, 1}}) {
    const std::string dir = FreshDir("corrupt_middle");
    const SpoolOptions options = SmallOptions(dir);
    AppendRange(options, 1, 5);
    const std::string segment = SegmentFiles(dir).at(0);
    const uint64_t offset = OffsetOf(1, 3);
    absl::StatusOr<std::string> before = fs::ReadFile(segment);
    ASSERT_TRUE(before.ok());
    std::string random(damage.bytes, '\0');
    for (size_t i = 0; i < random.size(); ++i) {
      // Differs from what was there, so the damage is real.
      random[i] = static_cast<char>((*before)[offset + damage.at + i] ^
                                    absl::Uniform<int>(rng, 1, 256));
    }
    Overwrite(segment, offset + damage.at, random);
    LogCapture log;
    auto spool = OpenSpool(options);
    ASSERT_NE(spool, nullptr);
    EXPECT_THAT(PendingSeqs(*spool), ElementsAre(1, 2, 4, 5))
        << "damage at " << damage.at;
    EXPECT_EQ(spool->stats().corrupt_skipped, 1u);
    EXPECT_EQ(spool->stats().pending_records, 4u);
    EXPECT_THAT(log.Text(), HasSubstr(absl::StrCat(
                                "event=spool.corrupt_skipped file=", segment,
                                " offset=", offset, " bytes=", FrameBytes(3))));
    // Nothing after the damage was cut off, and appending continues.
    EXPECT_EQ(spool->stats().truncated_bytes, 0u);
    ASSERT_TRUE(spool->Append(6, TestRun(6)).ok());
    EXPECT_THAT(PendingSeqs(*spool), ElementsAre(1, 2, 4, 5, 6));
  }
}

TEST(SpoolRecoveryTest, CorruptRecordInAnOlderSegment) {
  const std::string dir = FreshDir("corrupt_older");
  SpoolOptions options = SmallOptions(dir);
  options.segment_bytes = 3 * FrameBytes(1);
  AppendRange(options, 1, 9);
  const std::vector<std::string> files = SegmentFiles(dir);
  ASSERT_EQ(files.size(), 3u);
  Overwrite(files[1], 0, "XXXX");  // The magic of record 4.
  LogCapture log;
  auto spool = OpenSpool(options);
  ASSERT_NE(spool, nullptr);
  EXPECT_THAT(PendingSeqs(*spool), ElementsAre(1, 2, 3, 5, 6, 7, 8, 9));
  EXPECT_THAT(log.Text(),
              HasSubstr(absl::StrCat("file=", files[1], " offset=0 bytes=")));
}

TEST(SpoolRecoveryTest, DamageFoundWhileReadingIsSkippedOnce) {
  const std::string dir = FreshDir("read_damage");
  const SpoolOptions options = SmallOptions(dir);
  auto spool = OpenSpool(options);
  ASSERT_NE(spool, nullptr);
  for (uint64_t seq = 1; seq <= 5; ++seq) {
    ASSERT_TRUE(spool->Append(seq, TestRun(seq)).ok());
  }
  const std::string segment = SegmentFiles(dir).at(0);
  // Bit rot under a running spool: records 1 and 3.
  Overwrite(segment, OffsetOf(1, 1) + 30, "rot");
  Overwrite(segment, OffsetOf(1, 3) + 30, "rot");
  LogCapture log;
  // A damaged first record must not hide the ones behind it.
  auto first = spool->ReadPending(1, SIZE_MAX);
  ASSERT_TRUE(first.ok());
  ASSERT_EQ(first->size(), 1u);
  EXPECT_EQ(first->at(0).seq, 2u);
  EXPECT_THAT(PendingSeqs(*spool), ElementsAre(2, 4, 5));
  EXPECT_THAT(PendingSeqs(*spool), ElementsAre(2, 4, 5));
  EXPECT_EQ(spool->stats().corrupt_skipped, 2u);
  EXPECT_EQ(spool->stats().pending_records, 3u);
  EXPECT_THAT(log.Text(), HasSubstr(absl::StrCat(
                              "event=spool.corrupt_skipped file=", segment,
                              " offset=", OffsetOf(1, 3))));
}

TEST(SpoolRecoveryTest, OutOfOrderRecordsAndStrayFiles) {
  const std::string dir = FreshDir("out_of_order");
  std::string bytes;
  for (uint64_t seq : {1, 2, 5, 3, 6}) {
    bytes += EncodeFrame(seq, TestRun(seq).SerializeAsString());
  }
  ASSERT_TRUE(
      fs::WriteFileAtomically(dir + "/000000000001.seg", bytes, 0600).ok());
  ASSERT_TRUE(fs::WriteFileAtomically(dir + "/000000000009.seg", "", 0600)
                  .ok());  // Created, then the crash.
  ASSERT_TRUE(fs::WriteFileAtomically(dir + "/state.tmp.123", "x", 0600).ok());
  ASSERT_TRUE(fs::WriteFileAtomically(dir + "/notes.txt", "x", 0600).ok());
  LogCapture log;
  auto spool = OpenSpool(SmallOptions(dir));
  ASSERT_NE(spool, nullptr);
  EXPECT_THAT(PendingSeqs(*spool), ElementsAre(1, 2, 5, 6));
  EXPECT_EQ(spool->stats().corrupt_skipped, 1u);
  EXPECT_THAT(log.Text(), HasSubstr("event=spool.out_of_order_skipped"));
  EXPECT_EQ(SegmentFiles(dir),
            (std::vector<std::string>{dir + "/000000000001.seg"}));
  EXPECT_FALSE(fs::ReadFile(dir + "/state.tmp.123").ok());
  EXPECT_TRUE(fs::ReadFile(dir + "/notes.txt").ok());
}

TEST(SpoolRecoveryTest, UnreadableStateFileIsDataLoss) {
  const std::string dir = FreshDir("bad_state");
  ASSERT_TRUE(
      fs::WriteFileAtomically(dir + "/state", "acked_through=x\n", 0600).ok());
  absl::Status s = Spool::Open(SmallOptions(dir)).status();
  EXPECT_EQ(s.code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(s.message(), HasSubstr(dir + "/state"));
}

// The state is written before segment files are deleted; a crash in
// between must neither resend acknowledged runs nor count drops twice.
TEST(SpoolRecoveryTest, CrashBetweenAcknowledgeAndDeleteDoesNotResend) {
  const std::string dir = FreshDir("ack_crash");
  const std::string backup = FreshDir("ack_crash_backup");
  SpoolOptions options = SmallOptions(dir);
  options.segment_bytes = 3 * FrameBytes(1);
  AppendRange(options, 1, 9);
  {
    auto spool = OpenSpool(options);
    ASSERT_NE(spool, nullptr);
    for (const std::string& f : SegmentFiles(dir)) {
      CopyFile(f, backup + f.substr(dir.size()));
    }
    ASSERT_TRUE(spool->Acknowledge(7).ok());
    EXPECT_EQ(SegmentFiles(dir).size(), 1u);
  }
  for (const std::string& f : SegmentFiles(backup)) {
    CopyFile(f, dir + f.substr(backup.size()));  // Undo the deletions.
  }
  auto spool = OpenSpool(options);
  ASSERT_NE(spool, nullptr);
  EXPECT_THAT(PendingSeqs(*spool), ElementsAre(8, 9));
  EXPECT_EQ(SegmentFiles(dir).size(), 1u);
}

TEST(SpoolRecoveryTest, CrashBetweenQuotaDropAndDeleteDoesNotRecount) {
  const std::string dir = FreshDir("drop_crash");
  const std::string backup = FreshDir("drop_crash_backup");
  SpoolOptions options = SmallOptions(dir);
  options.segment_bytes = 1024;
  options.max_bytes = 4096;
  std::vector<uint64_t> pending;
  uint64_t dropped = 0;
  {
    auto spool = OpenSpool(options);
    ASSERT_NE(spool, nullptr);
    for (uint64_t seq = 1; spool->dropped_records() == 0; ++seq) {
      for (const std::string& f : SegmentFiles(dir)) {
        CopyFile(f, backup + f.substr(dir.size()));
      }
      ASSERT_TRUE(spool->Append(seq, TestRun(seq)).ok());
    }
    pending = PendingSeqs(*spool);
    dropped = spool->dropped_records();
  }
  for (const std::string& f : SegmentFiles(backup)) {
    if (!fs::ReadFile(dir + f.substr(backup.size())).ok()) {
      CopyFile(f, dir + f.substr(backup.size()));
    }
  }
  auto spool = OpenSpool(options);
  ASSERT_NE(spool, nullptr);
  EXPECT_EQ(PendingSeqs(*spool), pending);
  EXPECT_EQ(spool->dropped_records(), dropped);
  EXPECT_EQ(spool->stats().pending_records + dropped, pending.back());
}

// Writes through the real file, but can fail like a full disk: after
// writing `partial` bytes of the record, or in fdatasync.
class FaultyWriter : public SpoolFileWriter {
 public:
  absl::Status WriteAt(int fd, absl::string_view data, uint64_t offset,
                       const std::string& path) override {
    if (!fail_write) {
      return PosixSpoolFileWriter()->WriteAt(fd, data, offset, path);
    }
    absl::Status s = PosixSpoolFileWriter()->WriteAt(
        fd, data.substr(0, partial), offset, path);
    if (!s.ok()) return s;
    errno = ENOSPC;
    return fs::ErrnoError("cannot write", path);
  }
  absl::Status Sync(int fd, const std::string& path) override {
    if (!fail_sync) return PosixSpoolFileWriter()->Sync(fd, path);
    errno = EIO;
    return fs::ErrnoError("cannot sync", path);
  }
  bool fail_write = false;
  size_t partial = 0;
  bool fail_sync = false;
};

TEST(SpoolDiskFullTest, FailedWriteTakesNothingAndKeepsEverythingElse) {
  const std::string dir = FreshDir("enospc");
  FaultyWriter writer;
  SpoolOptions options = SmallOptions(dir);
  options.writer = &writer;
  auto spool = OpenSpool(options);
  ASSERT_NE(spool, nullptr);
  for (uint64_t seq = 1; seq <= 3; ++seq) {
    ASSERT_TRUE(spool->Append(seq, TestRun(seq)).ok());
  }
  const std::string segment = SegmentFiles(dir).at(0);
  const uint64_t size = FileSize(segment);
  writer.fail_write = true;
  writer.partial = 25;
  absl::Status s = spool->Append(4, TestRun(4));
  EXPECT_EQ(s.code(), absl::StatusCode::kResourceExhausted);
  EXPECT_THAT(s.message(), HasSubstr(segment));
  EXPECT_THAT(s.message(), HasSubstr("No space left on device"));
  EXPECT_EQ(FileSize(segment), size);  // The partial frame was cut off.
  EXPECT_THAT(PendingSeqs(*spool), ElementsAre(1, 2, 3));
  EXPECT_EQ(spool->stats().last_seq, 3u);

  // Space again: the same run goes in, and a restart finds no damage.
  writer.fail_write = false;
  ASSERT_TRUE(spool->Append(4, TestRun(4)).ok());
  spool.reset();
  LogCapture log;
  spool = OpenSpool(options);
  ASSERT_NE(spool, nullptr);
  EXPECT_THAT(PendingSeqs(*spool), ElementsAre(1, 2, 3, 4));
  EXPECT_EQ(spool->stats().truncated_bytes, 0u);
  EXPECT_EQ(spool->stats().corrupt_skipped, 0u);
}

TEST(SpoolDiskFullTest, FailedFirstWriteLeavesNoEmptySegment) {
  const std::string dir = FreshDir("enospc_new_segment");
  FaultyWriter writer;
  SpoolOptions options = SmallOptions(dir);
  options.writer = &writer;
  options.segment_bytes = 2 * FrameBytes(1);
  auto spool = OpenSpool(options);
  ASSERT_NE(spool, nullptr);
  ASSERT_TRUE(spool->Append(1, TestRun(1)).ok());
  ASSERT_TRUE(spool->Append(2, TestRun(2)).ok());
  writer.fail_write = true;
  writer.partial = 5;
  EXPECT_EQ(spool->Append(3, TestRun(3)).code(),
            absl::StatusCode::kResourceExhausted);
  EXPECT_EQ(SegmentFiles(dir).size(), 1u);
  EXPECT_EQ(spool->stats().segments, 1u);
  writer.fail_write = false;
  ASSERT_TRUE(spool->Append(3, TestRun(3)).ok());
  EXPECT_EQ(SegmentFiles(dir).size(), 2u);
  EXPECT_THAT(PendingSeqs(*spool), ElementsAre(1, 2, 3));
}

TEST(SpoolDiskFullTest, FailedSyncTakesNothing) {
  const std::string dir = FreshDir("eio_sync");
  FaultyWriter writer;
  SpoolOptions options = SmallOptions(dir);
  options.writer = &writer;
  auto spool = OpenSpool(options);
  ASSERT_NE(spool, nullptr);
  ASSERT_TRUE(spool->Append(1, TestRun(1)).ok());
  const uint64_t size = FileSize(SegmentFiles(dir).at(0));
  writer.fail_sync = true;
  absl::Status s = spool->Append(2, TestRun(2));
  EXPECT_FALSE(s.ok());
  EXPECT_THAT(s.message(), HasSubstr("cannot sync"));
  EXPECT_EQ(FileSize(SegmentFiles(dir).at(0)), size);
  EXPECT_THAT(PendingSeqs(*spool), ElementsAre(1));
}

// In a child: a private mount namespace with a 64 KiB tmpfs over `dir`,
// appends until the file system is full. Returns 0 if all is as promised,
// 77 if mounting is not allowed here, another code naming the failure.
int FillTmpfs(const std::string& dir) {
  if (::unshare(CLONE_NEWNS) != 0) return 77;
  if (::mount("none", "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0) {
    return 77;
  }
  if (::mount("tmpfs", dir.c_str(), "tmpfs", 0, "size=64k") != 0) return 77;
  SpoolOptions options = SmallOptions(dir + "/spool");
  options.segment_bytes = 8192;
  absl::StatusOr<std::unique_ptr<Spool>> spool = Spool::Open(options);
  if (!spool.ok()) return 10;
  absl::Status s;
  uint64_t seq = 1;
  for (; seq < 10000; ++seq) {
    s = (*spool)->Append(seq, TestRun(seq, 300));
    if (!s.ok()) break;
  }
  if (s.ok()) return 11;
  if (s.code() != absl::StatusCode::kResourceExhausted) return 12;
  if (s.message().find(options.dir) == absl::string_view::npos) return 13;
  if (seq < 20) return 14;
  for (int reopen = 0; reopen < 2; ++reopen) {
    absl::StatusOr<std::vector<SpooledRun>> runs =
        (*spool)->ReadPending(SIZE_MAX, SIZE_MAX);
    if (!runs.ok() || runs->size() != seq - 1) return 15;
    for (size_t i = 0; i < runs->size(); ++i) {
      if ((*runs)[i].seq != i + 1 || !IsTestRun(i + 1, (*runs)[i].run)) {
        return 16;
      }
    }
    if ((*spool)->stats().truncated_bytes != 0) return 17;
    spool->reset();
    spool = Spool::Open(options);
    if (!spool.ok()) return 18;
  }
  return 0;
}

TEST(SpoolDiskFullTest, RealFullFileSystem) {
  const std::string dir = FreshDir("tmpfs");
  const pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) ::_exit(FillTmpfs(dir));
  int status = 0;
  ASSERT_EQ(::waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFEXITED(status));
  if (WEXITSTATUS(status) == 77) {
    GTEST_SKIP() << "mounting a tmpfs needs CAP_SYS_ADMIN (root, or a user "
                    "namespace that allows it); the injected ENOSPC tests "
                    "above cover the same paths";
  }
  EXPECT_EQ(WEXITSTATUS(status), 0)
      << "see FillTmpfs for what the exit code means";
}

}  // namespace
}  // namespace v6scope::probe::spool
