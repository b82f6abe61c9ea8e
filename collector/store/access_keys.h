// AccessKeys: the store's role as the register of researchers' read keys.
// A read key lets its holder call QueryService and the HTTP /api/ on a
// listener that is not loopback-only; keys are created and revoked by an
// administrator (AdminService) and stored only as SHA-256 hashes, like
// enrolment tokens.
#ifndef V6SCOPE_COLLECTOR_STORE_ACCESS_KEYS_H_
#define V6SCOPE_COLLECTOR_STORE_ACCESS_KEYS_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace v6scope::collector::store {

// A read key as stored: only the hash of the key itself.
struct ReadKeyRecord {
  // Public handle for listing and revoking ("k-" + 8 hex); not a secret.
  std::string key_id;
  std::string key_hash;  // Lower-case hex SHA-256 of the key.
  std::string name;      // Who holds it (a person or a project).
  std::string org;       // Their organisation.
  absl::Time created_at;
  absl::Time expires_at;
  bool revoked = false;
};

// Thread-safe; writes return once durable (as every role of store.h).
class AccessKeys {
 public:
  virtual ~AccessKeys() = default;

  // ALREADY_EXISTS if the key id or the key hash is already there.
  virtual absl::Status AddReadKey(const ReadKeyRecord& key) = 0;

  // The key with this hash, revoked or expired ones included (the caller
  // decides); NOT_FOUND if there is none.
  virtual absl::StatusOr<ReadKeyRecord> FindReadKey(
      const std::string& key_hash) = 0;

  // Every key, revoked ones included, by key id (byte-wise).
  virtual absl::StatusOr<std::vector<ReadKeyRecord>> ListReadKeys() = 0;

  // NOT_FOUND if there is no such key. Revoking twice is fine.
  virtual absl::Status RevokeReadKey(const std::string& key_id) = 0;
};

}  // namespace v6scope::collector::store

#endif  // V6SCOPE_COLLECTOR_STORE_ACCESS_KEYS_H_
