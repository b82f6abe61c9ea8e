#include "collector/campaign/line_reader.h"

#include <cstring>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/text/text_rules.h"

namespace v6scope::collector::campaign {
namespace {

constexpr size_t kChunkBytes = 64 * 1024;

absl::Status LineError(int64_t line, absl::string_view message) {
  return absl::InvalidArgumentError(absl::StrCat("line ", line, ": ", message));
}

}  // namespace

LineReader::LineReader(std::istream& in, size_t max_line_bytes)
    : in_(in), max_line_bytes_(max_line_bytes) {
  buffer_.resize(kChunkBytes + max_line_bytes_ + 1);
}

bool LineReader::Fill() {
  if (eof_) return false;
  // Keep the unread tail, at the front so the buffer never grows.
  std::memmove(&buffer_[0], &buffer_[begin_], end_ - begin_);
  end_ -= begin_;
  begin_ = 0;
  in_.read(&buffer_[end_], static_cast<std::streamsize>(buffer_.size() - end_));
  const size_t got = static_cast<size_t>(in_.gcount());
  end_ += got;
  if (got == 0 || !in_) eof_ = true;
  return got > 0;
}

// The byte-order marks a spreadsheet or an editor may write.
absl::Status LineReader::CheckStart() {
  started_ = true;
  while (end_ - begin_ < 3 && Fill()) {
  }
  const absl::string_view head(&buffer_[begin_], end_ - begin_);
  if (absl::StartsWith(head, "\xff\xfe") ||
      absl::StartsWith(head, "\xfe\xff")) {
    return LineError(1,
                     "the file is UTF-16 (it starts with a UTF-16 byte-order "
                     "mark): save it as UTF-8");
  }
  if (absl::StartsWith(head, "\xef\xbb\xbf")) begin_ += 3;
  return absl::OkStatus();
}

absl::Status LineReader::CheckEncoding(absl::string_view line) const {
  if (line.find('\0') != absl::string_view::npos) {
    return LineError(line_number_,
                     "contains a NUL byte: the file is binary or UTF-16 "
                     "without a byte-order mark; save it as UTF-8 text");
  }
  if (!text::IsValidUtf8(line)) {
    return LineError(line_number_,
                     "is not valid UTF-8 (Latin-1 or another legacy "
                     "encoding?): save the file as UTF-8");
  }
  return absl::OkStatus();
}

absl::StatusOr<bool> LineReader::Next(absl::string_view* line) {
  if (!started_) {
    if (absl::Status s = CheckStart(); !s.ok()) return s;
  }
  size_t scanned = 0;  // Bytes after begin_ known to hold no '\n'.
  while (true) {
    const char* start = &buffer_[begin_];
    const void* nl =
        std::memchr(start + scanned, '\n', end_ - begin_ - scanned);
    size_t length =
        nl == nullptr ? end_ - begin_ : static_cast<const char*>(nl) - start;
    if (nl == nullptr && !eof_ && length <= max_line_bytes_) {
      scanned = length;
      if (Fill()) continue;
      length = end_ - begin_;
    }
    if (nl == nullptr && length == 0) return false;
    ++line_number_;
    const size_t consumed = nl == nullptr ? length : length + 1;
    if (length > 0 && buffer_[begin_ + length - 1] == '\r') --length;
    if (length > max_line_bytes_) {
      return LineError(line_number_,
                       absl::StrCat("is longer than ", max_line_bytes_,
                                    " bytes (one domain name a line)"));
    }
    *line = absl::string_view(&buffer_[begin_], length);
    begin_ += consumed;
    if (absl::Status s = CheckEncoding(*line); !s.ok()) return s;
    return true;
  }
}

}  // namespace v6scope::collector::campaign
