// The spool's API: append, read, acknowledge, restart, quota, fsync policy.
// Damage, crashes and full disks are in spool_recovery_test.cc.
#include "probe/spool/spool.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "common/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "probe/spool/spool_test_util.h"

namespace v6scope::probe::spool {
namespace {

using ::testing::ElementsAre;
using testing::FileSize;
using testing::FrameBytes;
using testing::FreshDir;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using testing::LogCapture;
using testing::OpenSpool;
using testing::PendingSeqs;
using testing::SegmentFiles;
using testing::TestRun;

std::vector<uint64_t> Range(uint64_t first, uint64_t last) {
  std::vector<uint64_t> out;
  for (uint64_t s = first; s <= last; ++s) out.push_back(s);
  return out;
}

SpoolOptions SmallOptions(const std::string& dir) {
  SpoolOptions o;
  o.dir = dir;
  o.segment_bytes = 4096;
  o.max_bytes = 1 << 20;
  return o;
}

void AppendRange(Spool& spool, uint64_t first, uint64_t last,
                 size_t filler = 100) {
  for (uint64_t seq = first; seq <= last; ++seq) {
    absl::Status s = spool.Append(seq, TestRun(seq, filler));
    ASSERT_TRUE(s.ok()) << "seq " << seq << ": " << s;
  }
}

TEST(SpoolTest, AppendReadAcknowledgeRoundTrip) {
  auto spool = OpenSpool(SmallOptions(FreshDir("roundtrip")));
  ASSERT_NE(spool, nullptr);
  EXPECT_THAT(PendingSeqs(*spool), IsEmpty());
  AppendRange(*spool, 1, 5);
  EXPECT_EQ(spool->stats().pending_records, 5u);
  EXPECT_THAT(PendingSeqs(*spool), ElementsAre(1, 2, 3, 4, 5));
  // Reading does not consume.
  EXPECT_THAT(PendingSeqs(*spool), ElementsAre(1, 2, 3, 4, 5));
  ASSERT_TRUE(spool->Acknowledge(3).ok());
  EXPECT_THAT(PendingSeqs(*spool), ElementsAre(4, 5));
  EXPECT_EQ(spool->stats().pending_records, 2u);
  EXPECT_EQ(spool->stats().acked_through, 3u);
  ASSERT_TRUE(spool->Acknowledge(5).ok());
  EXPECT_THAT(PendingSeqs(*spool), IsEmpty());
  EXPECT_EQ(spool->stats().pending_records, 0u);
  // An older acknowledgement (a late ack) changes nothing.
  ASSERT_TRUE(spool->Acknowledge(2).ok());
  EXPECT_EQ(spool->stats().acked_through, 5u);
}

TEST(SpoolTest, RestartKeepsUnacknowledgedAndNeverResendsAcknowledged) {
  const std::string dir = FreshDir("restart");
  SpoolOptions options = SmallOptions(dir);
  options.segment_bytes = 1024;  // Several segments.
  {
    auto spool = OpenSpool(options);
    ASSERT_NE(spool, nullptr);
    AppendRange(*spool, 1, 20);
    ASSERT_TRUE(spool->Acknowledge(7).ok());
  }
  {
    auto spool = OpenSpool(options);
    ASSERT_NE(spool, nullptr);
    EXPECT_EQ(PendingSeqs(*spool), Range(8, 20));
    EXPECT_EQ(spool->stats().last_seq, 20u);
    EXPECT_EQ(spool->stats().pending_records, 13u);
    EXPECT_EQ(spool->Append(20, TestRun(20)).code(),
              absl::StatusCode::kInvalidArgument);
    AppendRange(*spool, 21, 22);
    ASSERT_TRUE(spool->Acknowledge(22).ok());
  }
  auto spool = OpenSpool(options);
  ASSERT_NE(spool, nullptr);
  EXPECT_THAT(PendingSeqs(*spool), IsEmpty());
  EXPECT_THAT(SegmentFiles(dir), IsEmpty());
  // The acknowledged point survives even with every segment gone.
  EXPECT_EQ(spool->stats().last_seq, 22u);
  EXPECT_FALSE(spool->Append(22, TestRun(22)).ok());
  EXPECT_TRUE(spool->Append(23, TestRun(23)).ok());
}

TEST(SpoolTest, DropRefusedCountsTheRunAsDroppedAcrossRestarts) {
  const std::string dir = FreshDir("refused");
  {
    auto spool = OpenSpool(SmallOptions(dir));
    ASSERT_NE(spool, nullptr);
    AppendRange(*spool, 1, 5);
    ASSERT_TRUE(spool->Acknowledge(2).ok());
    absl::StatusOr<uint64_t> dropped = spool->DropRefused(3);
    ASSERT_TRUE(dropped.ok()) << dropped.status();
    EXPECT_EQ(*dropped, 1u);
    EXPECT_EQ(spool->DropRefused(3).value_or(99), 0u);  // Already gone.
    EXPECT_EQ(spool->stats().pending_records, 2u);
    EXPECT_EQ(spool->unreported_dropped(), 1u);
    EXPECT_FALSE(spool->DropRefused(6).ok());
  }
  auto spool = OpenSpool(SmallOptions(dir));
  ASSERT_NE(spool, nullptr);
  EXPECT_THAT(PendingSeqs(*spool), ElementsAre(4, 5));
  EXPECT_EQ(spool->dropped_records(), 1u);
  ASSERT_TRUE(spool->Acknowledge(5, 1).ok());
  EXPECT_EQ(spool->unreported_dropped(), 0u);
}

TEST(SpoolTest, ReadPendingHonoursMaxRecordsAndMaxBytes) {
  auto spool = OpenSpool(SmallOptions(FreshDir("bounded")));
  ASSERT_NE(spool, nullptr);
  AppendRange(*spool, 1, 30, 500);
  const size_t run_bytes = TestRun(1, 500).ByteSizeLong();
  auto seqs = [](const std::vector<SpooledRun>& runs) {
    std::vector<uint64_t> out;
    for (const SpooledRun& r : runs) out.push_back(r.seq);
    return out;
  };
  auto read = spool->ReadPending(3, SIZE_MAX);
  ASSERT_TRUE(read.ok());
  EXPECT_THAT(seqs(*read), ElementsAre(1, 2, 3));
  read = spool->ReadPending(100, 2 * run_bytes + run_bytes / 2);
  ASSERT_TRUE(read.ok());
  EXPECT_THAT(seqs(*read), ElementsAre(1, 2));
  read = spool->ReadPending(100, 2 * run_bytes);
  ASSERT_TRUE(read.ok());
  EXPECT_THAT(seqs(*read), ElementsAre(1, 2));
  // The first record comes back whatever its size, or nothing would move.
  read = spool->ReadPending(100, 10);
  ASSERT_TRUE(read.ok());
  EXPECT_THAT(seqs(*read), ElementsAre(1));
  read = spool->ReadPending(0, SIZE_MAX);
  ASSERT_TRUE(read.ok());
  EXPECT_THAT(*read, IsEmpty());
  // Bounds apply across segment boundaries too (about 7 runs a segment).
  ASSERT_TRUE(spool->Acknowledge(5).ok());
  read = spool->ReadPending(12, SIZE_MAX);
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(seqs(*read), Range(6, 17));
}

TEST(SpoolTest, ManySegmentsComeBackInSeqOrderAndGoWhenAcknowledged) {
  const std::string dir = FreshDir("many");
  SpoolOptions options = SmallOptions(dir);
  options.segment_bytes = 1024;
  options.fsync = FsyncPolicy::kBatched;  // Order does not depend on it.
  auto spool = OpenSpool(options);
  ASSERT_NE(spool, nullptr);
  std::vector<uint64_t> appended;
  for (uint64_t i = 0; i < 300; ++i) {
    const uint64_t seq = 3 * i + 1;  // Gaps, as after failed reservations.
    ASSERT_TRUE(spool->Append(seq, TestRun(seq, 50 + (i * 37) % 400)).ok());
    appended.push_back(seq);
  }
  const size_t files = SegmentFiles(dir).size();
  EXPECT_GT(files, 40u);
  EXPECT_EQ(spool->stats().segments, files);
  uint64_t on_disk = 0;
  for (const std::string& f : SegmentFiles(dir)) on_disk += FileSize(f);
  EXPECT_EQ(spool->stats().bytes_on_disk, on_disk);
  EXPECT_EQ(PendingSeqs(*spool), appended);

  std::vector<uint64_t> delivered;
  size_t last_files = files;
  for (;;) {
    auto batch = spool->ReadPending(7, SIZE_MAX);
    ASSERT_TRUE(batch.ok());
    if (batch->empty()) break;
    for (const SpooledRun& r : *batch) delivered.push_back(r.seq);
    ASSERT_TRUE(spool->Acknowledge(batch->back().seq).ok());
    const size_t now = SegmentFiles(dir).size();
    EXPECT_LE(now, last_files);
    last_files = now;
  }
  EXPECT_EQ(delivered, appended);
  EXPECT_THAT(SegmentFiles(dir), IsEmpty());
  EXPECT_EQ(spool->stats().segments, 0u);
  EXPECT_EQ(spool->stats().bytes_on_disk, 0u);
}

TEST(SpoolTest, SegmentIsDeletedOnlyWhenEveryRecordInItIsAcknowledged) {
  const std::string dir = FreshDir("delete");
  SpoolOptions options = SmallOptions(dir);
  options.segment_bytes = 3 * FrameBytes(1);  // Three records a segment.
  auto spool = OpenSpool(options);
  ASSERT_NE(spool, nullptr);
  AppendRange(*spool, 1, 9);
  std::vector<std::string> files = SegmentFiles(dir);
  ASSERT_EQ(files.size(), 3u);
  EXPECT_THAT(files[0], HasSubstr("/000000000001.seg"));
  EXPECT_THAT(files[1], HasSubstr("/000000000004.seg"));
  ASSERT_TRUE(spool->Acknowledge(2).ok());
  EXPECT_EQ(SegmentFiles(dir).size(), 3u);
  ASSERT_TRUE(spool->Acknowledge(3).ok());
  EXPECT_EQ(SegmentFiles(dir), (std::vector<std::string>{files[1], files[2]}));
  ASSERT_TRUE(spool->Acknowledge(8).ok());
  EXPECT_EQ(SegmentFiles(dir), (std::vector<std::string>{files[2]}));
  EXPECT_THAT(PendingSeqs(*spool), ElementsAre(9));
  // The segment being written goes too, and appending starts a new one.
  ASSERT_TRUE(spool->Acknowledge(9).ok());
  EXPECT_THAT(SegmentFiles(dir), IsEmpty());
  AppendRange(*spool, 10, 10);
  EXPECT_THAT(SegmentFiles(dir).at(0), HasSubstr("/000000000010.seg"));
  EXPECT_THAT(PendingSeqs(*spool), ElementsAre(10));
}

TEST(SpoolTest, RejectsBadSequenceNumbersAndAcknowledgements) {
  auto spool = OpenSpool(SmallOptions(FreshDir("badseq")));
  ASSERT_NE(spool, nullptr);
  EXPECT_EQ(spool->Append(0, TestRun(0)).code(),
            absl::StatusCode::kInvalidArgument);
  ASSERT_TRUE(spool->Append(5, TestRun(5)).ok());
  absl::Status s = spool->Append(5, TestRun(5));
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(), HasSubstr("seq 5"));
  EXPECT_EQ(spool->Append(4, TestRun(4)).code(),
            absl::StatusCode::kInvalidArgument);
  s = spool->Acknowledge(6);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(), HasSubstr("above the last seq"));
  EXPECT_THAT(PendingSeqs(*spool), ElementsAre(5));
}

TEST(SpoolTest, RejectsOversizedRuns) {
  SpoolOptions options = SmallOptions(FreshDir("oversize"));
  options.segment_bytes = 256;
  options.max_bytes = 512;
  auto spool = OpenSpool(options);
  ASSERT_NE(spool, nullptr);
  EXPECT_EQ(spool->Append(1, TestRun(1, (1 << 20) + 1)).code(),
            absl::StatusCode::kInvalidArgument);
  absl::Status s = spool->Append(2, TestRun(2, 600));
  EXPECT_EQ(s.code(), absl::StatusCode::kResourceExhausted);
  EXPECT_THAT(s.message(), HasSubstr("quota"));
  EXPECT_TRUE(spool->Append(3, TestRun(3, 100)).ok());
  EXPECT_THAT(PendingSeqs(*spool), ElementsAre(3));
}

TEST(SpoolTest, RejectsBadOptions) {
  SpoolOptions o = SmallOptions("");
  EXPECT_EQ(Spool::Open(o).status().code(), absl::StatusCode::kInvalidArgument);
  o = SmallOptions(FreshDir("badopts"));
  o.segment_bytes = 10;
  EXPECT_EQ(Spool::Open(o).status().code(), absl::StatusCode::kInvalidArgument);
  o = SmallOptions(FreshDir("badopts"));
  o.max_bytes = o.segment_bytes;
  absl::Status s = Spool::Open(o).status();
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(), HasSubstr("twice segment_bytes"));
  o = SmallOptions(FreshDir("badopts"));
  o.fsync = FsyncPolicy::kBatched;
  o.batch_records = 0;
  EXPECT_EQ(Spool::Open(o).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(SpoolTest, OneSpoolPerDirectory) {
  const std::string dir = FreshDir("lock");
  auto first = OpenSpool(SmallOptions(dir));
  ASSERT_NE(first, nullptr);
  absl::StatusOr<std::unique_ptr<Spool>> second =
      Spool::Open(SmallOptions(dir));
  EXPECT_EQ(second.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(second.status().message(), HasSubstr(dir));
  first.reset();
  EXPECT_TRUE(Spool::Open(SmallOptions(dir)).ok());
}

TEST(SpoolTest, QuotaDropsOldestSegmentsAndCountsThemOnce) {
  const std::string dir = FreshDir("quota");
  SpoolOptions options = SmallOptions(dir);
  options.segment_bytes = 1024;
  options.max_bytes = 4096;
  const uint64_t total = 60;
  {
    LogCapture log;
    auto spool = OpenSpool(options);
    ASSERT_NE(spool, nullptr);
    AppendRange(*spool, 1, total, 150);
    const SpoolStats st = spool->stats();
    EXPECT_LE(st.bytes_on_disk, options.max_bytes);
    EXPECT_GE(st.bytes_on_disk, options.max_bytes - options.segment_bytes);
    EXPECT_GT(st.dropped_records, 0u);
    EXPECT_EQ(st.pending_records + st.dropped_records, total);
    EXPECT_EQ(spool->dropped_records(), st.dropped_records);
    EXPECT_EQ(spool->unreported_dropped(), st.dropped_records);
    // The newest survive, the oldest went.
    EXPECT_EQ(PendingSeqs(*spool), Range(st.dropped_records + 1, total));
    EXPECT_THAT(log.Text(), HasSubstr("event=spool.quota_dropped"));
  }
  auto spool = OpenSpool(options);
  ASSERT_NE(spool, nullptr);
  const uint64_t dropped = spool->dropped_records();
  EXPECT_GT(dropped, 0u);
  EXPECT_EQ(spool->unreported_dropped(), dropped);
  EXPECT_EQ(PendingSeqs(*spool), Range(dropped + 1, total));

  // The uplink sends unreported_dropped() with a batch; once that batch is
  // acknowledged the count is reported, also across a restart.
  const uint64_t reported = spool->unreported_dropped();
  auto batch = spool->ReadPending(5, SIZE_MAX);
  ASSERT_TRUE(batch.ok());
  ASSERT_TRUE(spool->Acknowledge(batch->back().seq, reported).ok());
  EXPECT_EQ(spool->unreported_dropped(), 0u);
  EXPECT_EQ(spool->dropped_records(), dropped);
  spool.reset();
  spool = OpenSpool(options);
  ASSERT_NE(spool, nullptr);
  EXPECT_EQ(spool->unreported_dropped(), 0u);
  EXPECT_EQ(spool->dropped_records(), dropped);

  // Acknowledged records are not counted when their segment is dropped;
  // new drops are unreported again.
  const uint64_t acked = spool->stats().acked_through;
  AppendRange(*spool, total + 1, total + 40, 150);
  const SpoolStats st = spool->stats();
  EXPECT_GT(st.dropped_records, dropped);
  EXPECT_EQ(st.unreported_dropped, st.dropped_records - dropped);
  const uint64_t acked_records = acked - dropped;  // Seqs start at 1.
  EXPECT_EQ(st.pending_records + st.dropped_records + acked_records,
            total + 40);
  // Over-reporting is capped.
  ASSERT_TRUE(spool->Acknowledge(acked, 1000000).ok());
  EXPECT_EQ(spool->unreported_dropped(), 0u);
}

class CountingWriter : public SpoolFileWriter {
 public:
  absl::Status WriteAt(int fd, absl::string_view data, uint64_t offset,
                       const std::string& path) override {
    ++writes;
    return PosixSpoolFileWriter()->WriteAt(fd, data, offset, path);
  }
  absl::Status Sync(int fd, const std::string& path) override {
    ++syncs;
    return PosixSpoolFileWriter()->Sync(fd, path);
  }
  int writes = 0;
  int syncs = 0;
};

TEST(SpoolTest, EveryRecordPolicySyncsEachAppend) {
  CountingWriter writer;
  SpoolOptions options = SmallOptions(FreshDir("fsync_every"));
  options.writer = &writer;
  auto spool = OpenSpool(options);
  ASSERT_NE(spool, nullptr);
  AppendRange(*spool, 1, 3);
  EXPECT_EQ(writer.writes, 3);
  EXPECT_EQ(writer.syncs, 3);
  EXPECT_EQ(spool->SyncDeadline(), absl::InfiniteFuture());
  ASSERT_TRUE(spool->Sync().ok());
  EXPECT_EQ(writer.syncs, 3);
}

TEST(SpoolTest, BatchedPolicySyncsByCountTimeAndOnDemand) {
  CountingWriter writer;
  const absl::Time t0 = absl::FromUnixSeconds(1700000000);
  time::FakeClock clock(t0);
  SpoolOptions options = SmallOptions(FreshDir("fsync_batched"));
  options.writer = &writer;
  options.clock = &clock;
  options.fsync = FsyncPolicy::kBatched;
  options.batch_records = 4;
  options.batch_interval = absl::Seconds(1);
  auto spool = OpenSpool(options);
  ASSERT_NE(spool, nullptr);
  AppendRange(*spool, 1, 3);
  EXPECT_EQ(writer.syncs, 0);
  EXPECT_EQ(spool->SyncDeadline(), t0 + absl::Seconds(1));
  AppendRange(*spool, 4, 4);  // Fourth unsynced record.
  EXPECT_EQ(writer.syncs, 1);
  EXPECT_EQ(spool->SyncDeadline(), absl::InfiniteFuture());

  AppendRange(*spool, 5, 5);
  clock.Advance(absl::Milliseconds(999));
  AppendRange(*spool, 6, 6);
  EXPECT_EQ(writer.syncs, 1);
  clock.Advance(absl::Milliseconds(1));
  AppendRange(*spool, 7, 7);  // The oldest unsynced is 1 s old.
  EXPECT_EQ(writer.syncs, 2);

  AppendRange(*spool, 8, 8);
  ASSERT_TRUE(spool->Sync().ok());
  EXPECT_EQ(writer.syncs, 3);
  ASSERT_TRUE(spool->Sync().ok());  // Nothing unsynced: no fsync.
  EXPECT_EQ(writer.syncs, 3);

  AppendRange(*spool, 9, 9);
  spool.reset();  // Closing syncs the rest.
  EXPECT_EQ(writer.syncs, 4);
}

TEST(SpoolTest, SealingASegmentSyncsItFirst) {
  CountingWriter writer;
  SpoolOptions options = SmallOptions(FreshDir("fsync_seal"));
  options.writer = &writer;
  options.fsync = FsyncPolicy::kBatched;
  options.batch_records = 1000;
  options.batch_interval = absl::Hours(1);
  options.segment_bytes = 2 * FrameBytes(1);
  auto spool = OpenSpool(options);
  ASSERT_NE(spool, nullptr);
  AppendRange(*spool, 1, 2);
  EXPECT_EQ(writer.syncs, 0);
  AppendRange(*spool, 3, 3);  // Starts a second segment.
  EXPECT_EQ(writer.syncs, 1);
}

}  // namespace
}  // namespace v6scope::probe::spool
