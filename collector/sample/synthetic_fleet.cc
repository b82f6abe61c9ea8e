#include "collector/sample/synthetic_fleet.h"

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/time.h"
#include "collector/ingest/prepare_run.h"
#include "methodology/synthetic/run_generator.h"

namespace v6scope::collector::sample {
namespace {

using ::v6scope::v1::Capability;

// The profile of one run of a probe in `net`: a capability drawn from the
// network's mix, a path-MTU black hole on one IPv6 path in 20, a resolver
// without IPv6 transport once in 10 runs.
methodology::synthetic::NetworkProfile DrawProfile(const SyntheticNetwork& net,
                                                   std::mt19937& random) {
  std::discrete_distribution<int> pick(
      {net.preferred, net.capable, net.broken, net.v4_only, net.nat64});
  const Capability kClasses[] = {
      v6scope::v1::V6_PREFERRED, v6scope::v1::V6_CAPABLE,
      v6scope::v1::V6_BROKEN, v6scope::v1::V4_ONLY, v6scope::v1::V6_ONLY_NAT64};
  methodology::synthetic::NetworkProfile profile;
  profile.capability = kClasses[pick(random)];
  const bool v6 = profile.capability != v6scope::v1::V6_BROKEN &&
                  profile.capability != v6scope::v1::V4_ONLY;
  profile.pmtu_black_hole = v6 && random() % 20 == 0;
  profile.resolver_no_v6 = random() % 10 == 0;
  return profile;
}

// What the collector's enrichment would add, from the network's table
// (the fleet's runs skip enrichment).
void Attribute(const SyntheticNetwork& net, int probe, bool v6,
               v6scope::v1::Run& run) {
  v6scope::v1::Attribution* a = run.mutable_attribution();
  const uint32_t block = static_cast<uint32_t>(probe) % 250;
  a->set_v4_prefix(absl::StrFormat("11.18.%d.0/24", block));
  a->set_v6_prefix(absl::StrFormat("3ffe:%x::/48", 1 + probe % 65535));
  a->set_source("whoami");
  a->set_v4_asn(net.asn);
  a->set_v6_asn(v6 ? net.asn : 0);
  a->set_v4_country(net.country);
  a->set_v6_country(v6 ? net.country : "");
  a->set_asn(net.asn);
  a->set_country(net.country);
  a->set_datasets("synthetic");
}

}  // namespace

const std::vector<SyntheticNetwork>& SyntheticNetworks() {
  static const auto* const kNetworks = new std::vector<SyntheticNetwork>{
      {33771, "KE", "SAFARICOM-LIMITED", 0.45, 0.15, 0.10, 0.28, 0.02},
      {36926, "KE", "CKL1-ASN", 0.05, 0.05, 0.05, 0.85, 0.0},
      {37100, "ET", "SEACOM-AS", 0.10, 0.05, 0.05, 0.80, 0.0},
      {3320, "DE", "DTAG", 0.70, 0.10, 0.03, 0.17, 0.0},
      {3209, "DE", "VODANET", 0.55, 0.10, 0.05, 0.30, 0.0},
      {7922, "US", "COMCAST-7922", 0.72, 0.08, 0.03, 0.17, 0.0},
      {21928, "US", "T-MOBILE-AS21928", 0.20, 0.0, 0.02, 0.03, 0.75},
      {55836, "IN", "RELIANCEJIO-IN", 0.80, 0.05, 0.05, 0.10, 0.0},
      {28573, "BR", "CLARO", 0.50, 0.10, 0.05, 0.35, 0.0},
      {12389, "RU", "ROSTELECOM-AS", 0.10, 0.05, 0.05, 0.80, 0.0},
      {8452, "EG", "TE-AS", 0.15, 0.05, 0.05, 0.75, 0.0},
      {38442, "FJ", "VODAFONE-FJ", 0.05, 0.05, 0.05, 0.85, 0.0},
      {2516, "JP", "KDDI", 0.60, 0.10, 0.02, 0.28, 0.0},
  };
  return *kNetworks;
}

SyntheticFleet::SyntheticFleet(const SyntheticFleetOptions& options)
    : options_(options) {}

std::string SyntheticFleet::ProbeId(int probe) const {
  return absl::StrFormat("synth-%05d", probe);
}

const SyntheticNetwork& SyntheticFleet::NetworkOf(int probe) const {
  const std::vector<SyntheticNetwork>& networks =
      options_.networks.empty() ? SyntheticNetworks() : options_.networks;
  return networks[static_cast<size_t>(probe) % networks.size()];
}

v6scope::v1::Run SyntheticFleet::MakeRun(
    int probe, absl::Time started,
    methodology::synthetic::RunGenerator& generator) const {
  const SyntheticNetwork& net = NetworkOf(probe);
  const methodology::synthetic::NetworkProfile profile =
      DrawProfile(net, generator.random());
  methodology::synthetic::RunShape shape;
  // Twelve results per run (the suite's eleven, then DNS_A again), so that
  // the aggregates benchmark's default fleet stores >= 10 million.
  shape.tests = 12;
  // Lean runs, as the fleet has always made them (about 880 bytes, so that
  // the aggregates benchmark's figures stay comparable): outcomes and
  // timings, not the probe's address and error detail.
  shape.tls_timings = false;
  shape.dns_detail = false;
  shape.used_address = false;
  shape.error_detail = false;
  shape.target_set = "synthetic";
  shape.probe_version = "synthetic";
  v6scope::v1::Run run = generator.Generate(profile, started, shape);
  if (profile.capability == v6scope::v1::V6_ONLY_NAT64) {
    run.set_nat64_prefix("64:ff9b::/96");
  }
  Attribute(net, probe,
            profile.capability != v6scope::v1::V6_BROKEN &&
                profile.capability != v6scope::v1::V4_ONLY,
            run);
  return run;
}

std::vector<v6scope::v1::Run> SyntheticFleet::DayRuns(int probe,
                                                      int day) const {
  methodology::synthetic::RunGenerator generator(
      options_.seed * 7919u + static_cast<uint32_t>(probe) * 104729u +
      static_cast<uint32_t>(day));
  const absl::Time first_day = options_.end - absl::Hours(24) * options_.days;
  const absl::Duration step = absl::Hours(24) / options_.runs_per_day;
  std::vector<v6scope::v1::Run> runs;
  runs.reserve(options_.runs_per_day);
  for (int i = 0; i < options_.runs_per_day; ++i) {
    // Each probe runs at its own minute of the interval.
    const absl::Time started = first_day + absl::Hours(24) * day + step * i +
                               absl::Seconds(generator.random()() % 600);
    runs.push_back(MakeRun(probe, started, generator));
  }
  return runs;
}

store::RunBatch SyntheticFleet::DayBatch(int probe, int day) const {
  store::RunBatch batch;
  batch.probe_id = ProbeId(probe);
  batch.first_seq = static_cast<uint64_t>(day) *
                        static_cast<uint64_t>(options_.runs_per_day) +
                    1;
  for (const v6scope::v1::Run& run : DayRuns(probe, day)) {
    // Synthetic runs are small and complete: preparing cannot fail.
    batch.runs.push_back(*ingest::PrepareRun(run));
  }
  const absl::Time first_day = options_.end - absl::Hours(24) * options_.days;
  batch.received_at = first_day + absl::Hours(24) * (day + 1);
  return batch;
}

absl::StatusOr<uint64_t> SyntheticFleet::StoreAll(store::Store& store) const {
  uint64_t stored = 0;
  for (int day = 0; day < options_.days; ++day) {
    std::vector<store::RunBatch> call;
    for (int probe = 0; probe < options_.probes; ++probe) {
      call.push_back(DayBatch(probe, day));
      if (call.size() * static_cast<size_t>(options_.runs_per_day) >= 5000) {
        absl::StatusOr<std::vector<store::BatchOutcome>> out =
            store.StoreBatches(call);
        if (!out.ok()) return out.status();
        for (const store::BatchOutcome& o : *out) stored += o.stored;
        call.clear();
      }
    }
    if (!call.empty()) {
      absl::StatusOr<std::vector<store::BatchOutcome>> out =
          store.StoreBatches(call);
      if (!out.ok()) return out.status();
      for (const store::BatchOutcome& o : *out) stored += o.stored;
    }
  }
  return stored;
}

}  // namespace v6scope::collector::sample
