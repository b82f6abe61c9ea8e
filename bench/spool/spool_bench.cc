// spool_bench: what the probe's spool costs on this machine's disk.
//
//   1. Append throughput of realistic runs (about 2 KB serialized) with
//      fsync after every record and with batched fsync, in the same run,
//      and their ratio.
//   2. Recovery: Open() of a spool of --recovery_mb megabytes, with the
//      segments in the page cache (warm) and after dropping them from it
//      with posix_fadvise (cold: read from disk; no root needed).
//   3. CRC-32C throughput, hardware and portable.
// Prints a readable report, then one "RESULT ..." line for scripts. Writes
// under --dir, which must be on the disk to measure (not a tmpfs), and
// removes what it wrote.
//
//   spool_bench --dir=/var/tmp/spool-bench
#include <dirent.h>
#include <fcntl.h>
#include <ftw.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/cli/flags.h"
#include "common/fs/files.h"
#include "common/log/log.h"
#include "methodology/synthetic/run_generator.h"
#include "probe/spool/crc32c.h"
#include "probe/spool/spool.h"
#include "proto/results.pb.h"

ABSL_FLAG(std::string, dir, "",
          "scratch directory on the disk to measure (default: $TMPDIR or "
          "/var/tmp, plus a per-process name); emptied afterwards");
ABSL_FLAG(int, every_records, 2000,
          "runs appended with fsync after every record");
ABSL_FLAG(int, batched_records, 20000, "runs appended with batched fsync");
ABSL_FLAG(int, batch_records, 64, "batched: fsync at least every N records");
ABSL_FLAG(absl::Duration, batch_interval, absl::Milliseconds(100),
          "batched: fsync when the oldest unsynced record is this old");
ABSL_FLAG(int, recovery_mb, 100, "size of the spool whose Open() is timed");

namespace v6scope::bench::spool {
namespace {

constexpr char kUsage[] =
    "spool_bench: append throughput (fsync per record vs batched) and "
    "recovery time of the probe's spool.\n"
    "usage: spool_bench [--dir=DIR] [--recovery_mb=100]";

using probe::spool::FsyncPolicy;
using probe::spool::Spool;
using probe::spool::SpoolOptions;

// A run as the capability suite produces it, as full as a run gets (the
// spool's figures were taken with runs of about 2 KB): eleven tests with
// long targets, timings, resolution and addresses on every test, and a
// failure with detail (a path-MTU black hole).
v6scope::v1::Run RealisticRun(uint64_t seq) {
  methodology::synthetic::NetworkProfile network;
  network.capability = v6scope::v1::V6_CAPABLE;
  network.pmtu_black_hole = true;
  network.v4_public_prefix = "198.51.100.0/24";
  network.v6_public_prefix = "2001:db8:4321::/48";
  methodology::synthetic::RunShape shape;
  shape.http_resolution = true;
  // A per-probe session token in every URL: the long targets of the runs
  // the spool's figures were taken with.
  shape.target_query = absl::StrFormat(
      "?probe=%d&session=%016x%016x%08x", seq, seq * 0x9e3779b97f4a7c15u,
      ~seq * 0xc2b2ae3d27d4eb4fu, static_cast<uint32_t>(seq * 2654435761u));
  shape.probe_version = "v6scope-probe 0.9.0 (debian12)";
  methodology::synthetic::RunGenerator generator(static_cast<uint32_t>(seq));
  return generator.Generate(
      network, absl::FromUnixSeconds(1'700'000'000) + absl::Seconds(seq),
      shape);
}

void RemoveTree(const std::string& dir) {
  ::nftw(
      dir.c_str(),
      [](const char* path, const struct stat*, int, struct FTW*) {
        return ::remove(path);
      },
      16, FTW_DEPTH | FTW_PHYS);
}

std::unique_ptr<Spool> OpenOrDie(const SpoolOptions& options) {
  absl::StatusOr<std::unique_ptr<Spool>> spool = Spool::Open(options);
  if (!spool.ok()) cli::Die(spool.status().ToString(), 1);
  return *std::move(spool);
}

struct AppendResult {
  int records = 0;
  double seconds = 0;
  double rate() const { return records / seconds; }
};

AppendResult TimeAppends(const std::string& dir, FsyncPolicy policy,
                         int records) {
  RemoveTree(dir);
  SpoolOptions options;
  options.dir = dir;
  options.max_bytes = uint64_t{1} << 30;
  options.segment_bytes = 4 << 20;
  options.fsync = policy;
  options.batch_records =
      static_cast<uint32_t>(absl::GetFlag(FLAGS_batch_records));
  options.batch_interval = absl::GetFlag(FLAGS_batch_interval);
  std::unique_ptr<Spool> spool = OpenOrDie(options);
  std::vector<v6scope::v1::Run> runs;
  for (int i = 0; i < 16; ++i) runs.push_back(RealisticRun(i));
  const absl::Time start = absl::Now();
  for (int i = 0; i < records; ++i) {
    absl::Status s = spool->Append(i + 1, runs[i % runs.size()]);
    if (!s.ok()) cli::Die(s.ToString(), 1);
  }
  absl::Status s = spool->Sync();  // Everything durable, for both.
  if (!s.ok()) cli::Die(s.ToString(), 1);
  AppendResult r;
  r.records = records;
  r.seconds = absl::ToDoubleSeconds(absl::Now() - start);
  spool.reset();
  RemoveTree(dir);
  return r;
}

// Drops a spool's segment files from the page cache (they are clean after
// the spool's sync), so the next Open reads them from the disk.
void EvictFromPageCache(const std::string& dir) {
  DIR* d = ::opendir(dir.c_str());
  if (d == nullptr) return;
  while (const struct dirent* e = ::readdir(d)) {
    const int fd =
        ::open(absl::StrCat(dir, "/", e->d_name).c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) continue;
    ::fdatasync(fd);
    ::posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
    ::close(fd);
  }
  ::closedir(d);
}

struct RecoveryResult {
  uint64_t bytes = 0;
  uint64_t records = 0;
  uint64_t segments = 0;
  double warm_seconds = 0;
  double cold_seconds = 0;
};

RecoveryResult TimeRecovery(const std::string& dir, int megabytes) {
  RemoveTree(dir);
  SpoolOptions options;
  options.dir = dir;
  options.max_bytes = (uint64_t{1} << 20) * (megabytes + 64);
  options.segment_bytes = 4 << 20;
  options.fsync = FsyncPolicy::kBatched;
  options.batch_records = 1 << 20;
  options.batch_interval = absl::Hours(1);
  const uint64_t target = (uint64_t{1} << 20) * megabytes;
  {
    std::unique_ptr<Spool> spool = OpenOrDie(options);
    const v6scope::v1::Run run = RealisticRun(1);
    for (uint64_t seq = 1; spool->stats().bytes_on_disk < target; ++seq) {
      absl::Status s = spool->Append(seq, run);
      if (!s.ok()) cli::Die(s.ToString(), 1);
    }
  }  // Closing syncs.
  RecoveryResult r;
  for (int pass = 0; pass < 2; ++pass) {
    if (pass == 1) EvictFromPageCache(dir);
    const absl::Time start = absl::Now();
    std::unique_ptr<Spool> spool = OpenOrDie(options);
    const double seconds = absl::ToDoubleSeconds(absl::Now() - start);
    (pass == 0 ? r.warm_seconds : r.cold_seconds) = seconds;
    r.bytes = spool->stats().bytes_on_disk;
    r.records = spool->stats().pending_records;
    r.segments = spool->stats().segments;
  }
  RemoveTree(dir);
  return r;
}

// GB/s of one CRC implementation over a 16 MiB buffer.
double CrcRate(uint32_t (*extend)(uint32_t, const void*, size_t)) {
  std::string buf(16 << 20, '\0');
  for (size_t i = 0; i < buf.size(); ++i) buf[i] = static_cast<char>(i * 131);
  uint32_t c = 0;
  const int rounds = 8;
  const absl::Time start = absl::Now();
  for (int i = 0; i < rounds; ++i) c = extend(c, buf.data(), buf.size());
  const double seconds = absl::ToDoubleSeconds(absl::Now() - start);
  if (c == 0x12345678) std::cout << "";  // Keep the loop.
  return rounds * buf.size() / seconds / 1e9;
}

int Main(int argc, char** argv) {
  cli::ParseFlagsOrExit(argc, argv, kUsage);
  log::SetMinLevel(log::Level::kWarn);
  std::string base = absl::GetFlag(FLAGS_dir);
  if (base.empty()) {
    const char* tmp = std::getenv("TMPDIR");
    base = absl::StrCat(tmp != nullptr && *tmp ? tmp : "/var/tmp",
                        "/v6scope-spool-bench-", ::getpid());
  }
  absl::Status s = fs::MakeDirs(base, 0700);
  if (!s.ok()) cli::Die(s.ToString(), 1);
  const std::string dir = base + "/spool";
  const size_t run_bytes = RealisticRun(1).ByteSizeLong();

  const AppendResult every = TimeAppends(dir, FsyncPolicy::kEveryRecord,
                                         absl::GetFlag(FLAGS_every_records));
  const AppendResult batched = TimeAppends(
      dir, FsyncPolicy::kBatched, absl::GetFlag(FLAGS_batched_records));
  const RecoveryResult rec =
      TimeRecovery(dir, absl::GetFlag(FLAGS_recovery_mb));
  const double crc_hw = probe::spool::Crc32cHardwareAvailable()
                            ? CrcRate(&probe::spool::Crc32cExtendHardware)
                            : 0;
  const double crc_sw = CrcRate(&probe::spool::Crc32cExtendPortable);
  RemoveTree(base);

  std::cout << absl::StrFormat(
      "spool_bench: runs of %d bytes serialized (%d on disk), in %s\n",
      run_bytes, run_bytes + 20, base);
  std::cout << absl::StrFormat(
      "  append, fsync every record  %7d runs in %7.3f s: %9.0f runs/s\n",
      every.records, every.seconds, every.rate());
  std::cout << absl::StrFormat(
      "  append, batched fsync       %7d runs in %7.3f s: %9.0f runs/s "
      "(every %d records / %s)\n",
      batched.records, batched.seconds, batched.rate(),
      absl::GetFlag(FLAGS_batch_records),
      absl::FormatDuration(absl::GetFlag(FLAGS_batch_interval)));
  std::cout << absl::StrFormat("  batched / every record      %.1fx\n",
                               batched.rate() / every.rate());
  std::cout << absl::StrFormat(
      "  recovery (Open) of %.1f MB, %d runs, %d segments: warm %.3f s "
      "(%.0f MB/s), cold %.3f s (%.0f MB/s)\n",
      rec.bytes / 1e6, rec.records, rec.segments, rec.warm_seconds,
      rec.bytes / 1e6 / rec.warm_seconds, rec.cold_seconds,
      rec.bytes / 1e6 / rec.cold_seconds);
  std::cout << absl::StrFormat(
      "  crc32c                      hardware %.2f GB/s, portable %.2f GB/s\n",
      crc_hw, crc_sw);
  std::cout << absl::StrFormat(
      "RESULT run_bytes=%d every_rate=%.1f batched_rate=%.1f ratio=%.2f "
      "recovery_bytes=%d recovery_records=%d recovery_warm_s=%.4f "
      "recovery_cold_s=%.4f crc_hw_gbps=%.2f crc_sw_gbps=%.2f\n",
      run_bytes, every.rate(), batched.rate(), batched.rate() / every.rate(),
      rec.bytes, rec.records, rec.warm_seconds, rec.cold_seconds, crc_hw,
      crc_sw);
  return 0;
}

}  // namespace
}  // namespace v6scope::bench::spool

int main(int argc, char** argv) {
  return v6scope::bench::spool::Main(argc, argv);
}
