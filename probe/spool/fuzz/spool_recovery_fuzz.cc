// Fuzzes spool recovery: the input becomes the segment file(s) (and
// optionally the state file) of a spool directory, which is then opened,
// read, appended to and acknowledged.
//
// Frames carry a CRC-32C the fuzzer cannot forge, so random bytes alone
// would only ever test "garbage is skipped". Input byte 0 picks a mode:
// raw (the rest is one segment, byte for byte), or framed, where the rest
// is a list of records the harness frames validly and then damages as
// each record's control byte says (see AppendRecord). Both reach the
// scanner's resynchronisation, tail truncation and seq-order checks.
#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "common/fs/files.h"
#include "common/log/log.h"
#include "google/protobuf/stubs/logging.h"
#include "probe/spool/file_writer.h"
#include "probe/spool/frame.h"
#include "probe/spool/spool.h"

namespace v6scope::probe::spool::fuzz {
namespace {

// Mode bits of input byte 0.
constexpr uint8_t kFramed = 1 << 0;
constexpr uint8_t kStateFile = 1 << 1;
constexpr uint8_t kTwoSegments = 1 << 2;
constexpr uint8_t kAppendAfterOpen = 1 << 3;
constexpr uint8_t kTruncateTail = 1 << 4;

// Writes without fdatasync: durability is not under test, and a sync per
// execution would make the fuzzer disk-bound.
class NoSyncWriter : public SpoolFileWriter {
 public:
  absl::Status WriteAt(int fd, absl::string_view data, uint64_t offset,
                       const std::string& path) override {
    if (::pwrite(fd, data.data(), data.size(), static_cast<off_t>(offset)) !=
        static_cast<ssize_t>(data.size())) {
      return absl::InternalError(absl::StrCat("short write to ", path));
    }
    return absl::OkStatus();
  }
  absl::Status Sync(int, const std::string&) override {
    return absl::OkStatus();
  }
};

const std::string& SpoolDir() {
  static const std::string* dir = [] {
    const char* tmp = std::getenv("TMPDIR");
    return new std::string(absl::StrCat(tmp != nullptr ? tmp : "/tmp",
                                        "/v6scope-spool-fuzz.", ::getpid()));
  }();
  return *dir;
}

void ClearDir(const std::string& dir) {
  DIR* d = ::opendir(dir.c_str());
  if (d == nullptr) return;
  while (const struct dirent* entry = ::readdir(d)) {
    const absl::string_view name = entry->d_name;
    if (name == "." || name == "..") continue;
    ::unlink(absl::StrCat(dir, "/", name).c_str());
  }
  ::closedir(d);
}

void WriteOrDie(const std::string& path, const std::string& bytes) {
  if (!fs::WriteFileAtomically(path, bytes, 0600).ok()) std::abort();
}

// One record of the framed mode: control byte, run length, run bytes.
// Control bits: 0-1 seq step (3 = one step back: out of order), 2 flip a
// byte of the frame, 3-6 which byte, 7 prefix the frame with garbage.
void AppendRecord(absl::string_view* in, uint64_t* seq, std::string* out) {
  const uint8_t control = static_cast<uint8_t>((*in)[0]);
  const size_t length =
      in->size() > 1
          ? std::min<size_t>(static_cast<uint8_t>((*in)[1]), in->size() - 2)
          : 0;
  const absl::string_view run =
      in->substr(std::min<size_t>(2, in->size()), length);
  in->remove_prefix(std::min(in->size(), 2 + length));
  const int step = control & 3;
  *seq = step == 3 ? *seq - 1 : *seq + 1 + step;
  std::string frame = EncodeFrame(*seq, run);
  if (control & 4) frame[((control >> 3) & 15) % frame.size()] ^= 0x5a;
  if (control & 0x80) out->append(absl::StrCat("garbage", control));
  out->append(frame);
}

std::vector<std::string> Segments(uint8_t mode, absl::string_view rest) {
  std::vector<std::string> segments(1);
  if (!(mode & kFramed)) {
    segments[0] = std::string(rest);
    return segments;
  }
  const size_t half = rest.size() / 2;
  uint64_t seq = 0;
  while (!rest.empty()) {
    if ((mode & kTwoSegments) && segments.size() == 1 && rest.size() <= half) {
      segments.emplace_back();
    }
    AppendRecord(&rest, &seq, &segments.back());
  }
  std::string& last = segments.back();
  if ((mode & kTruncateTail) && !last.empty()) {
    last.resize(last.size() - 1 - (mode >> 5) % last.size());
  }
  return segments;
}

// Reads every pending record; the order recovery promises must hold.
void CheckPending(Spool* spool) {
  absl::StatusOr<std::vector<SpooledRun>> pending =
      spool->ReadPending(100000, size_t{1} << 30);
  if (!pending.ok()) return;
  const SpoolStats stats = spool->stats();
  uint64_t previous = stats.acked_through;
  for (const SpooledRun& run : *pending) {
    if (run.seq <= previous) std::abort();  // Out of order or not pending.
    previous = run.seq;
  }
}

void FuzzSpool(const uint8_t* data, size_t size) {
  if (size == 0) return;
  const uint8_t mode = data[0];
  const absl::string_view rest(reinterpret_cast<const char*>(data) + 1,
                               size - 1);
  const std::string& dir = SpoolDir();
  if (!fs::MakeDirs(dir, 0700).ok()) std::abort();
  ClearDir(dir);
  const std::vector<std::string> segments = Segments(mode, rest);
  for (size_t i = 0; i < segments.size(); ++i) {
    WriteOrDie(absl::StrCat(dir, "/00000000000", i + 1, ".seg"), segments[i]);
  }
  if (mode & kStateFile) {
    WriteOrDie(absl::StrCat(dir, "/state"),
               absl::StrCat("acked_through=", (mode >> 5), "\n"));
  }
  static NoSyncWriter writer;
  SpoolOptions options;
  options.dir = dir;
  options.segment_bytes = 4096;
  options.max_bytes = 3 * 4096;
  options.writer = &writer;
  absl::StatusOr<std::unique_ptr<Spool>> spool = Spool::Open(options);
  if (!spool.ok()) return;
  CheckPending(spool->get());
  if (mode & kAppendAfterOpen) {
    const uint64_t last = (*spool)->stats().last_seq;
    v6scope::v1::Run run;
    (void)(*spool)->Append(last + 1, run);
    (void)(*spool)->Acknowledge(last);
    CheckPending(spool->get());
  }
}

}  // namespace
}  // namespace v6scope::probe::spool::fuzz

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  // Protobuf logs every invalid UTF-8 string field it rejects.
  google::protobuf::SetLogHandler(nullptr);
  // Recovery logs every damaged record: not to the terminal, millions of
  // times.
  v6scope::log::SetMinLevel(v6scope::log::Level::kError);
  v6scope::log::SetOutputFd(::open("/dev/null", O_WRONLY | O_CLOEXEC));
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  v6scope::probe::spool::fuzz::FuzzSpool(data, size);
  return 0;
}
