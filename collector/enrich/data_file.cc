#include "collector/enrich/data_file.h"

#include <sys/stat.h>
#include <zlib.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/civil_time.h"
#include "common/log/log.h"

namespace v6scope::collector::enrich {
namespace {

constexpr size_t kQuotedLineMax = 80;
constexpr int kGzipBufferBytes = 1 << 17;

absl::Status StatError(const std::string& path, int err) {
  const std::string message =
      absl::StrCat("cannot read data file ", path, ": ", std::strerror(err));
  if (err == ENOENT) return absl::NotFoundError(message);
  if (err == EACCES) return absl::PermissionDeniedError(message);
  return absl::UnavailableError(message);
}

std::string BaseName(const std::string& path) {
  const size_t slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

// MTIME of a gzip header (RFC 1952: bytes 4..7, little endian), as a date;
// "" if the file is not gzip or the field is 0 (no time stored).
std::string GzipHeaderDate(const std::string& path) {
  FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) return "";
  unsigned char header[10] = {};
  const size_t n = std::fread(header, 1, sizeof(header), f);
  std::fclose(f);
  if (n < sizeof(header) || header[0] != 0x1f || header[1] != 0x8b) return "";
  const uint32_t mtime = uint32_t{header[4]} | uint32_t{header[5]} << 8 |
                         uint32_t{header[6]} << 16 | uint32_t{header[7]} << 24;
  if (mtime == 0) return "";
  return absl::FormatTime("%Y-%m-%d", absl::FromUnixSeconds(mtime),
                          absl::UTCTimeZone());
}

// Decompresses (or, for a plain file, copies: zlib reads those
// transparently) all of `path` into `file->contents`.
absl::Status ReadThroughZlib(DataFile* file) {
  gzFile gz = gzopen(file->path.c_str(), "rb");
  if (gz == nullptr) return StatError(file->path, errno ? errno : ENOMEM);
  gzbuffer(gz, kGzipBufferBytes);
  file->gzip = gzdirect(gz) == 0;
  // Text compresses about 6:1; a plain file is read as is.
  file->contents.reserve(file->gzip ? file->size_bytes * 6 : file->size_bytes);
  std::string chunk(kGzipBufferBytes, '\0');
  while (true) {
    const int n = gzread(gz, chunk.data(), static_cast<unsigned>(chunk.size()));
    if (n > 0) {
      file->contents.append(chunk.data(), static_cast<size_t>(n));
      continue;
    }
    if (n < 0 || !gzeof(gz)) {
      int errnum = Z_OK;
      const char* message = gzerror(gz, &errnum);
      if (errnum == Z_ERRNO) {
        const int err = errno;
        gzclose(gz);
        return StatError(file->path, err);
      }
      file->truncated = true;
      file->gzip_error = message == nullptr ? "gzip error" : message;
    }
    break;
  }
  // gzclose reports a truncated stream (Z_BUF_ERROR) that gzread let pass.
  const int close_result = gzclose(gz);
  if (close_result == Z_BUF_ERROR && !file->truncated) {
    file->truncated = true;
    file->gzip_error = "unexpected end of file";
  }
  return absl::OkStatus();
}

}  // namespace

std::string DatasetVersion::ToString() const {
  if (!data_date.empty()) return absl::StrCat(name, "@", data_date);
  return absl::StrCat(
      name, "@mtime=",
      absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", modified, absl::UTCTimeZone()));
}

absl::StatusOr<DataFile> ReadDataFile(const std::string& path) {
  DataFile file;
  file.path = path;
  struct stat st;
  if (stat(path.c_str(), &st) != 0) return StatError(path, errno);
  if (!S_ISREG(st.st_mode)) {
    return absl::FailedPreconditionError(
        absl::StrCat("data file ", path, " is not a regular file"));
  }
  file.size_bytes = static_cast<uint64_t>(st.st_size);
  file.modified = absl::TimeFromTimespec(st.st_mtim);
  if (absl::Status status = ReadThroughZlib(&file); !status.ok()) {
    return status;
  }
  if (file.gzip) file.gzip_date = GzipHeaderDate(path);
  if (file.truncated) {
    log::Warn("enrich.file_truncated",
              {{"file", path},
               {"error", file.gzip_error},
               {"bytes_read", static_cast<uint64_t>(file.contents.size())}});
  }
  return file;
}

DatasetVersion VersionOf(const DataFile& file, absl::string_view kind) {
  DatasetVersion version;
  version.kind = std::string(kind);
  version.path = file.path;
  version.name = BaseName(file.path);
  version.modified = file.modified;
  version.data_date = file.gzip_date;
  version.size_bytes = file.size_bytes;
  version.truncated = file.truncated;
  return version;
}

MalformedLines::MalformedLines(std::string file, int max_logged)
    : file_(std::move(file)), max_logged_(max_logged) {}

void MalformedLines::Add(uint64_t line_number, absl::string_view reason,
                         absl::string_view line) {
  ++count_;
  if (count_ > static_cast<uint64_t>(max_logged_)) return;
  std::string text = absl::CHexEscape(line.substr(0, kQuotedLineMax));
  if (line.size() > kQuotedLineMax) text += "...";
  examples_.push_back(absl::StrCat(file_, ":", line_number, ": ", reason));
  log::Warn("enrich.malformed_line", {{"file", file_},
                                      {"line", line_number},
                                      {"reason", reason},
                                      {"text", text}});
}

void MalformedLines::AddUnterminated(uint64_t line_number,
                                     absl::string_view line) {
  unterminated_line_ = line_number;
  Add(line_number, "unterminated last line (file truncated?)", line);
}

bool ParseDecimal(absl::string_view text, uint64_t max, uint64_t* value) {
  if (text.empty() || text.size() > 20) return false;
  uint64_t result = 0;
  for (char c : text) {
    if (!absl::ascii_isdigit(c)) return false;
    const uint64_t digit = static_cast<uint64_t>(c - '0');
    if (result > (max - digit) / 10) return false;
    result = result * 10 + digit;
  }
  *value = result;
  return true;
}

bool ParseYyyymmdd(absl::string_view text, int32_t* yyyymmdd) {
  if (text.empty() || text == "00000000") {
    *yyyymmdd = 0;
    return true;
  }
  uint64_t value = 0;
  if (text.size() != 8 || !ParseDecimal(text, 99999999, &value)) return false;
  const int year = static_cast<int>(value / 10000);
  const int month = static_cast<int>(value / 100 % 100);
  const int day = static_cast<int>(value % 100);
  if (year < 1970 || year > 2999) return false;
  const absl::CivilDay civil(year, month, day);
  // CivilDay normalises out-of-range fields (2019-02-30 → 2019-03-02).
  if (civil.month() != month || civil.day() != day) return false;
  *yyyymmdd = static_cast<int32_t>(value);
  return true;
}

std::string FormatYyyymmdd(int32_t yyyymmdd) {
  if (yyyymmdd <= 0) return "";
  return absl::StrFormat("%04d-%02d-%02d", yyyymmdd / 10000,
                         yyyymmdd / 100 % 100, yyyymmdd % 100);
}

}  // namespace v6scope::collector::enrich
