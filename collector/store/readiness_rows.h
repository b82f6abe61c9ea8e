// What the SQLite and PostgreSQL stores do alike for the ReadinessStore
// role (readiness_store.h): the checks on a batch of rows before anything
// is written, the sector list's column encoding, and the per-probe fold
// of CountDomainResults. Internal to collector/store.
#ifndef V6SCOPE_COLLECTOR_STORE_READINESS_ROWS_H_
#define V6SCOPE_COLLECTOR_STORE_READINESS_ROWS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/types/span.h"
#include "collector/aggregate/readiness/result.h"
#include "collector/store/readiness_store.h"

namespace v6scope::collector::store {

// INVALID_ARGUMENT unless `rows` is non-empty, rows[i].seq == first_seq +
// i, and every sequence number and index fits a signed 64-bit column.
absl::Status ValidateDomainRows(uint64_t first_seq,
                                absl::Span<const DomainResultRow> rows);
// ValidateDomainRows of every batch; the error names it: "batches[2]: ...".
absl::Status ValidateDomainBatches(absl::Span<const DomainBatchRows> batches);

// The row's check as the store writes it: row.serialized, or `scratch`
// filled from row.check.
const SerializedCheck& StoredCheck(const DomainResultRow& row,
                                   SerializedCheck* scratch);

// What the readiness rollups count of a row stored for `probe_id` (the
// verdict's states and version from `check`, StoredCheck(row)).
aggregate::readiness::ReadinessResult ResultOfRow(const std::string& probe_id,
                                                  const DomainResultRow& row,
                                                  const SerializedCheck& check);
// The same into `into`, whose strings keep their capacity: the single
// writer folds every stored row, and reusing one result spares it two
// allocations a row.
void ResultOfRow(const std::string& probe_id, const DomainResultRow& row,
                 const SerializedCheck& check,
                 aggregate::readiness::ReadinessResult* into);

// Canonical sector names contain no comma: "a,b" and back ("" is none).
std::string JoinSectors(const std::vector<std::string>& sectors);
std::vector<std::string> SplitSectors(const std::string& column);

// One (probe, round, results) row of a GROUP BY probe_id, round query.
struct RoundCount {
  std::string probe_id;
  uint32_t round = 0;
  uint64_t results = 0;
};
// Folds rows sorted by probe_id into one ResultCount per probe: its
// newest round's count and the sum over rounds.
std::vector<ReadinessStore::ResultCount> FoldRoundCounts(
    const std::vector<RoundCount>& rows);

// The keyset cursor of a query: the row after which the page starts
// (round 0 sorts before every stored round, which starts at 1).
inline DomainResultCursor StartAfter(const DomainResultQuery& query) {
  return query.after.started ? query.after : DomainResultCursor{};
}

}  // namespace v6scope::collector::store

#endif  // V6SCOPE_COLLECTOR_STORE_READINESS_ROWS_H_
