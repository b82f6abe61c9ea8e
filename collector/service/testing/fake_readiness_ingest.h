// FakeReadinessIngest: ReadinessIngest over a ReadinessStore without
// validation, attribution or verdicts: each submitted batch is stored on a
// thread of its own and `done` called there, as the real ingest's worker
// does. Refusals and store failures can be forced.
#ifndef V6SCOPE_COLLECTOR_SERVICE_TESTING_FAKE_READINESS_INGEST_H_
#define V6SCOPE_COLLECTOR_SERVICE_TESTING_FAKE_READINESS_INGEST_H_

#include <string>
#include <thread>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "collector/ingest/readiness_ingest.h"
#include "collector/store/readiness_store.h"

namespace v6scope::collector::service::testing {

class FakeReadinessIngest : public ingest::ReadinessIngest {
 public:
  explicit FakeReadinessIngest(store::ReadinessStore* store) : store_(store) {}
  ~FakeReadinessIngest() override;  // Joins the workers.

  // Submit returns `status` (not OK) at once from now on.
  void RefuseWith(absl::Status status);

  absl::Status Submit(const std::string& probe_id,
                      v6scope::v1::DomainBatch* batch, Done done) override;

 private:
  store::ReadinessStore* const store_;
  absl::Mutex mu_;
  absl::Status refuse_ ABSL_GUARDED_BY(mu_);
  std::vector<std::thread> workers_ ABSL_GUARDED_BY(mu_);
};

}  // namespace v6scope::collector::service::testing

#endif  // V6SCOPE_COLLECTOR_SERVICE_TESTING_FAKE_READINESS_INGEST_H_
