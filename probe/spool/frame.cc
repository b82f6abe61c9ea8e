#include "probe/spool/frame.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "common/fs/files.h"
#include "probe/spool/crc32c.h"

namespace v6scope::probe::spool {
namespace {

constexpr size_t kWindowBytes = 64 * 1024;

void PutU32(char* p, uint32_t v) {
  for (int i = 0; i < 4; ++i) p[i] = static_cast<char>((v >> (8 * i)) & 0xFF);
}

void PutU64(char* p, uint64_t v) {
  for (int i = 0; i < 8; ++i) p[i] = static_cast<char>((v >> (8 * i)) & 0xFF);
}

uint32_t GetU32(const char* p) {
  uint32_t v = 0;
  for (int i = 3; i >= 0; --i) v = (v << 8) | static_cast<uint8_t>(p[i]);
  return v;
}

uint64_t GetU64(const char* p) {
  uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | static_cast<uint8_t>(p[i]);
  return v;
}

// CRC of the magic, version and length, then of the payload.
uint32_t FrameCrc(const char* header, absl::string_view payload) {
  const uint32_t c = Crc32c(header, 8);
  return Crc32cExtend(c, payload.data(), payload.size());
}

}  // namespace

std::string EncodeFrame(uint64_t seq, absl::string_view run_bytes) {
  std::string out(kFrameOverhead + run_bytes.size(), '\0');
  char* p = out.data();
  std::memcpy(p, kMagic, kMagicBytes);
  PutU32(p + 4, static_cast<uint32_t>(kSeqBytes + run_bytes.size()));
  PutU64(p + kHeaderBytes, seq);
  std::memcpy(p + kFrameOverhead, run_bytes.data(), run_bytes.size());
  const absl::string_view payload(p + kHeaderBytes, out.size() - kHeaderBytes);
  PutU32(p + 8, FrameCrc(p, payload));
  return out;
}

size_t FrameSize(absl::string_view data) {
  if (data.size() < kHeaderBytes) return 0;
  if (std::memcmp(data.data(), kMagic, kMagicBytes) != 0) return 0;
  const uint32_t length = GetU32(data.data() + 4);
  if (length < kSeqBytes || length > kMaxPayloadBytes) return 0;
  return kHeaderBytes + length;
}

bool DecodeFrame(absl::string_view data, Frame* frame) {
  const size_t size = FrameSize(data);
  if (size == 0 || size != data.size()) return false;
  const absl::string_view payload = data.substr(kHeaderBytes);
  if (GetU32(data.data() + 8) != FrameCrc(data.data(), payload)) return false;
  frame->seq = GetU64(payload.data());
  frame->run_bytes = payload.substr(kSeqBytes);
  return true;
}

FrameScanner::FrameScanner(int fd, std::string path, uint64_t start,
                           uint64_t file_size)
    : fd_(fd), path_(std::move(path)), pos_(start), file_size_(file_size) {}

absl::StatusOr<absl::string_view> FrameScanner::Fetch(uint64_t offset,
                                                      size_t n) {
  if (offset >= file_size_) return absl::string_view();
  n = static_cast<size_t>(std::min<uint64_t>(n, file_size_ - offset));
  if (offset >= window_offset_ &&
      offset + n <= window_offset_ + window_.size()) {
    return absl::string_view(window_).substr(offset - window_offset_, n);
  }
  const size_t want = static_cast<size_t>(
      std::min<uint64_t>(std::max(n, kWindowBytes), file_size_ - offset));
  window_.resize(want);
  window_offset_ = offset;
  size_t got = 0;
  while (got < want) {
    ssize_t r = ::pread(fd_, window_.data() + got, want - got,
                        static_cast<off_t>(offset + got));
    if (r < 0 && errno == EINTR) continue;
    if (r < 0) return fs::ErrnoError("cannot read", path_);
    if (r == 0) break;  // Shorter than fstat said: treat the rest as absent.
    got += static_cast<size_t>(r);
  }
  window_.resize(got);
  if (got < want) file_size_ = offset + got;
  return absl::string_view(window_).substr(0, std::min(n, got));
}

absl::StatusOr<bool> FrameScanner::ValidAt(uint64_t offset, Frame* frame,
                                           size_t* size) {
  absl::StatusOr<absl::string_view> header = Fetch(offset, kHeaderBytes);
  if (!header.ok()) return header.status();
  *size = FrameSize(*header);
  if (*size == 0) return false;
  absl::StatusOr<absl::string_view> whole = Fetch(offset, *size);
  if (!whole.ok()) return whole.status();
  return DecodeFrame(*whole, frame);
}

absl::StatusOr<uint64_t> FrameScanner::Resync(uint64_t from, Frame* frame,
                                              size_t* size) {
  const absl::string_view magic(kMagic, kMagicBytes);
  uint64_t pos = from;
  while (pos + kFrameOverhead <= file_size_) {
    absl::StatusOr<absl::string_view> window = Fetch(pos, kWindowBytes);
    if (!window.ok()) return window.status();
    const size_t hit = window->find(magic);
    if (hit == absl::string_view::npos) {
      // Keep the last bytes: a magic may straddle the window's end.
      if (window->size() <= kMagicBytes) break;
      pos += window->size() - (kMagicBytes - 1);
      continue;
    }
    absl::StatusOr<bool> valid = ValidAt(pos + hit, frame, size);
    if (!valid.ok()) return valid.status();
    if (*valid) return pos + hit;
    pos += hit + 1;
  }
  return file_size_;
}

absl::StatusOr<FrameScanner::Item> FrameScanner::Next() {
  Item item;
  item.skipped_offset = pos_;
  size_t size = 0;
  uint64_t at = pos_;
  if (pos_ < file_size_) {
    absl::StatusOr<bool> valid = ValidAt(pos_, &item.frame, &size);
    if (!valid.ok()) return valid.status();
    if (!*valid) {
      absl::StatusOr<uint64_t> next = Resync(pos_ + 1, &item.frame, &size);
      if (!next.ok()) return next.status();
      at = *next;
      item.skipped_bytes = at - pos_;
    }
  }
  if (at >= file_size_) {
    item.end = true;
    pos_ = file_size_;
    return item;
  }
  item.offset = at;
  item.size = static_cast<uint32_t>(size);
  pos_ = at + size;
  return item;
}

}  // namespace v6scope::probe::spool
