// Enrolment and the upload streams.
#include <sys/types.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "bench/ingest/fail.h"
#include "bench/ingest/report.h"
#include "bench/ingest/runner.h"
#include "bench/ingest/runner_internal.h"
#include "bench/ingest/workload.h"
#include "cli/commands.h"
#include "collector/store/store.h"
#include "grpcpp/grpcpp.h"
#include "probe/uplink/collector_client.h"
#include "proto/probe_service.pb.h"

namespace v6scope::bench::ingest {

// --- enrolment --------------------------------------------------------------

std::vector<Enrolled> EnrolProbes(const CollectorProcess& c, int probes,
                                  int threads) {
  std::vector<Enrolled> out(static_cast<size_t>(probes));
  std::atomic<int> next{0};
  std::atomic<bool> failed{false};
  absl::Mutex mu;
  std::string error;
  const std::string secret = c.admin_secret();
  if (secret.empty()) Fail("the collector wrote no admin secret");
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t) {
    pool.emplace_back([&, t] {
      auto channel = MakeChannel(c.target(), -1 - t);
      probe::uplink::CollectorClient client(channel, absl::Seconds(30));
      for (int p; !failed && (p = next++) < probes;) {
        // As `v6scope admin token create` does, then the probe's Enrol.
        absl::StatusOr<cli::Table> table =
            cli::CreateToken(channel, secret, "bench", absl::Hours(1));
        absl::StatusOr<v6scope::v1::EnrolResponse> enrol =
            absl::UnknownError("no token");
        if (table.ok()) {
          const std::string csv = table->Render(cli::OutputFormat::kCsv);
          const std::string row = csv.substr(csv.find("\r\n") + 2);
          enrol = client.Enrol(row.substr(0, row.find(',')), "0.9.0");
        } else {
          enrol = table.status();
        }
        if (!enrol.ok()) {
          absl::MutexLock lock(&mu);
          error = enrol.status().ToString();
          failed = true;
          return;
        }
        out[static_cast<size_t>(p)] = {enrol->probe_id(), enrol->credential()};
      }
    });
  }
  for (std::thread& t : pool) t.join();
  if (failed) Fail(absl::StrCat("enrolment failed: ", error));
  return out;
}
// --- the upload streams -----------------------------------------------------

namespace {

// `n` channels (one TCP connection each), connected, and a stub on each.
std::vector<std::unique_ptr<Stub>> ConnectStubs(const CollectorProcess& c,
                                                int n) {
  std::vector<std::shared_ptr<grpc::Channel>> channels;
  const absl::Time connect_deadline = absl::Now() + absl::Seconds(60);
  for (int i = 0; i < n; ++i) {
    channels.push_back(MakeChannel(c.target(), i));
    channels.back()->GetState(/*try_to_connect=*/true);
  }
  std::vector<std::unique_ptr<Stub>> stubs;
  for (auto& ch : channels) {
    if (!ch->WaitForConnected(absl::ToChronoTime(connect_deadline))) {
      Fail("could not connect to the collector");
    }
    stubs.push_back(std::make_unique<Stub>(ch));
  }
  return stubs;
}

// CPU time of everyone involved, taken before and after the uploads.
struct CpuSnapshot {
  double collector = 0, client = 0, postgres = 0;
  MachineCpu machine;
};

CpuSnapshot TakeCpu(const CollectorProcess& c) {
  CpuSnapshot s;
  s.collector = ProcessCpuSeconds(c.pid());
  s.client = SelfCpuSeconds();
  s.postgres = CpuOfProcessesNamed("postgres");
  s.machine = ReadMachineCpu();
  return s;
}

void AddCpuUsed(const CpuSnapshot& before, const CollectorProcess& c,
                UploadResult& r) {
  const MachineCpu machine1 = ReadMachineCpu();
  r.collector_cpu = ProcessCpuSeconds(c.pid()) - before.collector;
  r.client_cpu = SelfCpuSeconds() - before.client;
  r.machine.busy = machine1.busy - before.machine.busy;
  r.machine.total = machine1.total - before.machine.total;
  r.postgres_cpu = CpuOfProcessesNamed("postgres") - before.postgres;
}

// The streams' counts and times into `r`; fails if any stream failed.
void CollectStreams(const std::vector<std::unique_ptr<UploadStream>>& streams,
                    const CollectorProcess& c, absl::Time start,
                    UploadResult& r) {
  absl::Time first_send = absl::InfiniteFuture();
  absl::Time last_ack = start;
  std::vector<double> setup_ms;
  int failed = 0;
  std::string first_error;
  for (const auto& s : streams) {
    if (!s->ok()) {
      if (failed++ == 0) first_error = s->error();
      continue;
    }
    r.acked_runs += s->acked_runs();
    r.stored_runs += s->stored_runs();
    first_send = std::min(first_send, s->first_send());
    last_ack = std::max(last_ack, s->last_ack());
    setup_ms.push_back(absl::ToDoubleMilliseconds(s->first_send() - start));
    r.ack_ms.insert(r.ack_ms.end(), s->ack_ms().begin(), s->ack_ms().end());
  }
  if (failed > 0) {
    Fail(absl::StrCat(failed, " of ", streams.size(),
                      " upload streams failed; first: ", first_error,
                      "\ncollector log tail:\n", c.LogTail()));
  }
  r.seconds = absl::ToDoubleSeconds(last_ack - start);
  r.send_seconds = absl::ToDoubleSeconds(last_ack - first_send);
  r.stream_setup_ms_p50 = Percentile(setup_ms, 0.5);
}

}  // namespace

UploadResult UploadAll(const CollectorProcess& c, const Workload& w,
                       const std::vector<Enrolled>& enrolled, int connections,
                       absl::Duration timeout) {
  const int n_channels = connections > 0 ? connections : w.probes;
  const std::vector<std::unique_ptr<Stub>> stubs = ConnectStubs(c, n_channels);
  Latch latch(w.probes);
  std::vector<std::unique_ptr<UploadStream>> streams;
  for (int p = 0; p < w.probes; ++p) {
    streams.push_back(std::make_unique<UploadStream>(
        &w, p, &enrolled[static_cast<size_t>(p)], &latch));
  }
  UploadResult r;
  r.metrics_before = c.Metrics();
  const CpuSnapshot cpu0 = TakeCpu(c);
  const absl::Time start = absl::Now();
  const absl::Time deadline = start + timeout;
  for (int p = 0; p < w.probes; ++p) {
    streams[static_cast<size_t>(p)]->Start(
        stubs[static_cast<size_t>(p % n_channels)].get(), deadline);
  }
  if (!latch.WaitFor(timeout + absl::Seconds(10))) {
    Fail("upload streams did not finish within --timeout");
  }
  AddCpuUsed(cpu0, c, r);
  r.metrics_after = c.Metrics();
  CollectStreams(streams, c, start, r);
  return r;
}

}  // namespace v6scope::bench::ingest
