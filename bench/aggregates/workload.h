// What the aggregates benchmark measures: the two group_by queries, the
// window they ask about, and the plain-SQL variants (indexes, query forms)
// that answer the same question over the raw runs table.
#ifndef V6SCOPE_BENCH_AGGREGATES_WORKLOAD_H_
#define V6SCOPE_BENCH_AGGREGATES_WORKLOAD_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "collector/aggregate/window.h"
#include "proto/query_service.pb.h"

namespace v6scope::bench::aggregates {

struct Query {
  std::string label;  // "by-country"
  v6scope::v1::GroupBy group_by;
  std::string group_sql;  // The plain query's group expression.
};

// By country, then by ASN.
const std::vector<Query>& Queries();

struct PlainVariant {
  std::string name;
  std::string what;          // For the report.
  std::string index;         // Name of the added index; empty: none.
  std::string create_index;  // Empty: no index added.
  std::string index_clause;  // INDEXED BY ... / NOT INDEXED.
  // false: each probe's latest run by ROW_NUMBER() over a window; true: a
  // GROUP BY probe_id with max(run time), whose bare columns SQLite takes
  // from the row holding the max (exact unless two runs of one probe have
  // the same run time; the agreement check would show it).
  bool bare_max = false;
};

const std::vector<PlainVariant>& PlainVariants();
// nullptr if there is no variant of that name.
const PlainVariant* FindPlainVariant(absl::string_view name);

// The plain query: one vote per probe (its latest run in the window by
// (run time, seq), as the rollups define it), then the counts per group.
std::string PlainSql(const Query& q, const PlainVariant& v);

v6scope::v1::WindowKind ToProto(collector::aggregate::WindowKind kind);

// The window the queries ask about, at the benchmark's fixed clock.
struct QueryWindow {
  collector::aggregate::WindowKind kind;
  absl::Time at, start, end;
  int64_t from_us = 0, to_us = 0;  // [start, end) in Unix microseconds.
};

QueryWindow MakeQueryWindow(collector::aggregate::WindowKind kind,
                            absl::Time at);

}  // namespace v6scope::bench::aggregates

#endif  // V6SCOPE_BENCH_AGGREGATES_WORKLOAD_H_
