#include "collector/store/readiness_rows.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "collector/store/store_encoding.h"

namespace v6scope::collector::store {

absl::Status ValidateDomainRows(uint64_t first_seq,
                                absl::Span<const DomainResultRow> rows) {
  if (rows.empty()) return absl::InvalidArgumentError("no rows to store");
  const uint64_t max = static_cast<uint64_t>(kMaxInt64);
  if (first_seq == 0 || first_seq > max - (rows.size() - 1)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "sequence numbers from ", first_seq, " do not fit 1..2^63-1"));
  }
  for (size_t i = 0; i < rows.size(); ++i) {
    if (rows[i].seq != first_seq + i) {
      return absl::InvalidArgumentError(
          absl::StrCat("rows[", i, "].seq is ", rows[i].seq, ", not ",
                       first_seq + i, ": rows must be contiguous"));
    }
    if (rows[i].list_index > max) {
      return absl::InvalidArgumentError(
          absl::StrCat("rows[", i, "].list_index above 2^63-1"));
    }
  }
  return absl::OkStatus();
}

absl::Status ValidateDomainBatches(absl::Span<const DomainBatchRows> batches) {
  for (size_t i = 0; i < batches.size(); ++i) {
    absl::Status valid =
        ValidateDomainRows(batches[i].first_seq, batches[i].rows);
    if (!valid.ok()) {
      return absl::Status(valid.code(),
                          absl::StrCat("batches[", i, "]: ", valid.message()));
    }
  }
  return absl::OkStatus();
}

const SerializedCheck& StoredCheck(const DomainResultRow& row,
                                   SerializedCheck* scratch) {
  if (row.serialized.has_value()) return *row.serialized;
  *scratch = SerializedCheck::Of(row.check);
  return *scratch;
}

std::string JoinSectors(const std::vector<std::string>& sectors) {
  return absl::StrJoin(sectors, ",");
}

std::vector<std::string> SplitSectors(const std::string& column) {
  if (column.empty()) return {};
  return absl::StrSplit(column, ',');
}

aggregate::readiness::ReadinessResult ResultOfRow(
    const std::string& probe_id, const DomainResultRow& row,
    const SerializedCheck& check) {
  aggregate::readiness::ReadinessResult r;
  ResultOfRow(probe_id, row, check, &r);
  return r;
}

void ResultOfRow(const std::string& probe_id, const DomainResultRow& row,
                 const SerializedCheck& check,
                 aggregate::readiness::ReadinessResult* into) {
  into->campaign_id = row.campaign_id;
  into->round = row.round;
  into->probe_id = probe_id;
  into->probe_asn = row.probe_asn;
  into->probe_country = row.probe_country;
  into->domain = row.domain;
  into->sector = row.sector;
  into->methodology_version = check.methodology_version;
  into->states = {static_cast<v6scope::v1::ServiceState>(check.web_state),
                  static_cast<v6scope::v1::ServiceState>(check.dns_state),
                  static_cast<v6scope::v1::ServiceState>(check.mail_state)};
}

std::vector<ReadinessStore::ResultCount> FoldRoundCounts(
    const std::vector<RoundCount>& rows) {
  std::vector<ReadinessStore::ResultCount> counts;
  for (const RoundCount& row : rows) {
    if (counts.empty() || counts.back().probe_id != row.probe_id) {
      counts.push_back({row.probe_id, 0, 0, 0});
    }
    ReadinessStore::ResultCount& c = counts.back();
    if (row.round >= c.round) {
      c.round = row.round;
      c.in_round = row.results;
    }
    c.all_rounds += row.results;
  }
  return counts;
}

}  // namespace v6scope::collector::store
