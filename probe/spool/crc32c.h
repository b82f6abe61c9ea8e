// CRC-32C (Castagnoli: polynomial 0x1EDC6F41, reflected 0x82F63B78), the
// checksum of iSCSI (RFC 3720), ext4 and SSE4.2's crc32 instruction. The
// spool frames every record with it (probe/spool/frame.h).
//
// Crc32cExtend uses the SSE4.2 instruction when the CPU has it (checked
// once, at first use) and a slicing-by-8 table otherwise; both give the
// same values. Pure functions; thread-safe.
#ifndef V6SCOPE_PROBE_SPOOL_CRC32C_H_
#define V6SCOPE_PROBE_SPOOL_CRC32C_H_

#include <cstddef>
#include <cstdint>

#include "absl/strings/string_view.h"

namespace v6scope::probe::spool {

// The CRC of the bytes whose CRC is `crc` followed by data[0, n): so
// Crc32cExtend(Crc32c(a), b) == Crc32c(a + b), and Crc32c(x) is
// Crc32cExtend(0, x). Values are the standard ones (init and final XOR
// 0xFFFFFFFF): Crc32c("123456789") == 0xE3069283.
uint32_t Crc32cExtend(uint32_t crc, const void* data, size_t n);

inline uint32_t Crc32c(const void* data, size_t n) {
  return Crc32cExtend(0, data, n);
}
inline uint32_t Crc32c(absl::string_view data) {
  return Crc32cExtend(0, data.data(), data.size());
}

// The two implementations, for tests and benchmarks. The hardware one may
// only be called if Crc32cHardwareAvailable().
uint32_t Crc32cExtendPortable(uint32_t crc, const void* data, size_t n);
uint32_t Crc32cExtendHardware(uint32_t crc, const void* data, size_t n);
bool Crc32cHardwareAvailable();

}  // namespace v6scope::probe::spool

#endif  // V6SCOPE_PROBE_SPOOL_CRC32C_H_
