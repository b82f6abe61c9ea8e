#include "collector/sample/sample_data.h"

#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "collector/sample/synthetic_fleet.h"

namespace v6scope::collector::sample {
namespace {

absl::Status CheckOptions(const SampleDataOptions& o) {
  if (o.probes < 1 || o.probes > 10000 || o.days < 1 || o.days > 400 ||
      o.runs_per_day < 1 || o.runs_per_day > 1440) {
    return absl::InvalidArgumentError(
        "sample data: probes 1..10000, days 1..400, runs per day 1..1440");
  }
  return absl::OkStatus();
}

// Enrols one sample probe through the registry, as a real probe enrols,
// with a token of its own. Neither the token hash nor the credential hash
// is 64 hex digits: no real token or credential can ever match them.
absl::Status EnrolSampleProbe(store::Store& store, const std::string& probe_id,
                              absl::Time now) {
  const std::string token_hash = absl::StrCat("sample-data:", probe_id);
  store::EnrolmentTokenRecord token;
  token.token_hash = token_hash;
  token.org = kSampleOrg;
  token.created_at = now;
  token.expires_at = now + absl::Minutes(1);
  absl::Status added = store.AddEnrolmentToken(token);
  if (!added.ok()) return added;
  store::ProbeRecord probe;
  probe.probe_id = probe_id;
  probe.credential_hash = "synthetic: no credential";
  probe.probe_version = "synthetic";
  probe.enrolled_at = now;
  probe.synthetic = true;
  return store.ConsumeEnrolmentToken(token_hash, now, probe).status();
}

// Enrols every probe of the fleet not enrolled yet; a real probe holding
// one of the ids stops everything (its runs would mix with sample runs).
absl::Status EnrolFleet(store::Store& store, const SyntheticFleet& fleet,
                        absl::Time now, SampleDataReport& report) {
  for (int i = 0; i < fleet.probes(); ++i) {
    const std::string id = fleet.ProbeId(i);
    absl::StatusOr<store::ProbeRecord> existing = store.GetProbe(id);
    if (existing.ok()) {
      if (!existing->synthetic) {
        return absl::AlreadyExistsError(
            absl::StrCat("probe ", id,
                         " exists and is not sample data: not mixing "
                         "synthetic runs into it"));
      }
      ++report.already_enrolled;
      continue;
    }
    if (existing.status().code() != absl::StatusCode::kNotFound) {
      return existing.status();
    }
    absl::Status enrolled = EnrolSampleProbe(store, id, now);
    if (!enrolled.ok()) return enrolled;
    ++report.enrolled;
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<SampleDataReport> AddSampleData(
    store::Store& store, const SampleDataOptions& options) {
  absl::Status valid = CheckOptions(options);
  if (!valid.ok()) return valid;
  SyntheticFleetOptions fleet_options;
  fleet_options.probes = options.probes;
  fleet_options.days = options.days;
  fleet_options.runs_per_day = options.runs_per_day;
  fleet_options.seed = options.seed;
  fleet_options.end = options.end;
  const SyntheticFleet fleet(fleet_options);
  SampleDataReport report;
  absl::Status enrolled = EnrolFleet(store, fleet, options.end, report);
  if (!enrolled.ok()) return enrolled;
  absl::StatusOr<uint64_t> runs = fleet.StoreAll(store);
  if (!runs.ok()) return runs.status();
  report.runs = *runs;
  return report;
}

}  // namespace v6scope::collector::sample
