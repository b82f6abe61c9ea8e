#include "bench/aggregates/runner.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "bench/aggregates/fail.h"
#include "bench/aggregates/raw_db.h"
#include "bench/aggregates/timed_store.h"
#include "bench/aggregates/workload.h"
#include "collector/aggregate/aggregator.h"
#include "collector/aggregate/rollup.h"
#include "collector/aggregate/window.h"
#include "collector/query/aggregate_queries.h"
#include "collector/store/sqlite/sqlite_store.h"
#include "collector/store/store.h"
#include "proto/query_service.pb.h"
#include "proto/results.pb.h"

namespace v6scope::bench::aggregates {

using collector::aggregate::ProbeWindow;
using collector::aggregate::WindowKind;
using collector::query::AggregateQueries;
using collector::store::ProbeWindowQuery;
using collector::store::Store;
using collector::store::sqlite::SqliteStore;

double NowMs() {
  return std::chrono::duration<double, std::milli>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

double CpuMs() {
  struct timespec ts;
  ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

Stats Summarize(std::vector<double> ms) {
  Stats s;
  if (ms.empty()) return s;
  std::sort(ms.begin(), ms.end());
  auto rank = [&](double p) {
    size_t r = static_cast<size_t>(std::ceil(p * ms.size()));
    return ms[std::clamp<size_t>(r, 1, ms.size()) - 1];
  };
  s.n = ms.size();
  s.p50 = rank(0.50);
  s.p99 = rank(0.99);
  s.min = ms.front();
  s.max = ms.back();
  double sum = 0;
  for (double v : ms) sum += v;
  s.mean = sum / ms.size();
  return s;
}

uint64_t FileSize(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0 ? static_cast<uint64_t>(st.st_size) : 0;
}

void Evict(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return;
  ::fdatasync(fd);
  ::posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
  ::close(fd);
}

FillFigures FillStore(const collector::sample::SyntheticFleet& fleet,
                      Store& store, uint64_t expected_runs) {
  TimedStore timed(&store, expected_runs);
  FillFigures f;
  const double start = NowMs();
  absl::StatusOr<uint64_t> stored = fleet.StoreAll(timed);
  f.fill_s = (NowMs() - start) / 1000;
  if (!stored.ok()) Fail(stored.status().ToString());
  f.stored_runs = *stored;
  f.store_s = timed.store_ms() / 1000;
  f.calls = timed.calls();
  return f;
}

StoredCounts CountStored(RawDb& raw) {
  StoredCounts c;
  const double start = NowMs();
  v6scope::v1::Run run;
  raw.Query("SELECT run FROM runs", std::nullopt, std::nullopt,
            [&](sqlite3_stmt* s) {
              const int n = sqlite3_column_bytes(s, 0);
              if (!run.ParseFromArray(sqlite3_column_blob(s, 0), n)) {
                Fail("a stored run does not parse");
              }
              ++c.runs;
              c.blob_bytes += static_cast<uint64_t>(n);
              c.results += static_cast<uint64_t>(run.tests_size());
            });
  c.count_s = (NowMs() - start) / 1000;
  c.rollup_rows = raw.Scalar("SELECT COUNT(*) FROM probe_windows");
  c.probes = raw.Scalar("SELECT COUNT(DISTINCT probe_id) FROM runs");
  return c;
}

std::string Counts::ToString() const {
  if (insufficient) return "insufficient data";
  return absl::StrFormat(
      "probes %d runs %d measured %d capable %d preferred %d broken %d", probes,
      runs, measured, capable, preferred, broken);
}

std::vector<v6scope::v1::GroupAggregate> RollupQuery(
    const AggregateQueries& queries, v6scope::v1::GroupBy by,
    WindowKind window) {
  std::vector<v6scope::v1::GroupAggregate> groups;
  v6scope::v1::AggregatesRequest request;
  request.set_group_by(by);
  request.set_window(ToProto(window));
  request.set_page_size(1000);
  while (true) {
    absl::StatusOr<v6scope::v1::AggregatesResponse> response =
        queries.Aggregates(request);
    if (!response.ok()) Fail(response.status().ToString());
    for (auto& g : *response->mutable_groups()) groups.push_back(std::move(g));
    if (response->next_page_token().empty()) return groups;
    request.set_page_token(response->next_page_token());
  }
}

Answer FromRollups(const std::vector<v6scope::v1::GroupAggregate>& groups) {
  Answer answer;
  for (const auto& g : groups) {
    Counts c;
    c.insufficient = g.insufficient_data();
    if (!c.insufficient) {
      c.probes = g.probes();
      c.runs = g.runs();
      c.measured = g.measured_probes();
      c.capable = g.v6_capable().count();
      c.preferred = g.v6_preferred().count();
      c.broken = g.v6_broken().count();
      if (g.v6_capable().total() != g.measured_probes()) {
        Fail(absl::StrCat("group ", g.key(), ": v6_capable.total ",
                          g.v6_capable().total(), " != measured_probes ",
                          g.measured_probes()));
      }
    }
    if (!answer.emplace(g.key(), c).second) {
      Fail(absl::StrCat("group ", g.key(), " twice in one window's answer"));
    }
  }
  return answer;
}

Answer PlainQuery(RawDb& db, const std::string& sql, int64_t from_us,
                  int64_t to_us, uint32_t min_probes) {
  Answer answer;
  db.Query(sql, from_us, to_us, [&](sqlite3_stmt* s) {
    Counts c;
    c.probes = sqlite3_column_int64(s, 1);
    c.runs = sqlite3_column_int64(s, 2);
    c.measured = sqlite3_column_int64(s, 3);
    c.capable = sqlite3_column_int64(s, 4);
    c.preferred = sqlite3_column_int64(s, 5);
    c.broken = sqlite3_column_int64(s, 6);
    if (c.probes < min_probes) {
      c = Counts();
      c.insufficient = true;
    }
    answer[reinterpret_cast<const char*>(sqlite3_column_text(s, 0))] = c;
  });
  return answer;
}

std::string QueryPlan(RawDb& db, const std::string& sql) {
  std::vector<std::string> lines;
  db.Query(absl::StrCat("EXPLAIN QUERY PLAN ", sql), 0, 0,
           [&](sqlite3_stmt* s) {
             lines.push_back(
                 reinterpret_cast<const char*>(sqlite3_column_text(s, 3)));
           });
  return absl::StrJoin(lines, "; ");
}

std::vector<std::string> Differences(const Answer& rollup,
                                     const Answer& plain) {
  std::vector<std::string> out;
  for (const auto& [key, c] : rollup) {
    auto it = plain.find(key);
    if (it == plain.end()) {
      out.push_back(absl::StrCat(key, ": rollups ", c.ToString(),
                                 "; plain SQL: no such group"));
    } else if (!(it->second == c)) {
      out.push_back(absl::StrCat(key, ": rollups ", c.ToString(),
                                 "; plain SQL ", it->second.ToString()));
    }
  }
  for (const auto& [key, c] : plain) {
    if (rollup.count(key) == 0) {
      out.push_back(absl::StrCat(key, ": rollups: no such group; plain SQL ",
                                 c.ToString()));
    }
  }
  return out;
}

ListTiming TimeListProbeWindows(Store& store, const QueryWindow& window,
                                int reps) {
  ProbeWindowQuery query;
  query.kind = window.kind;
  query.from = window.start;
  query.to = window.end;
  ListTiming t;
  std::vector<double> ms;
  for (int i = 0; i < reps + 5; ++i) {
    const double start = NowMs();
    auto rows = store.ListProbeWindows(query);
    const double took = NowMs() - start;
    if (!rows.ok()) Fail(rows.status().ToString());
    t.rows = rows->size();
    if (i >= 5) ms.push_back(took);
  }
  t.stats = Summarize(ms);
  return t;
}

RollupTiming TimeRollupQuery(const AggregateQueries& queries, const Query& q,
                             const QueryWindow& window, int reps) {
  for (int i = 0; i < 5; ++i) RollupQuery(queries, q.group_by, window.kind);
  std::vector<double> ms, cpu;
  std::vector<v6scope::v1::GroupAggregate> groups;
  for (int i = 0; i < reps; ++i) {
    const double start = NowMs(), start_cpu = CpuMs();
    groups = RollupQuery(queries, q.group_by, window.kind);
    ms.push_back(NowMs() - start);
    cpu.push_back(CpuMs() - start_cpu);
  }
  RollupTiming t;
  t.wall = Summarize(ms);
  t.cpu = Summarize(cpu);
  t.answer = FromRollups(groups);
  t.groups = groups.size();
  return t;
}

PlainResult PrepareVariant(RawDb& raw, const PlainVariant& v) {
  PlainResult r;
  r.variant = &v;
  r.index_existed =
      !v.index.empty() &&
      raw.Scalar(absl::StrCat("SELECT COUNT(*) FROM sqlite_master WHERE "
                              "type = 'index' AND name = '",
                              v.index, "'")) > 0;
  if (!v.create_index.empty() && !r.index_existed) {
    const uint64_t before = UsedBytes(raw);
    const double start = NowMs();
    raw.Exec(v.create_index);
    r.index_seconds = (NowMs() - start) / 1000;
    raw.Exec("PRAGMA wal_checkpoint(TRUNCATE)");
    r.index_bytes = UsedBytes(raw) - std::min(before, UsedBytes(raw));
  }
  return r;
}

void TimePlainQuery(RawDb& plain, size_t qi, const QueryWindow& window,
                    int reps, const Answer& rollup_answer, PlainResult& r,
                    std::vector<std::string>& disagreements) {
  const Query& q = Queries()[qi];
  const std::string sql = PlainSql(q, *r.variant);
  if (qi == 0) r.plan = QueryPlan(plain, sql);
  std::vector<double> ms, cpu;
  Answer answer;
  for (int i = 0; i < reps; ++i) {
    const double start = NowMs(), start_cpu = CpuMs();
    answer = PlainQuery(plain, sql, window.from_us, window.to_us,
                        collector::aggregate::kDefaultMinProbes);
    ms.push_back(NowMs() - start);
    cpu.push_back(CpuMs() - start_cpu);
  }
  r.by_query.push_back(Summarize(ms));
  r.by_query_cpu.push_back(Summarize(cpu));
  for (const std::string& d : Differences(rollup_answer, answer)) {
    r.agrees = false;
    disagreements.push_back(
        absl::StrCat(q.label, ", plain variant ", r.variant->name, ": ", d));
  }
}

std::vector<const PlainResult*> Fastest(const std::vector<PlainResult>& all) {
  std::vector<const PlainResult*> best(Queries().size(), nullptr);
  for (size_t qi = 0; qi < Queries().size(); ++qi) {
    for (const PlainResult& r : all) {
      if (best[qi] == nullptr ||
          r.by_query[qi].p50 < best[qi]->by_query[qi].p50) {
        best[qi] = &r;
      }
    }
  }
  return best;
}

ColdFigures TimeCold(const std::string& path, RawDb& raw,
                     const time::Clock& clock, const QueryWindow& window,
                     const PlainVariant& plain) {
  ColdFigures f;
  raw.Exec("PRAGMA wal_checkpoint(TRUNCATE)");
  Evict(path);
  Evict(path + "-wal");
  {
    auto cold_store = SqliteStore::Open(path);
    if (!cold_store.ok()) Fail(cold_store.status().ToString());
    AggregateQueries cold_queries(cold_store->get(), cold_store->get(), nullptr,
                                  &clock,
                                  collector::aggregate::kDefaultMinProbes);
    const double start = NowMs();
    RollupQuery(cold_queries, Queries()[0].group_by, window.kind);
    f.rollup_ms = NowMs() - start;
  }
  Evict(path);
  Evict(path + "-wal");
  RawDb cold(path, /*writable=*/false);
  cold.Exec("PRAGMA cache_size = -262144; PRAGMA temp_store = MEMORY");
  const double start = NowMs();
  PlainQuery(cold, PlainSql(Queries()[0], plain), window.from_us, window.to_us,
             collector::aggregate::kDefaultMinProbes);
  f.plain_ms = NowMs() - start;
  return f;
}

namespace {

std::vector<ProbeWindow> AllRollupRows(Store& store) {
  std::vector<ProbeWindow> all;
  for (WindowKind kind : collector::aggregate::kAllWindowKinds) {
    ProbeWindowQuery q;
    q.kind = kind;
    auto rows = store.ListProbeWindows(q);
    if (!rows.ok()) Fail(rows.status().ToString());
    all.insert(all.end(), rows->begin(), rows->end());
  }
  return all;
}

}  // namespace

RebuildFigures TimeRebuild(Store& store) {
  RebuildFigures f;
  const std::vector<ProbeWindow> before = AllRollupRows(store);
  const double start = NowMs();
  absl::StatusOr<collector::store::RebuildReport> report =
      store.RebuildRollups();
  f.seconds = (NowMs() - start) / 1000;
  if (!report.ok()) Fail(report.status().ToString());
  f.identical = before == AllRollupRows(store);
  f.runs = report->runs_scanned;
  f.rows = report->rows_written;
  f.rows_before = before.size();
  return f;
}

}  // namespace v6scope::bench::aggregates
