#include "bench/aggregates/workload.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "collector/aggregate/window.h"
#include "proto/query_service.pb.h"

namespace v6scope::bench::aggregates {

using collector::aggregate::WindowKind;

const std::vector<Query>& Queries() {
  static const auto* const kQueries = new std::vector<Query>{
      {"by-country", v6scope::v1::COUNTRY,
       "CASE WHEN country = '' THEN 'unknown' ELSE country END"},
      {"by-ASN", v6scope::v1::ASN,
       "CASE WHEN asn = 0 THEN 'unknown' ELSE CAST(asn AS TEXT) END"},
  };
  return *kQueries;
}

const std::vector<PlainVariant>& PlainVariants() {
  static const auto* const kVariants = new std::vector<PlainVariant>{
      {"scan", "no added index (table scan)", "", "", "NOT INDEXED"},
      {"time", "index on the run time", "bench_runs_time",
       "CREATE INDEX IF NOT EXISTS bench_runs_time ON runs "
       "(coalesce(started_at, received_at))",
       "INDEXED BY bench_runs_time"},
      {"covering", "covering index led by the run time",
       "bench_runs_time_covering",
       "CREATE INDEX IF NOT EXISTS bench_runs_time_covering ON runs "
       "(coalesce(started_at, received_at), probe_id, seq, started_at, "
       "received_at, capability, asn, country)",
       "INDEXED BY bench_runs_time_covering"},
      {"probe_covering",
       "covering index in the window's order (probe, time desc, seq desc)",
       "bench_runs_probe_covering",
       "CREATE INDEX IF NOT EXISTS bench_runs_probe_covering ON runs "
       "(probe_id, coalesce(started_at, received_at) DESC, seq DESC, "
       "started_at, received_at, capability, asn, country)",
       "INDEXED BY bench_runs_probe_covering"},
      {"groupby_max",
       "GROUP BY probe_id with max(run time) (bare columns), over the "
       "probe_covering index",
       "bench_runs_probe_covering",
       "CREATE INDEX IF NOT EXISTS bench_runs_probe_covering ON runs "
       "(probe_id, coalesce(started_at, received_at) DESC, seq DESC, "
       "started_at, received_at, capability, asn, country)",
       "INDEXED BY bench_runs_probe_covering", true},
  };
  return *kVariants;
}

const PlainVariant* FindPlainVariant(absl::string_view name) {
  for (const PlainVariant& v : PlainVariants()) {
    if (v.name == name) return &v;
  }
  return nullptr;
}

// Capability numbers: 1 V6_PREFERRED, 2 V6_CAPABLE, 3 V6_ONLY,
// 4 V6_ONLY_NAT64, 5 V6_BROKEN, 7 OFFLINE, 0 none (observation.h).
std::string PlainSql(const Query& q, const PlainVariant& v) {
  constexpr char kCounts[] =
      "SELECT grp, COUNT(*), SUM(probe_runs),\n"
      "       SUM(capability NOT IN (0, 7)),\n"
      "       SUM(capability IN (1, 2, 3, 4)),\n"
      "       SUM(capability IN (1, 3, 4)),\n"
      "       SUM(capability = 5)\n";
  constexpr char kInWindow[] =
      "  WHERE coalesce(started_at, received_at) >= ?1\n"
      "    AND coalesce(started_at, received_at) < ?2\n";
  if (v.bare_max) {
    return absl::StrCat(
        "WITH latest AS (\n"
        "  SELECT probe_id, max(coalesce(started_at, received_at)) AS t,\n"
        "         ",
        q.group_sql,
        " AS grp,\n"
        "         capability, COUNT(*) AS probe_runs\n"
        "  FROM runs ",
        v.index_clause, "\n", kInWindow,
        "  GROUP BY probe_id\n"
        ")\n",
        kCounts, "FROM latest GROUP BY grp");
  }
  return absl::StrCat(
      "WITH ranked AS (\n"
      "  SELECT ",
      q.group_sql,
      " AS grp, capability,\n"
      "         ROW_NUMBER() OVER w AS rn,\n"
      "         COUNT(*) OVER (w ROWS BETWEEN UNBOUNDED PRECEDING\n"
      "                          AND UNBOUNDED FOLLOWING) AS probe_runs\n"
      "  FROM runs ",
      v.index_clause, "\n", kInWindow,
      "  WINDOW w AS (PARTITION BY probe_id\n"
      "               ORDER BY coalesce(started_at, received_at) DESC, "
      "seq DESC)\n"
      ")\n",
      kCounts, "FROM ranked WHERE rn = 1 GROUP BY grp");
}

v6scope::v1::WindowKind ToProto(WindowKind kind) {
  switch (kind) {
    case WindowKind::kWeek:
      return v6scope::v1::WEEK;
    case WindowKind::kMonth:
      return v6scope::v1::MONTH;
    default:
      return v6scope::v1::DAY;
  }
}

QueryWindow MakeQueryWindow(WindowKind kind, absl::Time at) {
  QueryWindow w;
  w.kind = kind;
  w.at = at;
  w.start = collector::aggregate::WindowStart(kind, at);
  w.end = collector::aggregate::WindowEnd(kind, w.start);
  w.from_us = absl::ToUnixMicros(w.start);
  w.to_us = absl::ToUnixMicros(w.end);
  return w;
}

}  // namespace v6scope::bench::aggregates
