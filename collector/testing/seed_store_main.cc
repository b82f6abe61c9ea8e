// seed-store: fills a collector's store with a synthetic fleet's runs
// (collector/sample/synthetic_fleet.h), for the dashboard demo, the
// end-to-end tests and benchmarks. Writes through the Store interface, so
// the rollups are maintained exactly as at ingest. Synthetic data: never
// present its numbers as measurements.
#include <algorithm>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <string>

#include "absl/flags/flag.h"
#include "absl/status/statusor.h"
#include "absl/strings/numbers.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "collector/sample/synthetic_fleet.h"
#include "collector/sample/synthetic_readiness.h"
#include "collector/store/postgres/postgres_store.h"
#include "collector/store/sqlite/sqlite_store.h"
#include "common/cli/flags.h"
#include "common/log/log.h"

ABSL_FLAG(std::string, sqlite, "",
          "the collector's SQLite database (DATA_DIR/v6scope.db)");
ABSL_FLAG(std::string, postgres, "", "or a PostgreSQL connection string");
ABSL_FLAG(int, probes, 100, "probes");
ABSL_FLAG(int, days, 7, "days of runs");
ABSL_FLAG(int, runs_per_day, 24, "runs per probe per day (1..1440)");
ABSL_FLAG(int, seed, 1, "random seed");
ABSL_FLAG(int64_t, end, 0, "end of the period, unix seconds (0: now)");
ABSL_FLAG(int, campaign_domains, 0,
          "also a synthetic public-service campaign of this many domains, "
          "measured by the fleet (0: none)");
ABSL_FLAG(int, campaign_rounds, 2, "rounds of that campaign, one a day");
ABSL_FLAG(int, campaign_probes, 0,
          "probes measuring that campaign: the fleet's first N (0: all)");

namespace v6scope::collector::testing {
namespace {

constexpr char kUsage[] =
    "seed-store: stores synthetic runs (target_set \"synthetic\") for a "
    "fleet of\nprobes spread over a dozen networks, ending at --end.\n"
    "usage: seed-store (--sqlite=FILE | --postgres=DSN) [flags]";

// The store named by exactly one of `sqlite` and `postgres`.
absl::StatusOr<std::unique_ptr<collector::store::Store>> OpenStore(
    const std::string& sqlite, const std::string& postgres) {
  absl::StatusOr<std::unique_ptr<collector::store::Store>> store;
  if (!sqlite.empty()) {
    auto s = collector::store::sqlite::SqliteStore::Open(sqlite);
    if (s.ok())
      store = std::unique_ptr<collector::store::Store>(std::move(*s));
    else
      store = s.status();
  } else {
    auto s = collector::store::postgres::PostgresStore::Open(postgres);
    if (s.ok())
      store = std::unique_ptr<collector::store::Store>(std::move(*s));
    else
      store = s.status();
  }
  return store;
}

}  // namespace

int Main(int argc, char** argv) {
  cli::ParseFlagsOrExit(argc, argv, kUsage);
  const std::string sqlite = absl::GetFlag(FLAGS_sqlite);
  const std::string postgres = absl::GetFlag(FLAGS_postgres);
  const int probes = absl::GetFlag(FLAGS_probes);
  const int days = absl::GetFlag(FLAGS_days);
  const int runs_per_day = absl::GetFlag(FLAGS_runs_per_day);
  const int seed = absl::GetFlag(FLAGS_seed);
  const int64_t end = absl::GetFlag(FLAGS_end);
  if (sqlite.empty() == postgres.empty()) {
    cli::Die("give exactly one of --sqlite or --postgres");
  }
  if (probes < 1 || days < 1 || runs_per_day < 1 || runs_per_day > 1440) {
    cli::Die("--probes and --days must be >= 1, --runs_per_day 1..1440");
  }
  absl::StatusOr<std::unique_ptr<collector::store::Store>> store =
      OpenStore(sqlite, postgres);
  if (!store.ok()) {
    cli::Die(store.status().message(), 1);
  }
  collector::sample::SyntheticFleetOptions options;
  options.probes = probes;
  options.days = days;
  options.runs_per_day = runs_per_day;
  options.seed = static_cast<uint32_t>(seed);
  options.end = end == 0 ? absl::Now() : absl::FromUnixSeconds(end);
  const absl::Time start = absl::Now();
  absl::StatusOr<uint64_t> stored =
      collector::sample::SyntheticFleet(options).StoreAll(**store);
  if (!stored.ok()) {
    cli::Die(stored.status().message(), 1);
  }
  uint64_t results = 0;
  if (absl::GetFlag(FLAGS_campaign_domains) > 0) {
    collector::sample::SyntheticCampaignOptions campaign;
    campaign.domains = absl::GetFlag(FLAGS_campaign_domains);
    campaign.rounds = std::max(1, absl::GetFlag(FLAGS_campaign_rounds));
    campaign.probes = absl::GetFlag(FLAGS_campaign_probes);
    absl::StatusOr<uint64_t> r = collector::sample::StoreSyntheticCampaign(
        **store, collector::sample::SyntheticFleet(options), campaign);
    if (!r.ok()) cli::Die(r.status().message(), 1);
    results = *r;
  }
  log::Info("seed.done",
            {{"runs", static_cast<int64_t>(*stored)},
             {"readiness_results", static_cast<int64_t>(results)},
             {"probes", probes},
             {"days", days},
             {"seconds", absl::ToDoubleSeconds(absl::Now() - start)}});
  return 0;
}

}  // namespace v6scope::collector::testing

int main(int argc, char** argv) {
  return v6scope::collector::testing::Main(argc, argv);
}
