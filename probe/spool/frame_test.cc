#include "probe/spool/frame.h"

#include <fcntl.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"

namespace v6scope::probe::spool {
namespace {

struct Scanned {
  std::vector<uint64_t> seqs;
  std::vector<uint64_t> offsets;
  // (offset, bytes) of each skipped region; the tail's is last if any.
  std::vector<std::pair<uint64_t, uint64_t>> skipped;
  bool damaged_tail = false;
};

Scanned ScanBytes(const std::string& bytes) {
  static int counter = 0;
  const std::string path =
      absl::StrCat(::testing::TempDir(), "/frame_test_", ++counter);
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_TRUNC, 0600);
  EXPECT_GE(fd, 0);
  EXPECT_EQ(::write(fd, bytes.data(), bytes.size()),
            static_cast<ssize_t>(bytes.size()));
  FrameScanner scanner(fd, path, 0, bytes.size());
  Scanned out;
  for (;;) {
    absl::StatusOr<FrameScanner::Item> item = scanner.Next();
    EXPECT_TRUE(item.ok()) << item.status();
    if (!item.ok()) break;
    if (item->skipped_bytes > 0) {
      out.skipped.emplace_back(item->skipped_offset, item->skipped_bytes);
    }
    if (item->end) {
      out.damaged_tail = item->skipped_bytes > 0;
      break;
    }
    out.seqs.push_back(item->frame.seq);
    out.offsets.push_back(item->offset);
    EXPECT_EQ(item->frame.run_bytes, absl::StrCat("run-", item->frame.seq));
  }
  ::close(fd);
  ::unlink(path.c_str());
  return out;
}

std::string F(uint64_t seq) {
  return EncodeFrame(seq, absl::StrCat("run-", seq));
}

TEST(FrameTest, LayoutIsHeaderSeqRun) {
  const std::string frame = EncodeFrame(0x0102030405060708, "abc");
  ASSERT_EQ(frame.size(), kFrameOverhead + 3);
  EXPECT_EQ(frame.substr(0, 4), std::string("\xF6SP\x01"));
  EXPECT_EQ(frame.substr(4, 4), std::string("\x0B\x00\x00\x00", 4));  // 8+3
  EXPECT_EQ(frame.substr(12, 8), "\x08\x07\x06\x05\x04\x03\x02\x01");
  EXPECT_EQ(frame.substr(20), "abc");
  Frame decoded;
  ASSERT_TRUE(DecodeFrame(frame, &decoded));
  EXPECT_EQ(decoded.seq, 0x0102030405060708u);
  EXPECT_EQ(decoded.run_bytes, "abc");
  EXPECT_EQ(FrameSize(frame), frame.size());
}

TEST(FrameTest, EveryByteIsCovered) {
  const std::string frame = F(7);
  for (size_t i = 0; i < frame.size(); ++i) {
    std::string bad = frame;
    bad[i] = static_cast<char>(bad[i] ^ 0x20);
    Frame decoded;
    EXPECT_FALSE(DecodeFrame(bad, &decoded)) << "byte " << i;
  }
  Frame decoded;
  EXPECT_FALSE(DecodeFrame(frame.substr(0, frame.size() - 1), &decoded));
  EXPECT_FALSE(DecodeFrame(frame + "x", &decoded));
}

TEST(FrameTest, RejectsImpossibleLengths) {
  std::string frame = F(1);
  frame[4] = 7;  // Less than the seq alone.
  frame[5] = frame[6] = frame[7] = 0;
  EXPECT_EQ(FrameSize(frame), 0u);
  frame[7] = 0x7F;  // Far above kMaxPayloadBytes.
  EXPECT_EQ(FrameSize(frame), 0u);
  EXPECT_EQ(FrameSize("\xF6SP"), 0u);
}

TEST(FrameTest, ScannerReadsCleanFile) {
  Scanned s = ScanBytes(F(1) + F(2) + F(3));
  EXPECT_EQ(s.seqs, (std::vector<uint64_t>{1, 2, 3}));
  EXPECT_TRUE(s.skipped.empty());
  EXPECT_TRUE(ScanBytes("").seqs.empty());
}

TEST(FrameTest, ScannerSkipsDamagedMiddleFrame) {
  std::string bad = F(2);
  bad[22] ^= 1;  // Inside the run bytes: only the CRC notices.
  const std::string bytes = F(1) + bad + F(3);
  Scanned s = ScanBytes(bytes);
  EXPECT_EQ(s.seqs, (std::vector<uint64_t>{1, 3}));
  ASSERT_EQ(s.skipped.size(), 1u);
  EXPECT_EQ(s.skipped[0].first, F(1).size());
  EXPECT_EQ(s.skipped[0].second, bad.size());
  EXPECT_FALSE(s.damaged_tail);
}

TEST(FrameTest, ScannerReportsTornAndGarbageTails) {
  const std::string two = F(1) + F(2);
  Scanned torn = ScanBytes(two + F(3).substr(0, 15));
  EXPECT_EQ(torn.seqs, (std::vector<uint64_t>{1, 2}));
  EXPECT_TRUE(torn.damaged_tail);
  ASSERT_EQ(torn.skipped.size(), 1u);
  EXPECT_EQ(torn.skipped[0].first, two.size());
  EXPECT_EQ(torn.skipped[0].second, 15u);
  Scanned garbage = ScanBytes(two + "\xF6SP\x01garbage");
  EXPECT_EQ(garbage.seqs, (std::vector<uint64_t>{1, 2}));
  EXPECT_TRUE(garbage.damaged_tail);
}

// A long damaged stretch is crossed window by window, including a magic
// that straddles the boundary of the 64 KiB read window.
TEST(FrameTest, ScannerResyncsAcrossReadWindows) {
  for (size_t garbage : {65536 - 2, 65536 - 1, 65536, 200000}) {
    std::string bytes = F(1);
    bytes.append(garbage, '\xF6');  // Half a magic, over and over.
    const uint64_t expect_offset = bytes.size();
    bytes += F(2);
    Scanned s = ScanBytes(bytes);
    EXPECT_EQ(s.seqs, (std::vector<uint64_t>{1, 2})) << garbage;
    ASSERT_EQ(s.offsets.size(), 2u);
    EXPECT_EQ(s.offsets[1], expect_offset);
  }
}

}  // namespace
}  // namespace v6scope::probe::spool
