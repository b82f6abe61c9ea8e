// `v6scope campaign create|list|show|pause|resume|delete`: campaigns on
// the collector (docs/campaigns.md), for an administrator holding the
// admin secret.
#ifndef V6SCOPE_CLI_CAMPAIGN_COMMANDS_H_
#define V6SCOPE_CLI_CAMPAIGN_COMMANDS_H_

#include <istream>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "cli/table.h"
#include "grpcpp/channel.h"
#include "proto/admin_service.pb.h"

namespace v6scope::cli {

// The flags of `campaign create`, as typed (lists comma-separated).
struct CampaignFlags {
  std::string name;
  std::string list_file;  // The list's path; "-": standard input.
  std::string list_format;
  std::string sectors;
  std::string default_sector;
  std::string name_column;
  std::string sector_column;
  bool skip_invalid_names = false;
  std::string countries;
  std::string asns;
  std::string regions;
  std::string probe_ids;
  bool include_collector = false;
  int every_days = 0;  // 0: once.
  std::string start;   // YYYY-MM-DD or RFC 3339; "": now.
  int domains_per_day = 0;
  std::string bytes_per_day;  // Bytes, or with a K/M/G (binary) suffix.
  int concurrency = 0;
  std::string created_by;
};

// The spec the flags describe. INVALID_ARGUMENT naming the flag (a bad
// ASN, start or size); the collector checks the rest and says which field.
absl::StatusOr<v6scope::v1::CampaignSpec> BuildCampaignSpec(
    const CampaignFlags& flags);

// Creates the campaign, streaming `list` in 1 MiB chunks; the table has
// the campaign, `warnings` gets the importer's warnings, one a line.
absl::StatusOr<Table> CreateCampaign(std::shared_ptr<grpc::Channel> channel,
                                     const std::string& admin_secret,
                                     const v6scope::v1::CampaignSpec& spec,
                                     std::istream& list,
                                     std::ostream& warnings);

// One row a campaign: id, name, state, names, sectors, probes, schedule,
// created.
Table CampaignTable(const std::vector<v6scope::v1::Campaign>& campaigns);

absl::StatusOr<Table> ListCampaigns(std::shared_ptr<grpc::Channel> channel,
                                    const std::string& admin_secret,
                                    bool include_deleted);

// show|pause|resume|delete CAMPAIGN_ID: the campaign after the call.
absl::StatusOr<Table> CampaignVerb(std::shared_ptr<grpc::Channel> channel,
                                   const std::string& admin_secret,
                                   const std::string& verb,
                                   const std::string& campaign_id);

}  // namespace v6scope::cli

#endif  // V6SCOPE_CLI_CAMPAIGN_COMMANDS_H_
