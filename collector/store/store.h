// Store: where the collector keeps probes, enrolment tokens and runs.
//
// The store plays eight roles, one header each; a user takes the narrowest
// it needs:
//   ProbeRegistry  probes and enrolment tokens      (auth, admin service)
//   AccessKeys     researchers' read keys           (auth, admin service)
//   RunSink        storing uploaded runs            (ingest writer)
//   RunReader      listing and exporting raw runs   (query)
//   RollupStore    aggregation rollups, rebuild     (query, admin CLI)
//   CampaignStore  campaigns and their domain lists (admin service)
//   ReadinessStore campaign work and readiness results (upload stream,
//                  planner)
//   ReadinessRollupStore  readiness rollups, rebuild (query, admin CLI)
// Store is all eight: what a backend implements (SQLite embedded default,
// PostgreSQL for several collectors; both pass store_conformance.h) and
// what the collector's server owns. Implementations are thread-safe:
// every method may be called from any thread. Methods that write return
// only once the write is durable.
#ifndef V6SCOPE_COLLECTOR_STORE_STORE_H_
#define V6SCOPE_COLLECTOR_STORE_STORE_H_

#include "absl/status/status.h"
#include "collector/store/access_keys.h"
#include "collector/store/campaign_store.h"
#include "collector/store/probe_registry.h"
#include "collector/store/readiness_rollup_store.h"
#include "collector/store/readiness_store.h"
#include "collector/store/rollup_store.h"
#include "collector/store/run_reader.h"
#include "collector/store/run_sink.h"

namespace v6scope::collector::store {

class Store : public ProbeRegistry,
              public AccessKeys,
              public RunSink,
              public RunReader,
              public RollupStore,
              public CampaignStore,
              public ReadinessStore,
              public ReadinessRollupStore {
 public:
  ~Store() override = default;

  // Readiness (/readyz): OK when a write reaches the database now (SQLite:
  // a committed write to a one-row health_check table; PostgreSQL: a
  // pooled connection answers and the server is not read-only). Cheap
  // enough to call every few seconds.
  virtual absl::Status CheckWritable() = 0;
};

}  // namespace v6scope::collector::store

#endif  // V6SCOPE_COLLECTOR_STORE_STORE_H_
