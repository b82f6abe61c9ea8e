// CPU accounting of the processes in a round, from /proc.
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/time.h"
#include "bench/ingest/fail.h"
#include "bench/ingest/report.h"
#include "bench/ingest/runner.h"
#include "bench/ingest/runner_internal.h"
#include "bench/ingest/workload.h"
#include "collector/store/store.h"

namespace v6scope::bench::ingest {

// --- CPU accounting ---------------------------------------------------------

// Seconds of CPU (user + system) of process `pid`, from /proc/PID/stat.
double ProcessCpuSeconds(pid_t pid) {
  std::ifstream f(absl::StrCat("/proc/", pid, "/stat"));
  std::string line;
  std::getline(f, line);
  const size_t paren = line.rfind(')');
  if (paren == std::string::npos) return 0;
  std::vector<std::string> fields =
      absl::StrSplit(line.substr(paren + 2), ' ', absl::SkipEmpty());
  // After "pid (comm) ": state is field 3, utime 14, stime 15.
  if (fields.size() < 13) return 0;
  double utime = 0, stime = 0;
  if (!absl::SimpleAtod(fields[11], &utime) ||
      !absl::SimpleAtod(fields[12], &stime)) {
    return 0;
  }
  return (utime + stime) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

// CPU seconds of every live process whose name is `comm` (the PostgreSQL
// server: postmaster, backends, checkpointer, WAL writer, ...).
double CpuOfProcessesNamed(const std::string& comm) {
  double total = 0;
  for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
    const std::string name = entry.path().filename();
    pid_t pid = 0;
    if (!absl::SimpleAtoi(name, &pid)) continue;
    std::ifstream f(entry.path() / "comm");
    std::string c;
    if (std::getline(f, c) && c == comm) total += ProcessCpuSeconds(pid);
  }
  return total;
}

double SelfCpuSeconds() {
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  return static_cast<double>(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
         static_cast<double>(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

MachineCpu ReadMachineCpu() {
  std::ifstream f("/proc/stat");
  std::string line;
  std::getline(f, line);
  std::vector<std::string> fields =
      absl::StrSplit(line, ' ', absl::SkipEmpty());
  MachineCpu m;
  double idle = 0;
  for (size_t i = 1; i < fields.size() && i <= 8; ++i) {
    double v = 0;
    if (!absl::SimpleAtod(fields[i], &v)) continue;
    m.total += v;
    if (i == 4 || i == 5) idle += v;  // idle, iowait
  }
  m.busy = m.total - idle;
  const double tck = static_cast<double>(sysconf(_SC_CLK_TCK));
  m.busy /= tck;
  m.total /= tck;
  return m;
}

}  // namespace v6scope::bench::ingest
