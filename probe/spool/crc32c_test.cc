#include "probe/spool/crc32c.h"

#include <cstdint>
#include <string>
#include <vector>

#include "absl/random/random.h"
#include "gtest/gtest.h"

namespace v6scope::probe::spool {
namespace {

using Extend = uint32_t (*)(uint32_t, const void*, size_t);

// Every implementation this machine can run, so both are checked against
// the same vectors.
std::vector<Extend> Implementations() {
  std::vector<Extend> impls = {&Crc32cExtendPortable, &Crc32cExtend};
  if (Crc32cHardwareAvailable()) impls.push_back(&Crc32cExtendHardware);
  return impls;
}

uint32_t Crc(Extend extend, const std::vector<uint8_t>& data) {
  return extend(0, data.data(), data.size());
}

// RFC 3720, appendix B.4 (CRC examples).
TEST(Crc32cTest, Rfc3720Vectors) {
  std::vector<uint8_t> zeros(32, 0x00);
  std::vector<uint8_t> ones(32, 0xFF);
  std::vector<uint8_t> ascending(32), descending(32);
  for (int i = 0; i < 32; ++i) {
    ascending[i] = static_cast<uint8_t>(i);
    descending[i] = static_cast<uint8_t>(31 - i);
  }
  // An iSCSI SCSI Read (10) command PDU.
  const std::vector<uint8_t> read_pdu = {
      0x01, 0xc0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
      0x00, 0x00, 0x00, 0x00, 0x14, 0x00, 0x00, 0x00, 0x00, 0x00, 0x04, 0x00,
      0x00, 0x00, 0x00, 0x14, 0x00, 0x00, 0x00, 0x18, 0x28, 0x00, 0x00, 0x00,
      0x00, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00};
  for (Extend extend : Implementations()) {
    EXPECT_EQ(Crc(extend, zeros), 0x8A9136AAu);
    EXPECT_EQ(Crc(extend, ones), 0x62A8AB43u);
    EXPECT_EQ(Crc(extend, ascending), 0x46DD794Eu);
    EXPECT_EQ(Crc(extend, descending), 0x113FDB5Cu);
    EXPECT_EQ(Crc(extend, read_pdu), 0xD9963A56u);
  }
}

TEST(Crc32cTest, CheckValueAndEmptyInput) {
  EXPECT_EQ(Crc32c("123456789"), 0xE3069283u);
  EXPECT_EQ(Crc32c(""), 0u);
  EXPECT_EQ(Crc32cExtend(0x12345678u, "", 0), 0x12345678u);
}

TEST(Crc32cTest, ExtendEqualsOneShotAtEverySplit) {
  std::string data;
  for (int i = 0; i < 100; ++i) data.push_back(static_cast<char>(i * 7 + 3));
  const uint32_t whole = Crc32c(data);
  for (Extend extend : Implementations()) {
    for (size_t split = 0; split <= data.size(); ++split) {
      uint32_t c = extend(0, data.data(), split);
      c = extend(c, data.data() + split, data.size() - split);
      EXPECT_EQ(c, whole) << "split at " << split;
    }
  }
}

// Lengths and alignments that exercise the head, word and tail loops.
TEST(Crc32cTest, HardwareAndPortableAgreeOnRandomData) {
  if (!Crc32cHardwareAvailable()) {
    GTEST_SKIP() << "no SSE4.2 on this CPU: only the portable code runs";
  }
  absl::BitGen rng;
  std::vector<uint8_t> buf(4096 + 16);
  for (uint8_t& b : buf) b = absl::Uniform<uint8_t>(rng);
  for (size_t offset = 0; offset < 16; ++offset) {
    for (size_t len : {0, 1, 7, 8, 9, 15, 16, 17, 63, 64, 65, 1000, 4096}) {
      const uint32_t seed = absl::Uniform<uint32_t>(rng);
      EXPECT_EQ(Crc32cExtendHardware(seed, buf.data() + offset, len),
                Crc32cExtendPortable(seed, buf.data() + offset, len))
          << "offset " << offset << " len " << len;
    }
  }
}

TEST(Crc32cTest, DetectsEverySingleBitFlip) {
  std::string data(64, 'x');
  const uint32_t good = Crc32c(data);
  for (size_t i = 0; i < data.size() * 8; ++i) {
    std::string bad = data;
    bad[i / 8] = static_cast<char>(bad[i / 8] ^ (1 << (i % 8)));
    EXPECT_NE(Crc32c(bad), good) << "bit " << i;
  }
}

}  // namespace
}  // namespace v6scope::probe::spool
