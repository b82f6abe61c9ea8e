// Reading the attribution data files (CAIDA pfx2as, RIR statistics exchange
// files, AS names): whole-file reads with transparent gzip, a line loop that
// refuses a truncated last line, and the malformed-line accounting every
// parser shares. Also the dataset version recorded with enriched results.
//
// Everything here is used at load time only, on the loading thread.
#ifndef V6SCOPE_COLLECTOR_ENRICH_DATA_FILE_H_
#define V6SCOPE_COLLECTOR_ENRICH_DATA_FILE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace v6scope::collector::enrich {

// Identity and freshness of one input file, as recorded with every
// enriched result (docs/attribution.md, "Dataset versions").
struct DatasetVersion {
  std::string kind;  // "pfx2as", "rir" or "as_names".
  std::string path;
  std::string name;  // Base name of `path`.
  // Last modification time of the file on disk.
  absl::Time modified = absl::InfinitePast();
  // "YYYY-MM-DD" from the data itself (RIR: the version line's end date;
  // gzip: the header's MTIME), "" when the file carries none.
  std::string data_date;
  std::string registry;  // RIR files: the registry of the version line.
  uint64_t size_bytes = 0;
  uint64_t lines = 0;      // Physical lines read.
  uint64_t records = 0;    // Data records accepted.
  uint64_t malformed = 0;  // Lines skipped as malformed.
  // The gzip stream ended early or was corrupt, or the last line had no
  // newline: what was valid before that point was loaded.
  bool truncated = false;
  // A newer file of the same registry replaced this one (RIR files only).
  bool superseded = false;
  // Why the file did not load whole, "file:line: why"; "" when it did. Set
  // only when loading with allow_partial (otherwise the load fails).
  std::string problem;
  // The file was damaged beyond partial use (an RIR file whose records
  // are not its version line's registry) and nothing of it is used.
  bool refused = false;

  // "delegated-apnic-latest@2024-11-08", or
  // "asn.txt@mtime=2026-01-20T10:00:00Z" when the file has no date.
  std::string ToString() const;
};

// A file's contents, decompressed if it was gzip (detected by its magic
// bytes, not by its name).
struct DataFile {
  std::string path;
  std::string contents;
  bool gzip = false;
  // The gzip stream was cut short or corrupt; `contents` holds what was
  // decompressed before that.
  bool truncated = false;
  std::string gzip_error;
  absl::Time modified = absl::InfinitePast();
  uint64_t size_bytes = 0;
  // "YYYY-MM-DD" of the gzip header's MTIME, "" if none (or not gzip).
  std::string gzip_date;
};

// Reads the whole of `path`. NOT_FOUND / PERMISSION_DENIED etc. name the
// path; a truncated or corrupt gzip stream is not an error (see
// DataFile::truncated).
absl::StatusOr<DataFile> ReadDataFile(const std::string& path);

// DatasetVersion fields known from the file itself (path, name, mtime,
// size, gzip date, truncation).
DatasetVersion VersionOf(const DataFile& file, absl::string_view kind);

// Counts the malformed lines of one file; logs the first few (file:line and
// why) through common/log, so an operator can find them, without flooding
// the log with a garbled file's every line.
class MalformedLines {
 public:
  static constexpr int kDefaultMaxLogged = 5;

  explicit MalformedLines(std::string file, int max_logged = kDefaultMaxLogged);

  void Add(uint64_t line_number, absl::string_view reason,
           absl::string_view line);

  // The last line has no newline: the file was cut there. Counts as a
  // malformed line too.
  void AddUnterminated(uint64_t line_number, absl::string_view line);

  const std::string& file() const { return file_; }
  uint64_t count() const { return count_; }
  // Number of the unterminated last line; 0 if the file ended cleanly.
  uint64_t unterminated_line() const { return unterminated_line_; }
  // "file:line: reason" of the first max_logged lines.
  const std::vector<std::string>& examples() const { return examples_; }

 private:
  std::string file_;
  int max_logged_;
  uint64_t count_ = 0;
  uint64_t unterminated_line_ = 0;
  std::vector<std::string> examples_;
};

// Calls fn(line_number, line) for each line of `contents` (1-based numbers;
// the '\n' and any '\r' before it stripped). A non-empty last line without
// a newline is reported to `bad` as truncated instead: a cut-off record
// ("1.2.3.0<TAB>24<TAB>133" of "13335") would otherwise parse as a
// different, valid record. Returns the number of lines seen.
template <typename Fn>
uint64_t ForEachLine(absl::string_view contents, MalformedLines* bad, Fn fn) {
  uint64_t number = 0;
  size_t pos = 0;
  while (pos < contents.size()) {
    ++number;
    const size_t newline = contents.find('\n', pos);
    if (newline == absl::string_view::npos) {
      bad->AddUnterminated(number, contents.substr(pos));
      break;
    }
    absl::string_view line = contents.substr(pos, newline - pos);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    fn(number, line);
    pos = newline + 1;
  }
  return number;
}

// Strict unsigned decimal (digits only, no sign or spaces, no overflow).
bool ParseDecimal(absl::string_view text, uint64_t max, uint64_t* value);

// "YYYYMMDD" → true with *yyyymmdd set (a real calendar day, year
// 1970..2999); "" and "00000000" → true with 0 (unknown); anything else
// false.
bool ParseYyyymmdd(absl::string_view text, int32_t* yyyymmdd);

// 20241108 → "2024-11-08"; 0 → "".
std::string FormatYyyymmdd(int32_t yyyymmdd);

}  // namespace v6scope::collector::enrich

#endif  // V6SCOPE_COLLECTOR_ENRICH_DATA_FILE_H_
