// Readiness ingest benchmark (issue 16: "collector ingest of readiness
// results >= 50,000 domain results/s on 2 cores"). The real ingest path —
// ReadinessIngestImpl::Submit: parse (the wire bytes of each check, as
// gRPC would), validate, look up assignments and assigned names, attribute
// the web host, compute the verdict, store on the writer thread — into the
// embedded default store (SQLite in a temporary directory), from
// --submitters concurrent submitters (one probe each, batches of
// --batch results, at most 4 batches in flight each, as an Upload stream
// waiting for its acks), beside the raw-SQLite baseline of the same rows
// in the same transaction sizes (raw_baseline.h), measured in the same run.
//
//   bench/readiness_ingest/run.sh [--results=200000] [--batch=200]
//                                 [--submitters=4] [--dir=DIR]
#include <google/protobuf/arena.h>
#include <sys/resource.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "absl/synchronization/mutex.h"
#include "bench/readiness_ingest/raw_baseline.h"
#include "collector/campaign/domain_list.h"
#include "collector/enrich/attribution.h"
#include "collector/enrich/prefix_table.h"
#include "collector/ingest/readiness_ingest_impl.h"
#include "collector/ingest/testing/domain_checks.h"
#include "collector/store/sqlite/sqlite_store.h"
#include "common/net/ip_address.h"
#include "common/time/clock.h"
#include "proto/campaign.pb.h"

namespace v6scope::bench::readiness_ingest {
namespace {

using collector::ingest::testing::AssignmentId;
using collector::store::sqlite::SqliteStore;

struct Options {
  int results = 200'000;  // In all, split evenly between submitters.
  int batch = 200;
  int submitters = 4;
  int window = 4;   // Batches unacknowledged per submitter at most.
  int commit = 0;   // Results per transaction at most; 0: the ingest's default.
  std::string dir;  // Empty: a fresh directory under /tmp.
};

[[noreturn]] void Die(const std::string& why) {
  std::fprintf(stderr, "readiness_ingest_bench: %s\n", why.c_str());
  std::exit(3);
}

Options ParseFlags(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    absl::string_view a = argv[i];
    bool ok = true;
    if (absl::ConsumePrefix(&a, "--results=")) {
      ok = absl::SimpleAtoi(a, &o.results);
    } else if (absl::ConsumePrefix(&a, "--batch=")) {
      ok = absl::SimpleAtoi(a, &o.batch) && o.batch >= 1 && o.batch <= 500;
    } else if (absl::ConsumePrefix(&a, "--submitters=")) {
      ok = absl::SimpleAtoi(a, &o.submitters) && o.submitters >= 1;
    } else if (absl::ConsumePrefix(&a, "--window=")) {
      ok = absl::SimpleAtoi(a, &o.window) && o.window >= 1;
    } else if (absl::ConsumePrefix(&a, "--commit=")) {
      ok = absl::SimpleAtoi(a, &o.commit) && o.commit >= 0;
    } else if (absl::ConsumePrefix(&a, "--dir=")) {
      o.dir = std::string(a);
    } else {
      ok = false;
    }
    if (!ok) {
      std::fprintf(stderr, "bad flag %s\n", argv[i]);
      std::exit(2);
    }
  }
  o.results -= o.results % (o.submitters * o.batch);
  if (o.results <= 0) Die("--results too small for the batches");
  return o;
}

std::string Domain(int i) { return absl::StrCat("site", i, ".example.go.ke"); }

std::string FreshDir(const Options& o) {
  if (!o.dir.empty()) return o.dir;
  char tmpl[] = "/tmp/readiness-ingest-bench-XXXXXX";
  if (mkdtemp(tmpl) == nullptr) Die("mkdtemp failed");
  return tmpl;
}

// The campaign (one name per result a probe sends), the probes enrolled
// and each probe's assignments of 1000 over the whole list.
void SetUpStore(SqliteStore& store, int per_probe, int probes) {
  v6scope::v1::Campaign c;
  c.set_id("c-bench");
  c.set_state(v6scope::v1::CAMPAIGN_ACTIVE);
  std::vector<collector::campaign::DomainEntry> names;
  for (int i = 0; i < per_probe; ++i) {
    names.push_back({Domain(i), collector::campaign::Sector::kGovernment, i});
  }
  absl::Status s = store.CreateCampaign(
      c, collector::campaign::DomainList(std::move(names)));
  const absl::Time now = absl::Now();
  for (int p = 0; s.ok() && p < probes; ++p) {
    const std::string id = absl::StrCat("p-", p);
    s = store.AddEnrolmentToken(
        {"h-" + id, "bench", now, now + absl::Hours(1)});
    collector::store::ProbeRecord probe;
    probe.probe_id = id;
    probe.credential_hash = "c";
    probe.enrolled_at = now;
    if (s.ok()) s = store.ConsumeEnrolmentToken("h-" + id, now, probe).status();
    for (int a = 0; s.ok() && a * 1000 < per_probe; ++a) {
      collector::store::AssignmentRecord r;
      r.assignment_id = AssignmentId(p * 100000 + a);
      r.campaign_id = "c-bench";
      r.probe_id = id;
      r.round = 1;
      r.first_index = a * 1000;
      r.count = std::min(1000, per_probe - a * 1000);
      r.offered_at = now;
      r.expires_at = now + absl::Hours(48);
      s = store.PutAssignment(r);
    }
  }
  if (!s.ok()) Die(absl::StrCat("setting up the store: ", s.ToString()));
}

std::shared_ptr<const collector::enrich::AttributionIndex> Attribution() {
  collector::enrich::PrefixTable::Builder prefixes;
  for (auto [cidr, asn] :
       {std::pair<const char*, const char*>{"192.0.2.0/24", "3320"},
        {"198.51.100.0/24", "33771"},
        {"2001:db8::/32", "6939"}}) {
    if (!prefixes.Add(*net::IpPrefix::Parse(cidr), asn).ok()) Die("prefix");
  }
  return collector::enrich::AttributionIndex::FromTables(
      std::move(prefixes).Build(), collector::enrich::RirTables(),
      collector::enrich::AsNames(), {}, {});
}

// Results [first, first + n) of probe `p` in `arena`, each check parsed
// from its wire bytes as the Upload stream does (collector/service parses
// each request into the stream's arena and resets it after the reply).
v6scope::v1::DomainBatch* MakeBatch(const std::vector<std::string>& wire, int p,
                                    int first, int n,
                                    google::protobuf::Arena* arena) {
  auto* b =
      google::protobuf::Arena::CreateMessage<v6scope::v1::DomainBatch>(arena);
  b->set_first_seq(first + 1);
  for (int i = first; i < first + n; ++i) {
    v6scope::v1::DomainResult* r = b->add_results();
    r->set_assignment_id(AssignmentId(p * 100000 + i / 1000));
    r->set_item(i % 1000);
    v6scope::v1::DomainCheck* c = r->mutable_check();
    if (!c->ParseFromString(wire[i % wire.size()])) Die("parse");
    const std::string domain = Domain(i);
    c->set_domain(domain);
    c->mutable_apex()->set_name(domain);
    c->mutable_www()->set_name("www." + domain);
  }
  return b;
}

struct Totals {
  std::atomic<uint64_t> stored{0};
  std::atomic<uint64_t> failed{0};
  std::atomic<uint64_t> back_offs{0};
};

// Batches a stream has sent and not yet seen acknowledged.
struct Window {
  int in_flight = 0;
  int max = 4;
  bool Open() const { return in_flight < max; }
  bool Empty() const { return in_flight == 0; }
};

// One probe's upload stream: at most `window` batches unacknowledged.
void Submitter(collector::ingest::ReadinessIngestImpl& ingest,
               const std::vector<std::string>& wire, int p, int per_probe,
               int batch, int window, Totals& totals) {
  absl::Mutex mu;
  Window w{0, window};
  const std::string probe = absl::StrCat("p-", p);
  google::protobuf::Arena arena;
  for (int first = 0; first < per_probe; first += batch) {
    arena.Reset();  // Submit has moved what it keeps out of the batch.
    v6scope::v1::DomainBatch* b = MakeBatch(wire, p, first, batch, &arena);
    {
      absl::MutexLock lock(&mu);
      mu.Await(absl::Condition(&w, &Window::Open));
      ++w.in_flight;
    }
    auto done = [&](absl::StatusOr<collector::store::StoredDomainBatch> r) {
      (r.ok() ? totals.stored : totals.failed) += r.ok() ? r->stored : 1;
      absl::MutexLock lock(&mu);
      --w.in_flight;
    };
    absl::Status s;
    while ((s = ingest.Submit(probe, b, done)).code() ==
           absl::StatusCode::kResourceExhausted) {
      ++totals.back_offs;  // The writer is behind: come back shortly.
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    if (!s.ok()) Die(absl::StrCat("submit: ", s.ToString()));
  }
  absl::MutexLock lock(&mu);
  mu.Await(absl::Condition(&w, &Window::Empty));
}

// User and system CPU of the process so far: the system part is mostly
// the store's writes and fsyncs.
struct Cpu {
  double user = 0;
  double sys = 0;
  double total() const { return user + sys; }
};

Cpu CpuSeconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return {u.ru_utime.tv_sec + u.ru_utime.tv_usec / 1e6,
          u.ru_stime.tv_sec + u.ru_stime.tv_usec / 1e6};
}

// Bytes this process has caused to be written to storage so far
// (/proc/self/io write_bytes: the WAL's and the checkpoints' page writes
// as they reach the block layer), or -1 where the kernel does not say.
int64_t WrittenBytes() {
  std::FILE* f = std::fopen("/proc/self/io", "r");
  if (f == nullptr) return -1;
  char line[128];
  int64_t bytes = -1;
  while (std::fgets(line, sizeof line, f) != nullptr) {
    long long v = 0;
    if (std::sscanf(line, "write_bytes: %lld", &v) == 1) bytes = v;
  }
  std::fclose(f);
  return bytes;
}

long PeakRssKib() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_maxrss;
}

int Run(const Options& o) {
  const std::string dir = FreshDir(o);
  const int per_probe = o.results / o.submitters;
  absl::StatusOr<std::unique_ptr<SqliteStore>> store =
      SqliteStore::Open(dir + "/ingest.db");
  if (!store.ok()) Die(store.status().ToString());
  SetUpStore(**store, per_probe, o.submitters);
  std::vector<std::string> wire;
  size_t bytes = 0;
  for (uint64_t v = 0; v < collector::ingest::testing::kDomainVariants; ++v) {
    wire.push_back(
        collector::ingest::testing::VariedDomainCheck("site.example.go.ke", v)
            .SerializeAsString());
    bytes += wire.back().size();
  }
  collector::enrich::AttributionHolder holder(Attribution());
  time::RealClock clock;
  Totals totals;
  const long rss_before = PeakRssKib();
  const Cpu cpu0 = CpuSeconds();
  const int64_t written0 = WrittenBytes();
  const auto start = std::chrono::steady_clock::now();
  {
    collector::ingest::ReadinessIngestOptions options;
    if (o.commit > 0) options.max_results_per_commit = o.commit;
    collector::ingest::ReadinessIngestImpl ingest(
        store->get(), store->get(), &clock, &holder, nullptr, options);
    std::vector<std::thread> threads;
    for (int p = 0; p < o.submitters; ++p) {
      threads.emplace_back([&, p] {
        Submitter(ingest, wire, p, per_probe, o.batch, o.window, totals);
      });
    }
    for (std::thread& t : threads) t.join();
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();
  const Cpu end = CpuSeconds();
  const int64_t written = WrittenBytes() - written0;
  const double cpu = end.total() - cpu0.total();
  const double sys = end.sys - cpu0.sys;
  if (totals.failed > 0 || totals.stored != static_cast<uint64_t>(o.results)) {
    Die(absl::StrCat("stored ", totals.stored.load(), " of ", o.results, ", ",
                     totals.failed.load(), " batches failed"));
  }
  const double rate = o.results / seconds;
  {
    absl::StatusOr<std::unique_ptr<SqliteStore>> raw =
        SqliteStore::Open(dir + "/raw.db");  // The same schema.
    if (!raw.ok()) Die(raw.status().ToString());
  }
  const double raw_rate =
      RawInsertRate(dir + "/raw.db", o.submitters, o.results, o.batch);
  std::printf(
      "readiness ingest: %d results (%d submitters, batches of %d, checks "
      "%zu B on average), %.2f s\n",
      o.results, o.submitters, o.batch, bytes / wire.size(), seconds);
  std::printf("INGEST %.0f results/s (target >= 50000: %s)\n", rate,
              rate >= 50000 ? "met" : "MISSED");
  std::printf("RAW_SQLITE %.0f results/s (same rows, transactions of %d)\n",
              raw_rate, o.batch);
  std::printf("RATIO %.2f of raw SQLite\n", rate / raw_rate);
  std::printf(
      "CPU %.2f s (%.1f us a result, %.1f of it system; %.2f cores busy); "
      "back-offs %llu\n",
      cpu, cpu / o.results * 1e6, sys / o.results * 1e6, cpu / seconds,
      static_cast<unsigned long long>(totals.back_offs.load()));
  if (written0 >= 0) {
    std::printf("WRITTEN %.1f MiB (%.2f KiB a result)\n", written / 1048576.0,
                written / 1024.0 / o.results);
  }
  std::printf("PEAK_RSS %ld KiB (%ld KiB before ingest); store in %s\n",
              PeakRssKib(), rss_before, dir.c_str());
  return rate >= 50000 ? 0 : 1;
}

}  // namespace
}  // namespace v6scope::bench::readiness_ingest

int main(int argc, char** argv) {
  return v6scope::bench::readiness_ingest::Run(
      v6scope::bench::readiness_ingest::ParseFlags(argc, argv));
}
