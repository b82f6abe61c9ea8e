// A ReadinessRollupStore in memory for tests of the readiness read path
// and its adapters: results are folded as ingest folds them
// (ReadinessRollupDeltas, MergeInto), rows listed with the query's filters
// in key order, as a real store lists them.
#ifndef V6SCOPE_COLLECTOR_QUERY_TESTING_FAKE_READINESS_ROLLUPS_H_
#define V6SCOPE_COLLECTOR_QUERY_TESTING_FAKE_READINESS_ROLLUPS_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/types/span.h"
#include "collector/aggregate/readiness/result.h"
#include "collector/aggregate/readiness/rollup.h"
#include "collector/store/readiness_rollup_store.h"

namespace v6scope::collector::query::testing {

class FakeReadinessRollups : public store::ReadinessRollupStore {
 public:
  // Folds `results` into the rows (each result once).
  void Add(absl::Span<const aggregate::readiness::ReadinessResult> results);
  // Every later list fails with `status` (OK: lists again).
  void FailWith(absl::Status status);
  // The queries listed so far.
  std::vector<store::ReadinessRollupQuery> queries() const;

  absl::StatusOr<std::vector<aggregate::readiness::DomainRollup>>
  ListReadinessRollups(const store::ReadinessRollupQuery& query) override;
  absl::StatusOr<std::vector<uint32_t>> ListReadinessRounds(
      const std::string& campaign_id) override;
  absl::StatusOr<store::ReadinessRebuildReport> RebuildReadinessRollups()
      override;

 private:
  mutable absl::Mutex mu_;
  std::map<aggregate::readiness::DomainRollupKey,
           aggregate::readiness::DomainRollup>
      rows_ ABSL_GUARDED_BY(mu_);
  absl::Status status_ ABSL_GUARDED_BY(mu_);
  std::vector<store::ReadinessRollupQuery> queries_ ABSL_GUARDED_BY(mu_);
};

// A result of `campaign` round `round` from a probe in `country` and AS
// `asn`, of `domain` in `sector`, under the current readiness methodology,
// web state `web`, DNS and mail not tested unless given.
aggregate::readiness::ReadinessResult Result(
    const std::string& campaign, uint32_t round, const std::string& country,
    uint32_t asn, const std::string& sector, const std::string& domain,
    v6scope::v1::ServiceState web,
    v6scope::v1::ServiceState dns = v6scope::v1::SERVICE_STATE_UNSPECIFIED,
    v6scope::v1::ServiceState mail = v6scope::v1::SERVICE_STATE_UNSPECIFIED);

}  // namespace v6scope::collector::query::testing

#endif  // V6SCOPE_COLLECTOR_QUERY_TESTING_FAKE_READINESS_ROLLUPS_H_
