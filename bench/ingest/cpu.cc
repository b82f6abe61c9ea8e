// CPU accounting of the processes in a round, from /proc.
#include <fcntl.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "bench/ingest/fail.h"
#include "bench/ingest/report.h"
#include "bench/ingest/runner.h"
#include "bench/ingest/runner_internal.h"
#include "bench/ingest/workload.h"
#include "cli/commands.h"
#include "collector/enrich/attribution.h"
#include "collector/ingest/enrich_run.h"
#include "collector/ingest/prepare_run.h"
#include "collector/ingest/validate.h"
#include "collector/service/probe_service.h"
#include "collector/store/postgres/postgres_store.h"
#include "collector/store/postgres/testing/postgres_server.h"
#include "collector/store/sqlite/sqlite_ingest_sql.h"
#include "collector/store/sqlite/sqlite_store.h"
#include "collector/store/store.h"
#include "google/protobuf/arena.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/grpcpp.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/support/byte_buffer.h"
#include "grpcpp/support/channel_arguments.h"
#include "grpcpp/support/client_callback.h"
#include "httplib.h"
#include "probe/uplink/collector_client.h"
#include "proto/probe_service.pb.h"
#include "proto/results.pb.h"

namespace v6scope::bench::ingest {

using collector::store::BatchOutcome;
using collector::store::PreparedRun;
using collector::store::RunBatch;
using collector::store::RunFilter;
using collector::store::RunPage;
using collector::store::Store;
using collector::store::postgres::PostgresStore;
using collector::store::sqlite::SqliteStore;
using v6scope::v1::UploadRequest;
using v6scope::v1::UploadResponse;
namespace enrich = collector::enrich;

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
