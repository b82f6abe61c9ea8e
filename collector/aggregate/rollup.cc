#include "collector/aggregate/rollup.h"

#include <google/protobuf/util/time_util.h>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/time/time.h"
#include "collector/aggregate/window.h"
#include "methodology/observation.h"

namespace v6scope::collector::aggregate {

absl::Time RunTime(const v6scope::v1::Run& run, absl::Time received_at) {
  if (!run.has_started_at()) return received_at;
  return absl::FromUnixMicros(
      google::protobuf::util::TimeUtil::TimestampToMicroseconds(
          run.started_at()));
}

void MergeProbeWindow(const ProbeWindow& delta, ProbeWindow* into) {
  into->runs += delta.runs;
  if (std::make_pair(delta.latest_time_us, delta.latest_seq) >
      std::make_pair(into->latest_time_us, into->latest_seq)) {
    into->latest_time_us = delta.latest_time_us;
    into->latest_seq = delta.latest_seq;
    into->latest = delta.latest;
  }
}

void RollupDeltas::Add(const std::string& probe_id, uint64_t seq,
                       const v6scope::v1::Run& run, absl::Time received_at) {
  Add(probe_id, seq, methodology::Observe(run), RunTime(run, received_at));
}

void RollupDeltas::Add(const std::string& probe_id, uint64_t seq,
                       const methodology::Observation& observation,
                       absl::Time at) {
  for (WindowKind kind : kAllWindowKinds) {
    ProbeWindow delta;
    delta.kind = kind;
    delta.window_start_us = absl::ToUnixMicros(WindowStart(kind, at));
    delta.probe_id = probe_id;
    delta.runs = 1;
    delta.latest_time_us = absl::ToUnixMicros(at);
    delta.latest_seq = static_cast<int64_t>(seq);
    delta.latest = observation;
    Key key{static_cast<int>(kind), delta.window_start_us, probe_id};
    auto [it, inserted] = rows_.try_emplace(std::move(key), delta);
    if (!inserted) MergeProbeWindow(delta, &it->second);
  }
}

std::vector<ProbeWindow> RollupDeltas::Take() {
  std::vector<ProbeWindow> rows;
  rows.reserve(rows_.size());
  for (auto& [key, row] : rows_) rows.push_back(std::move(row));
  rows_.clear();
  return rows;
}

}  // namespace v6scope::collector::aggregate
