// `v6scope campaign progress CAMPAIGN_ID` (where each probe is) and
// `v6scope campaign results CAMPAIGN_ID [--round=N] [--probe_id=P]
// [--format=jsonl|csv]` (the stored readiness results, streamed as they
// arrive), for an administrator holding the admin secret.
#ifndef V6SCOPE_CLI_CAMPAIGN_RESULTS_H_
#define V6SCOPE_CLI_CAMPAIGN_RESULTS_H_

#include <cstdint>
#include <memory>
#include <ostream>
#include <string>

#include "absl/status/statusor.h"
#include "api/export_format.h"
#include "cli/table.h"
#include "grpcpp/channel.h"
#include "proto/admin_service.pb.h"

namespace v6scope::cli {

// One row a probe: probe, vantage ("collector" for the collector's own
// vantage probe, else "probe"), round, offered, stored, outstanding,
// refused, opted_out, last_poll, last_refusal.
Table ProgressTable(const v6scope::v1::CampaignProgressResponse& progress);

absl::StatusOr<Table> CampaignProgress(std::shared_ptr<grpc::Channel> channel,
                                       const std::string& admin_secret,
                                       const std::string& campaign_id);

// "domain,sector,probe,probe_asn,probe_country,round,web,dns,mail,
// web_v4_asn,web_v6_asn".
std::string CampaignResultsCsvHeader();
// One line (newline included): a CSV row, or the result as JSON through
// the API's printer (api/api_json.h).
std::string CampaignResultLine(const v6scope::v1::StoredDomainResult& result,
                               api::ExportFormat format);

// Streams the results to `out` (CSV with its header); returns how many.
absl::StatusOr<uint64_t> ExportCampaignResults(
    std::shared_ptr<grpc::Channel> channel, const std::string& admin_secret,
    const v6scope::v1::ExportCampaignResultsRequest& request,
    api::ExportFormat format, std::ostream& out);

}  // namespace v6scope::cli

#endif  // V6SCOPE_CLI_CAMPAIGN_RESULTS_H_
