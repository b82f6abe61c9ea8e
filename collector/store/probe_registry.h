// ProbeRegistry: the store's role as the register of probes and of the
// enrolment tokens that create them. Authentication and the admin service
// need only this.
#ifndef V6SCOPE_COLLECTOR_STORE_PROBE_REGISTRY_H_
#define V6SCOPE_COLLECTOR_STORE_PROBE_REGISTRY_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "proto/query_service.pb.h"

namespace v6scope::collector::store {

// An enrolment token as stored: only the SHA-256 hash of the secret.
struct EnrolmentTokenRecord {
  std::string token_hash;  // Lower-case hex SHA-256 of the token.
  std::string org;
  absl::Time created_at;
  absl::Time expires_at;
  // The probe it enrols is the collector's own vantage point (campaigns'
  // include_collector; docs/campaigns.md).
  bool collector_vantage = false;
};

// A probe as stored: only the hash of its credential.
struct ProbeRecord {
  std::string probe_id;
  std::string credential_hash;  // Lower-case hex SHA-256 of the credential.
  std::string org;
  std::string probe_version;
  absl::Time enrolled_at;
  bool revoked = false;
  // Sample data (`v6scope-collector sample-data`), never a real probe:
  // shown as synthetic in every answer (ProbeSummary.synthetic).
  bool synthetic = false;
  // Enrolled with a collector-vantage token: the probe beside the
  // collector, selected by campaigns that include the collector.
  bool collector_vantage = false;
};

// Thread-safe; writes return once durable (as every role of store.h).
class ProbeRegistry {
 public:
  virtual ~ProbeRegistry() = default;

  // ALREADY_EXISTS if the token hash is already there.
  virtual absl::Status AddEnrolmentToken(const EnrolmentTokenRecord& token) = 0;

  // Atomically marks the token as used by `probe` and inserts the probe.
  // Errors: NOT_FOUND (unknown token hash), FAILED_PRECONDITION with a
  // message saying "expired" or "already used", ALREADY_EXISTS (probe id).
  // `probe.org` and `probe.collector_vantage` are taken from the token.
  virtual absl::StatusOr<ProbeRecord> ConsumeEnrolmentToken(
      const std::string& token_hash, absl::Time now, ProbeRecord probe) = 0;

  // NOT_FOUND if there is no such probe.
  virtual absl::StatusOr<ProbeRecord> GetProbe(const std::string& probe_id) = 0;

  // NOT_FOUND if there is no such probe. Revoking twice is fine.
  virtual absl::Status RevokeProbe(const std::string& probe_id) = 0;

  // Every enrolled probe, by probe id (byte-wise), with its run count and
  // newest run time.
  virtual absl::StatusOr<std::vector<v6scope::v1::ProbeSummary>>
  ListProbes() = 0;
};

}  // namespace v6scope::collector::store

#endif  // V6SCOPE_COLLECTOR_STORE_PROBE_REGISTRY_H_
