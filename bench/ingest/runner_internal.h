// The ingest benchmark runner's parts, shared between its files: the
// collector process, enrolment and the upload streams, CPU accounting,
// verification of the stores and the ceilings.
#ifndef V6SCOPE_BENCH_INGEST_RUNNER_INTERNAL_H_
#define V6SCOPE_BENCH_INGEST_RUNNER_INTERNAL_H_

#include <signal.h>
#include <sys/prctl.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "bench/ingest/report.h"
#include "bench/ingest/workload.h"
#include "collector/enrich/attribution.h"
#include "collector/store/store.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/grpcpp.h"
#include "grpcpp/support/byte_buffer.h"
#include "grpcpp/support/client_callback.h"
#include "httplib.h"
#include "proto/probe_service.grpc.pb.h"
#include "proto/probe_service.pb.h"

namespace v6scope::bench::ingest {

using ::v6scope::v1::UploadResponse;

inline constexpr char kUploadMethod[] = "/v6scope.v1.ProbeService/Upload";
inline constexpr char kPeer[] =
    "ipv6:[::1]:40000";  // What EnrichRun gets told.

class CollectorProcess {
 public:
  // Starts `binary` with a data directory in `dir`; `postgres` empty for
  // SQLite. Waits until both ports are written.
  static std::unique_ptr<CollectorProcess> Start(const std::string& binary,
                                                 const std::string& dir,
                                                 const std::string& postgres,
                                                 const std::string& data_dir) {
    std::filesystem::create_directories(dir);
    auto c = std::unique_ptr<CollectorProcess>(new CollectorProcess());
    c->dir_ = dir;
    c->log_ = dir + "/collector.log";
    c->pid_ = Spawn(Args(binary, dir, postgres, data_dir), c->log_);
    c->WaitForPorts();
    return c;
  }

  // The collector's command line: loopback ports written to files, and
  // the attribution data set when there is one.
  static std::vector<std::string> Args(const std::string& binary,
                                       const std::string& dir,
                                       const std::string& postgres,
                                       const std::string& data_dir) {
    std::vector<std::string> args = {
        binary,
        "--grpc_listen=[::1]:0",
        "--http_listen=[::1]:0",
        absl::StrCat("--data_dir=", dir, "/data"),
        absl::StrCat("--port_file=", dir, "/grpc.port"),
        absl::StrCat("--http_port_file=", dir, "/http.port"),
    };
    if (!postgres.empty()) args.push_back("--postgres=" + postgres);
    if (!data_dir.empty()) {
      args.push_back(absl::StrCat(
          "--pfx2as=", data_dir, "/prefix2as/RouteViewIPv4.pfx2as.gz,",
          data_dir, "/prefix2as/RouteViewIPv6.pfx2as.gz"));
      args.push_back(
          absl::StrCat("--rir=", absl::StrJoin(RirFiles(data_dir), ",")));
      args.push_back(absl::StrCat("--as_names=", data_dir, "/asnames/asn.txt"));
    }
    return args;
  }

  // Forks and executes `args` with stdout and stderr to `log`; the child
  // dies with this process.
  static pid_t Spawn(std::vector<std::string> args, const std::string& log) {
    std::vector<char*> argv;
    for (std::string& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    const pid_t parent = getpid();
    const pid_t pid = fork();
    if (pid < 0) Fail("fork failed");
    if (pid == 0) {
      prctl(PR_SET_PDEATHSIG, SIGKILL);
      if (getppid() != parent) _exit(127);
      const int fd = open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      if (fd >= 0) {
        dup2(fd, 1);
        dup2(fd, 2);
        close(fd);
      }
      execv(argv[0], argv.data());
      _exit(127);
    }
    return pid;
  }

  // Waits until both ports are written (the collector listens), failing
  // if it exits first or takes over 60 s.
  void WaitForPorts() {
    const absl::Time deadline = absl::Now() + absl::Seconds(60);
    while (absl::Now() < deadline) {
      int status = 0;
      if (waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = 0;
        Fail(absl::StrCat("the collector exited at start; its log:\n",
                          LogTail()));
      }
      grpc_port_ = ReadPort(dir_ + "/grpc.port");
      http_port_ = ReadPort(dir_ + "/http.port");
      if (grpc_port_ > 0 && http_port_ > 0) return;
      absl::SleepFor(absl::Milliseconds(20));
    }
    Fail(absl::StrCat("the collector did not listen within 60 s; its log:\n",
                      LogTail()));
  }

  static std::vector<std::string> RirFiles(const std::string& data_dir) {
    std::vector<std::string> files;
    for (const char* rir : {"rir/2026-05-06/delegated-afrinic-extended-latest",
                            "rir/2024-11-09/delegated-apnic-latest",
                            "rir/2023-03-24/delegated-lacnic-extended-latest",
                            "rir/2019-09-12/delegated-iana-latest"}) {
      files.push_back(absl::StrCat(data_dir, "/", rir));
    }
    return files;
  }

  ~CollectorProcess() { Stop(); }

  // SIGTERM (graceful: stores what is queued), bounded; then SIGKILL.
  void Stop() {
    if (pid_ == 0) return;
    kill(pid_, SIGTERM);
    const absl::Time deadline = absl::Now() + absl::Seconds(30);
    int status = 0;
    while (waitpid(pid_, &status, WNOHANG) == 0) {
      if (absl::Now() > deadline) {
        kill(pid_, SIGKILL);
        waitpid(pid_, &status, 0);
        break;
      }
      absl::SleepFor(absl::Milliseconds(10));
    }
    pid_ = 0;
  }

  pid_t pid() const { return pid_; }
  int grpc_port() const { return grpc_port_; }
  std::string target() const { return absl::StrCat("[::1]:", grpc_port_); }
  std::string admin_secret() const {
    std::ifstream f(dir_ + "/data/admin.secret");
    std::string s;
    f >> s;
    return s;
  }
  std::string sqlite_path() const { return dir_ + "/data/v6scope.db"; }
  const std::string& log() const { return log_; }

  // The collector's /metrics, as name{labels} → value.
  std::map<std::string, double> Metrics() const {
    httplib::Client http("::1", http_port_);
    http.set_read_timeout(10, 0);
    auto res = http.Get("/metrics");
    if (!res || res->status != 200)
      Fail("cannot read the collector's /metrics");
    std::map<std::string, double> out;
    for (absl::string_view line : absl::StrSplit(res->body, '\n')) {
      if (line.empty() || line[0] == '#') continue;
      const size_t space = line.rfind(' ');
      if (space == absl::string_view::npos) continue;
      double v = 0;
      if (absl::SimpleAtod(line.substr(space + 1), &v)) {
        out[std::string(line.substr(0, space))] = v;
      }
    }
    return out;
  }

  std::string LogTail() const {
    std::ifstream f(log_);
    std::stringstream s;
    s << f.rdbuf();
    std::string all = s.str();
    if (all.size() > 3000) all = all.substr(all.size() - 3000);
    return all;
  }

 private:
  CollectorProcess() = default;

  static int ReadPort(const std::string& path) {
    std::ifstream f(path);
    int port = 0;
    if (f >> port) return port;
    return 0;
  }

  std::string dir_;
  std::string log_;
  pid_t pid_ = 0;
  int grpc_port_ = 0;
  int http_port_ = 0;
};

std::shared_ptr<grpc::Channel> MakeChannel(const std::string& target, int i);

// --- CPU accounting ---------------------------------------------------------

// Seconds of CPU (user + system) of process `pid`, from /proc/PID/stat.
double ProcessCpuSeconds(pid_t pid);
// CPU seconds of every live process whose name is `comm`.
double CpuOfProcessesNamed(const std::string& comm);
double SelfCpuSeconds();
MachineCpu ReadMachineCpu();

// --- enrolment and upload ---------------------------------------------------

struct Enrolled {
  std::string probe_id;
  std::string credential;
};

std::vector<Enrolled> EnrolProbes(const CollectorProcess& c, int probes,
                                  int threads);

using Stub = grpc::TemplatedGenericStub<grpc::ByteBuffer, UploadResponse>;

// Counts streams still open; the main thread waits for zero.
class Latch {
 public:
  explicit Latch(int n) : n_(n) {}
  void CountDown() {
    absl::MutexLock lock(&mu_);
    --n_;
  }
  bool WaitFor(absl::Duration timeout) {
    absl::MutexLock lock(&mu_);
    return mu_.AwaitWithTimeout(absl::Condition(
                                    +[](int* n) { return *n == 0; }, &n_),
                                timeout);
  }

 private:
  absl::Mutex mu_;
  int n_ ABSL_GUARDED_BY(mu_);
};

// One probe's Upload stream: Welcome, then each batch after the previous
// batch's Ack (and the completion of its write), then WritesDone; the
// server ends the stream. Requests are sent as pre-serialized bytes (the
// client's share of the two cores stays small); responses are parsed.
class UploadStream final
    : public grpc::ClientBidiReactor<grpc::ByteBuffer, UploadResponse> {
 public:
  UploadStream(const Workload* w, int probe, const Enrolled* enrolled,
               Latch* latch)
      : w_(w), probe_(probe), enrolled_(enrolled), latch_(latch) {}

  void Start(Stub* stub, absl::Time deadline) {
    ctx_.AddMetadata("authorization",
                     absl::StrCat("Bearer ", enrolled_->credential));
    ctx_.set_deadline(absl::ToChronoTime(deadline));
    stub->PrepareBidiStreamingCall(&ctx_, kUploadMethod, grpc::StubOptions(),
                                   this);
    started_ = absl::Now();
    StartRead(&resp_);
    StartCall();
  }

  void OnReadDone(bool ok) override {
    Ops ops;
    {
      absl::MutexLock lock(&mu_);
      if (!ok) return;  // The server ended the stream; OnDone follows.
      ops.read = true;
      if (resp_.has_welcome()) {
        if (resp_.welcome().last_stored_seq() != 0) {
          FailLocked(
              absl::StrCat("welcome says ", resp_.welcome().last_stored_seq(),
                           " runs stored already"),
              ops);
        } else {
          NextLocked(ops);
        }
      } else if (resp_.has_ack()) {
        HandleAckLocked(ops);
      } else if (resp_.has_back_off()) {
        ++back_offs_;
        FailLocked(absl::StrCat("collector asked to back off ",
                                resp_.back_off().seconds(), " s"),
                   ops);
      }
    }
    Perform(ops);
  }

  void OnWriteDone(bool ok) override {
    Ops ops;
    {
      absl::MutexLock lock(&mu_);
      write_pending_ = false;
      if (!ok) {
        if (error_.empty()) error_ = "write failed (stream broken)";
        return;
      }
      if (!ack_pending_) NextLocked(ops);
    }
    Perform(ops);
  }

  void OnDone(const grpc::Status& s) override {
    {
      absl::MutexLock lock(&mu_);
      status_ = s;
    }
    latch_->CountDown();
  }

  // Read after the latch opened.
  bool ok() const { return status_.ok() && error_.empty(); }
  std::string error() const {
    return absl::StrCat("probe ", probe_, ": ",
                        error_.empty() ? "" : error_ + "; ", "status ",
                        status_.error_code(), " ", status_.error_message());
  }
  uint64_t acked_runs() const { return acked_runs_; }
  uint64_t stored_runs() const { return stored_runs_; }
  int back_offs() const { return back_offs_; }
  absl::Time started() const { return started_; }
  absl::Time first_send() const { return first_send_; }
  absl::Time last_ack() const { return last_ack_; }
  const std::vector<double>& ack_ms() const { return ack_ms_; }

 private:
  struct Ops {
    bool read = false;
    bool write = false;
    bool writes_done = false;
    bool cancel = false;
  };

  void Perform(const Ops& ops) {
    if (ops.cancel) {
      ctx_.TryCancel();
      return;
    }
    if (ops.write) StartWrite(&out_);
    if (ops.writes_done) StartWritesDone();
    if (ops.read) StartRead(&resp_);
  }

  void HandleAckLocked(Ops& ops) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    const int b = next_ - 1;
    const uint64_t first = w_->FirstSeq(b);
    const uint64_t last = first + static_cast<uint64_t>(w_->RunsIn(b)) - 1;
    const v6scope::v1::Ack& ack = resp_.ack();
    if (!ack_pending_ || ack.first_seq() != first || ack.last_seq() != last) {
      FailLocked(absl::StrCat("ack for ", ack.first_seq(), "..", ack.last_seq(),
                              ", expected ", first, "..", last),
                 ops);
      return;
    }
    const absl::Time now = absl::Now();
    ack_pending_ = false;
    acked_runs_ += last - first + 1;
    stored_runs_ += ack.stored();
    ack_ms_.push_back(absl::ToDoubleMilliseconds(now - sent_));
    last_ack_ = now;
    if (!write_pending_) NextLocked(ops);
  }

  void NextLocked(Ops& ops) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    if (next_ < w_->batches_per_probe) {
      const std::string& bytes =
          w_->requests[static_cast<size_t>(probe_)][static_cast<size_t>(next_)];
      // The bytes outlive the write: no copy.
      grpc::Slice slice(bytes.data(), bytes.size(), grpc::Slice::STATIC_SLICE);
      out_ = grpc::ByteBuffer(&slice, 1);
      sent_ = absl::Now();
      if (next_ == 0) first_send_ = sent_;
      ++next_;
      write_pending_ = ack_pending_ = true;
      ops.write = true;
    } else if (!writes_done_) {
      writes_done_ = true;
      ops.writes_done = true;
    }
  }

  void FailLocked(std::string why, Ops& ops)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    if (error_.empty()) error_ = std::move(why);
    ops = Ops();
    ops.cancel = true;
  }

  const Workload* const w_;
  const int probe_;
  const Enrolled* const enrolled_;
  Latch* const latch_;
  grpc::ClientContext ctx_;
  UploadResponse resp_;
  grpc::ByteBuffer out_;
  absl::Mutex mu_;
  int next_ = 0;  // Next batch to send.
  bool write_pending_ = false;
  bool ack_pending_ = false;
  bool writes_done_ = false;
  uint64_t acked_runs_ = 0;
  uint64_t stored_runs_ = 0;
  int back_offs_ = 0;
  std::string error_;
  grpc::Status status_;
  absl::Time started_, first_send_, sent_, last_ack_;
  std::vector<double> ack_ms_;
};

UploadResult UploadAll(const CollectorProcess& c, const Workload& w,
                       const std::vector<Enrolled>& enrolled, int connections,
                       absl::Duration timeout);

// --- verification -----------------------------------------------------------

void VerifyThroughStore(collector::store::Store& store, const Workload& w,
                        const std::vector<Enrolled>& enrolled, bool attributed);
std::string CountSql(int runs_per_probe);
void CheckCounts(const std::string& counts, const Workload& w,
                 absl::string_view where);
std::string SqliteQuery(const std::string& path, const std::string& sql);

// --- ceilings ---------------------------------------------------------------

CeilingResult StoreCeiling(collector::store::Store& store, const Workload& w,
                           const std::vector<Enrolled>& enrolled,
                           const collector::enrich::AttributionIndex* index,
                           int commit_runs);
CeilingResult RawSqliteCeiling(const std::string& path, const Workload& w,
                               const std::vector<Enrolled>& enrolled,
                               const collector::enrich::AttributionIndex* index,
                               int commit_runs);

}  // namespace v6scope::bench::ingest

#endif  // V6SCOPE_BENCH_INGEST_RUNNER_INTERNAL_H_
