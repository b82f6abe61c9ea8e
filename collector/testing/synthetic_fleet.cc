#include "collector/testing/synthetic_fleet.h"

#include <google/protobuf/util/time_util.h>

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/time.h"
#include "collector/ingest/prepare_run.h"

namespace v6scope::collector::testing {
namespace {

using ::google::protobuf::util::TimeUtil;
using ::v6scope::v1::Capability;
using ::v6scope::v1::TestResult;

google::protobuf::Timestamp Ts(absl::Time t) {
  return TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(t));
}

TestResult* Add(v6scope::v1::Run& run, v6scope::v1::TestKind kind,
                v6scope::v1::AddressFamily family, bool ok,
                uint32_t connect_us) {
  TestResult* t = run.add_tests();
  t->set_kind(kind);
  t->set_family(family);
  t->set_outcome(ok ? v6scope::v1::OK : v6scope::v1::TIMEOUT);
  t->set_target(absl::StrCat("https://", v6scope::v1::TestKind_Name(kind),
                             ".targets.example.net/"));
  if (kind >= v6scope::v1::HTTP_V4_ONLY) {
    t->set_used_family(ok ? family : v6scope::v1::ADDRESS_FAMILY_UNSPECIFIED);
    if (ok) {
      t->mutable_timings()->set_dns_us(1500);
      t->mutable_timings()->set_connect_us(connect_us);
      t->mutable_timings()->set_first_byte_us(connect_us * 2);
      t->mutable_timings()->set_total_us(connect_us * 2 + 800);
      t->set_http_status(200);
      t->set_bytes_received(kind == v6scope::v1::HTTP_V6_LARGE ? 1'500'000
                                                               : 1024);
    } else {
      t->mutable_timings()->set_total_us(10'000'000);
    }
  } else {
    t->mutable_timings()->set_total_us(ok ? 3000 : 5'000'000);
  }
  return t;
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
  const std::vector<SyntheticNetwork>& networks = SyntheticNetworks();
  return networks[static_cast<size_t>(probe) % networks.size()];
}

v6scope::v1::Run SyntheticFleet::MakeRun(int probe, absl::Time started,
                                         std::mt19937& random) const {
  const SyntheticNetwork& net = NetworkOf(probe);
  std::discrete_distribution<int> pick(
      {net.preferred, net.capable, net.broken, net.v4_only, net.nat64});
  const Capability kClasses[] = {
      v6scope::v1::V6_PREFERRED, v6scope::v1::V6_CAPABLE,
      v6scope::v1::V6_BROKEN, v6scope::v1::V4_ONLY, v6scope::v1::V6_ONLY_NAT64};
  const Capability capability = kClasses[pick(random)];
  const bool v4 = capability != v6scope::v1::V6_ONLY_NAT64;
  const bool v6 = capability != v6scope::v1::V6_BROKEN &&
                  capability != v6scope::v1::V4_ONLY;
  const bool pmtu = v6 && random() % 20 == 0;
  const uint32_t v4_connect = 10'000 + random() % 40'000;
  const uint32_t v6_connect =
      v4_connect + static_cast<uint32_t>(random() % 30'000) - 10'000;

  v6scope::v1::Run run;
  *run.mutable_started_at() = Ts(started);
  *run.mutable_finished_at() = Ts(started + absl::Seconds(4));
  v6scope::v1::AddressInventory* inv = run.mutable_inventory();
  inv->set_v4_private(v4 ? 1 : 0);
  inv->set_v4_default_route(v4);
  inv->set_v6_global_native(capability == v6scope::v1::V4_ONLY ? 0 : 1);
  inv->set_v6_default_route(capability != v6scope::v1::V4_ONLY);
  inv->set_v6_link_local(1);
  Add(run, v6scope::v1::DNS_A, v6scope::v1::ADDRESS_FAMILY_UNSPECIFIED, true,
      0);
  Add(run, v6scope::v1::DNS_AAAA, v6scope::v1::ADDRESS_FAMILY_UNSPECIFIED, true,
      0);
  Add(run, v6scope::v1::DNS_V6NS, v6scope::v1::ADDRESS_FAMILY_UNSPECIFIED,
      random() % 10 != 0, 0);
  Add(run, v6scope::v1::DNS_NAT64, v6scope::v1::ADDRESS_FAMILY_UNSPECIFIED,
      capability == v6scope::v1::V6_ONLY_NAT64, 0);
  Add(run, v6scope::v1::HTTP_V4_ONLY, v6scope::v1::IPV4, v4, v4_connect);
  Add(run, v6scope::v1::HTTP_V6_ONLY, v6scope::v1::IPV6, v6, v6_connect);
  TestResult* ds =
      Add(run, v6scope::v1::HTTP_DUAL_STACK,
          v6scope::v1::ADDRESS_FAMILY_UNSPECIFIED, true, v4_connect);
  ds->set_used_family(capability == v6scope::v1::V6_PREFERRED ||
                              capability == v6scope::v1::V6_ONLY_NAT64
                          ? v6scope::v1::IPV6
                          : v6scope::v1::IPV4);
  Add(run, v6scope::v1::HTTP_V6_LITERAL, v6scope::v1::IPV6, v6, v6_connect);
  Add(run, v6scope::v1::HTTP_V6_LARGE, v6scope::v1::IPV6, v6 && !pmtu,
      v6_connect);
  Add(run, v6scope::v1::HTTP_WHOAMI_V4, v6scope::v1::IPV4, v4, v4_connect);
  Add(run, v6scope::v1::HTTP_WHOAMI_V6, v6scope::v1::IPV6, v6, v6_connect);
  Add(run, v6scope::v1::DNS_A, v6scope::v1::ADDRESS_FAMILY_UNSPECIFIED, true,
      0);
  v6scope::v1::Verdict* verdict = run.mutable_verdict();
  verdict->set_capability(capability);
  if (capability == v6scope::v1::V6_BROKEN) {
    verdict->add_root_causes(v6scope::v1::BROKEN_V6_PATH);
  }
  if (pmtu) verdict->add_root_causes(v6scope::v1::PMTU_BLACKHOLE);
  if (capability == v6scope::v1::V6_ONLY_NAT64) {
    verdict->add_root_causes(v6scope::v1::NAT64);
    run.set_nat64_prefix("64:ff9b::/96");
  }
  verdict->set_score(v6 ? (pmtu ? 9 : 10)
                        : (capability == v6scope::v1::V6_BROKEN ? 3 : 0));
  verdict->set_methodology_version("1");
  run.set_target_set("synthetic");
  run.set_probe_version("synthetic");
  v6scope::v1::Attribution* a = run.mutable_attribution();
  const uint32_t block = static_cast<uint32_t>(probe) % 250;
  a->set_v4_prefix(absl::StrFormat("198.18.%d.0/24", block));
  a->set_v6_prefix(absl::StrFormat("2001:db8:%x::/48", 1 + probe % 65535));
  a->set_source("whoami");
  a->set_v4_asn(net.asn);
  a->set_v6_asn(v6 ? net.asn : 0);
  a->set_v4_country(net.country);
  a->set_v6_country(v6 ? net.country : "");
  a->set_asn(net.asn);
  a->set_country(net.country);
  a->set_datasets("synthetic");
  return run;
}

std::vector<v6scope::v1::Run> SyntheticFleet::DayRuns(int probe,
                                                      int day) const {
  std::mt19937 random(options_.seed * 7919u +
                      static_cast<uint32_t>(probe) * 104729u +
                      static_cast<uint32_t>(day));
  const absl::Time first_day = options_.end - absl::Hours(24) * options_.days;
  const absl::Duration step = absl::Hours(24) / options_.runs_per_day;
  std::vector<v6scope::v1::Run> runs;
  runs.reserve(options_.runs_per_day);
  for (int i = 0; i < options_.runs_per_day; ++i) {
    // Each probe runs at its own minute of the interval.
    const absl::Time started = first_day + absl::Hours(24) * day + step * i +
                               absl::Seconds(random() % 600);
    runs.push_back(MakeRun(probe, started, random));
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

}  // namespace v6scope::collector::testing
