#include "collector/ingest/prepare_domain_rows.h"

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "collector/campaign/domain_list.h"
#include "collector/campaign/sector.h"
#include "collector/ingest/enrich_domain.h"
#include "common/text/text_rules.h"
#include "methodology/readiness/readiness.h"

namespace v6scope::collector::ingest {
namespace {

using v6scope::v1::DomainBatch;

// One assignment named in the batch, with the part of its list the batch
// covers: names[k] is item min_item + k (fewer, or none, when the list is
// gone).
struct Slice {
  store::AssignmentRecord record;
  uint32_t min_item = UINT32_MAX;
  uint32_t max_item = 0;
  std::vector<campaign::DomainEntry> names;
};
using Slices = absl::flat_hash_map<std::string, Slice>;

absl::Status BadResult(int i, absl::string_view field, absl::string_view why) {
  return absl::InvalidArgumentError(
      absl::StrCat("results[", i, "].", field, ": ", why));
}

// Looks up each assignment once; checks it is the probe's and covers the
// item.
absl::Status LookUpAssignments(const std::string& probe_id,
                               const DomainBatch& batch,
                               store::ReadinessStore& results, Slices* slices) {
  for (int i = 0; i < batch.results_size(); ++i) {
    const v6scope::v1::DomainResult& r = batch.results(i);
    auto [it, inserted] = slices->try_emplace(r.assignment_id());
    Slice& slice = it->second;
    if (inserted) {
      absl::StatusOr<store::AssignmentRecord> a =
          results.GetAssignment(r.assignment_id());
      if (absl::IsNotFound(a.status()) || (a.ok() && a->probe_id != probe_id)) {
        return BadResult(i, "assignment_id",
                         absl::StrCat(r.assignment_id(),
                                      " is not an assignment of this probe"));
      }
      if (!a.ok()) return a.status();
      slice.record = *std::move(a);
    }
    if (r.item() >= slice.record.count) {
      return BadResult(i, "item",
                       absl::StrCat(r.item(), " is beyond the assignment's ",
                                    slice.record.count, " domains"));
    }
    slice.min_item = std::min(slice.min_item, r.item());
    slice.max_item = std::max(slice.max_item, r.item());
  }
  return absl::OkStatus();
}

// One range read per assignment; a campaign or list that is gone leaves
// `names` empty.
absl::Status ReadAssignedNames(store::CampaignStore& campaigns,
                               Slices* slices) {
  for (auto& [id, slice] : *slices) {
    const int64_t after =
        static_cast<int64_t>(slice.record.first_index + slice.min_item);
    const int limit = static_cast<int>(slice.max_item - slice.min_item + 1);
    absl::StatusOr<std::vector<campaign::DomainEntry>> names =
        campaigns.ReadCampaignDomains(slice.record.campaign_id, after, limit);
    if (absl::IsNotFound(names.status())) continue;
    if (!names.ok()) return names.status();
    slice.names = *std::move(names);
  }
  return absl::OkStatus();
}

// The entry assigned at `item`, or null when the list is gone.
const campaign::DomainEntry* Assigned(const Slice& slice, uint32_t item) {
  const size_t k = item - slice.min_item;
  return k < slice.names.size() ? &slice.names[k] : nullptr;
}

// The check is serialized here, on the uploading stream's thread, and left
// in the batch: the row carries only its bytes to the single writer.
store::DomainResultRow MakeRow(const Slice& slice, uint32_t item,
                               const v6scope::v1::DomainCheck& check) {
  store::DomainResultRow row;
  row.assignment_id = slice.record.assignment_id;
  row.item = item;
  row.campaign_id = slice.record.campaign_id;
  row.round = slice.record.round;
  row.list_index = slice.record.first_index + item;
  const campaign::DomainEntry* entry = Assigned(slice, item);
  if (entry != nullptr) {
    row.sector = std::string(campaign::SectorName(entry->sector));
  }
  row.domain = check.domain();
  row.serialized = store::SerializedCheck::Of(check);
  return row;
}

}  // namespace

absl::StatusOr<std::vector<store::DomainResultRow>> PrepareDomainRows(
    const std::string& probe_id, DomainBatch* batch,
    const DomainRowSources& sources, absl::Time received_at) {
  Slices slices;
  absl::Status s =
      LookUpAssignments(probe_id, *batch, *sources.results, &slices);
  if (s.ok()) s = ReadAssignedNames(*sources.campaigns, &slices);
  if (!s.ok()) return s;
  // The probe as it was when the batch arrived (its newest run's network).
  absl::StatusOr<campaign::ProbeVantage> vantage =
      sources.results->GetProbeVantage(probe_id);
  if (!vantage.ok() && !absl::IsNotFound(vantage.status())) {
    return vantage.status();
  }
  std::vector<store::DomainResultRow> rows;
  rows.reserve(batch->results_size());
  for (int i = 0; i < batch->results_size(); ++i) {
    v6scope::v1::DomainResult* r = batch->mutable_results(i);
    const Slice& slice = slices.at(r->assignment_id());
    const campaign::DomainEntry* entry = Assigned(slice, r->item());
    if (entry != nullptr && entry->name != r->check().domain()) {
      return BadResult(
          i, "check.domain",
          absl::StrCat("\"", text::Printable(r->check().domain()),
                       "\" is not the assigned domain \"", entry->name, "\""));
    }
    v6scope::v1::DomainCheck* check = r->mutable_check();
    EnrichDomainCheck(sources.attribution, check);
    // Handed over, not copied: the check may live on the stream's arena,
    // which then owns (and frees) the verdict.
    check->set_allocated_verdict(new v6scope::v1::ReadinessVerdict(
        methodology::readiness::ComputeReadiness(*check)));
    store::DomainResultRow row = MakeRow(slice, r->item(), *check);
    row.seq = batch->first_seq() + static_cast<uint64_t>(i);
    row.received_at = received_at;
    if (vantage.ok()) {
      row.probe_asn = vantage->asn;
      row.probe_country = vantage->country;
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

}  // namespace v6scope::collector::ingest
