#include "bench/ingest/workload.h"

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "bench/ingest/fail.h"
#include "collector/ingest/validate.h"
#include "common/net/ip_address.h"
#include "methodology/synthetic/run_generator.h"
#include "proto/probe_service.pb.h"
#include "proto/results.pb.h"

namespace v6scope::bench::ingest {

namespace {

using ::v6scope::methodology::synthetic::NetworkProfile;
using ::v6scope::methodology::synthetic::RunGenerator;
using ::v6scope::methodology::synthetic::RunShape;
using ::v6scope::v1::UploadRequest;

// The network of `probe`: one in 7 without IPv6, one in 5 behind a path-MTU
// black hole, one in 11 with a resolver that has no IPv6 transport. Public
// prefixes spread over routed space (so attribution finds an origin AS for
// many), truncated exactly as the probe truncates them.
NetworkProfile ProfileOf(int probe) {
  NetworkProfile n;
  const bool v6 = probe % 7 != 0;
  n.capability = v6 ? v6scope::v1::V6_PREFERRED : v6scope::v1::V4_ONLY;
  n.pmtu_black_hole = v6 && probe % 5 == 0;
  n.resolver_no_v6 = probe % 11 == 0;
  const std::string v4 =
      absl::StrCat(31 + probe % 180, ".", (probe * 37) % 256, ".",
                   (probe * 101 + 7) % 256, ".", (probe * 13) % 256);
  n.v4_public_prefix =
      net::PublicTruncation(*net::IpAddress::Parse(v4)).ToString();
  if (v6) {
    const std::string v6_address =
        absl::StrFormat("2a0%x:%x:%x::1", 1 + probe % 14,
                        (probe * 2654435761u) % 65536, probe % 65536);
    n.v6_public_prefix =
        net::PublicTruncation(*net::IpAddress::Parse(v6_address)).ToString();
  }
  return n;
}

}  // namespace

v6scope::v1::Run WorkloadRun(int probe, uint64_t seq, absl::Time started,
                             int tests) {
  // Seeded by (probe, seq): any run can be made again on its own.
  RunGenerator generator(static_cast<uint32_t>(probe) * 104729u +
                         static_cast<uint32_t>(seq));
  RunShape shape;
  shape.tests = tests;
  return generator.Generate(ProfileOf(probe), started, shape);
}

Workload BuildWorkload(int probes, int runs_per_probe, int batch_runs,
                       int tests_per_run) {
  Workload w;
  w.probes = probes;
  w.runs_per_probe = runs_per_probe;
  w.batch_runs = batch_runs;
  w.tests_per_run = tests_per_run;
  w.batches_per_probe = (runs_per_probe + batch_runs - 1) / batch_runs;
  w.requests.resize(static_cast<size_t>(probes));
  const absl::Time now = absl::Now();
  collector::ingest::IngestLimits limits;
  for (int p = 0; p < probes; ++p) {
    for (int b = 0; b < w.batches_per_probe; ++b) {
      UploadRequest req;
      v6scope::v1::Batch* batch = req.mutable_batch();
      batch->set_first_seq(w.FirstSeq(b));
      for (int i = 0; i < w.RunsIn(b); ++i) {
        const uint64_t seq = w.FirstSeq(b) + static_cast<uint64_t>(i);
        const absl::Time started =
            now - absl::Minutes(runs_per_probe - static_cast<int>(seq) + 1) -
            absl::Seconds(p % 60);
        *batch->add_runs() = WorkloadRun(p, seq, started, tests_per_run);
      }
      if (p == 0 && b == 0) {
        // The collector's own validator, so a bad workload fails here
        // with the field named rather than as rejected streams.
        OrFail(collector::ingest::ValidateBatch(*batch, now, limits),
               "the generated batch is invalid");
      }
      std::string bytes;
      req.SerializeToString(&bytes);
      w.bytes += bytes.size();
      w.requests[static_cast<size_t>(p)].push_back(std::move(bytes));
    }
  }
  return w;
}

std::vector<std::vector<std::pair<int, int>>> CommitGroups(const Workload& w,
                                                           int commit_runs) {
  std::vector<std::vector<std::pair<int, int>>> groups(1);
  int runs = 0;
  for (int b = 0; b < w.batches_per_probe; ++b) {
    for (int p = 0; p < w.probes; ++p) {
      if (!groups.back().empty() && runs + w.RunsIn(b) > commit_runs) {
        groups.emplace_back();
        runs = 0;
      }
      groups.back().emplace_back(p, b);
      runs += w.RunsIn(b);
    }
  }
  return groups;
}

}  // namespace v6scope::bench::ingest
