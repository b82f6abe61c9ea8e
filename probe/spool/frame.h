// Spool record framing and the scanner that finds valid frames in a
// segment file, skipping damaged bytes. Internal to probe/spool; the
// layout is documented in spool.h.
//
//   offset  size  field
//   0       3     magic   F6 53 50 (0xF6 never occurs in UTF-8 text)
//   3       1     version 01
//   4       4     length  u32 LE: payload bytes, 8..kMaxPayloadBytes
//   8       4     crc     u32 LE: CRC-32C of bytes 0..7, then the payload
//   12      8     seq     u64 LE  \ payload
//   20      n     run     v6scope.v1.Run, protobuf binary  /
#ifndef V6SCOPE_PROBE_SPOOL_FRAME_H_
#define V6SCOPE_PROBE_SPOOL_FRAME_H_

#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace v6scope::probe::spool {

inline constexpr char kMagic[] = "\xF6SP\x01";  // Magic and version.
inline constexpr size_t kMagicBytes = 4;
inline constexpr size_t kHeaderBytes = 12;
inline constexpr size_t kSeqBytes = 8;
inline constexpr size_t kFrameOverhead = kHeaderBytes + kSeqBytes;
inline constexpr size_t kMaxRunBytes = size_t{1} << 20;
inline constexpr size_t kMaxPayloadBytes = kSeqBytes + kMaxRunBytes;

// The frame of one record. `run_bytes` must be at most kMaxRunBytes.
std::string EncodeFrame(uint64_t seq, absl::string_view run_bytes);

// A decoded frame; `run_bytes` points into the buffer it was decoded from.
struct Frame {
  uint64_t seq = 0;
  absl::string_view run_bytes;
};

// The whole frame's size announced by a header (the first kHeaderBytes of
// `data`), or 0 if `data` is too short or the magic, version or length is
// wrong.
size_t FrameSize(absl::string_view data);

// True if `data` is exactly one frame whose CRC matches.
bool DecodeFrame(absl::string_view data, Frame* frame);

// Reads a segment file front to back and returns its valid frames in file
// order. Between two valid frames it reports the damaged bytes it skipped:
// after a bad frame it resynchronises on the next offset where a whole
// frame with a matching CRC starts. Reads through a window of at most
// 64 KiB or one frame, never the whole file. Owns no file descriptor.
class FrameScanner {
 public:
  struct Item {
    // True: no frame is left; `skipped_*` then describes a damaged tail.
    bool end = false;
    // Bytes before this frame (or before the end) that held no valid frame;
    // skipped_offset is where the scan stood, also when nothing was skipped.
    uint64_t skipped_offset = 0;
    uint64_t skipped_bytes = 0;
    // The frame (if !end). `frame.run_bytes` is valid until the next call.
    uint64_t offset = 0;
    uint32_t size = 0;
    Frame frame;
  };

  // Scans [start, file_size) of `fd`; `path` only names it in errors.
  FrameScanner(int fd, std::string path, uint64_t start, uint64_t file_size);

  // The next item; an error only if reading the file fails.
  absl::StatusOr<Item> Next();

 private:
  // The bytes [offset, offset + n) clamped to the file, from the window.
  absl::StatusOr<absl::string_view> Fetch(uint64_t offset, size_t n);
  // True (and *frame set) if a valid frame starts at `offset`.
  absl::StatusOr<bool> ValidAt(uint64_t offset, Frame* frame, size_t* size);
  // The first offset >= `from` where a valid frame starts, or file_size_.
  absl::StatusOr<uint64_t> Resync(uint64_t from, Frame* frame, size_t* size);

  int fd_;
  std::string path_;
  uint64_t pos_;
  uint64_t file_size_;
  uint64_t window_offset_ = 0;
  std::string window_;
};

}  // namespace v6scope::probe::spool

#endif  // V6SCOPE_PROBE_SPOOL_FRAME_H_
