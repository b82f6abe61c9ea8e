// Reads a domain list line by line from a stream in bounded memory (a
// 10-million-line upload is refused at its limit, never loaded whole), and
// owns the encoding rules: UTF-8 only (a UTF-8 byte-order mark is
// skipped; UTF-16, NUL bytes and invalid UTF-8 are errors naming the
// line), "\n" or "\r\n" line ends, a bound on the line length.
#ifndef V6SCOPE_COLLECTOR_CAMPAIGN_LINE_READER_H_
#define V6SCOPE_COLLECTOR_CAMPAIGN_LINE_READER_H_

#include <cstdint>
#include <istream>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace v6scope::collector::campaign {

inline constexpr size_t kMaxLineBytes = 8192;

class LineReader {
 public:
  explicit LineReader(std::istream& in, size_t max_line_bytes = kMaxLineBytes);

  // The next line without its end into `*line` (valid until the next
  // call): true; false at the end of the input; INVALID_ARGUMENT "line N:
  // ..." for an encoding fault or a line over the bound.
  absl::StatusOr<bool> Next(absl::string_view* line);

  // Number of the line last returned (1-based).
  int64_t line_number() const { return line_number_; }

 private:
  // Reads more input after the unread part; false at the end of input.
  bool Fill();
  absl::Status CheckEncoding(absl::string_view line) const;
  absl::Status CheckStart();

  std::istream& in_;
  const size_t max_line_bytes_;
  std::string buffer_;
  size_t begin_ = 0;  // Unread bytes are buffer_[begin_, end_).
  size_t end_ = 0;
  bool eof_ = false;
  bool started_ = false;
  int64_t line_number_ = 0;
};

}  // namespace v6scope::collector::campaign

#endif  // V6SCOPE_COLLECTOR_CAMPAIGN_LINE_READER_H_
