// `v6scope services shares|series|domains|changes --campaign=ID
// [--round=N] [--country=XX] [--sector=S] [--service=web|dns|mail]
// [--format=table|csv|json|jsonl]`: public-service readiness over the
// collector's QueryService (docs/methodology.md §14). Requests are built
// by the HTTP API's parameter parser (api/readiness_params.h), csv and
// jsonl are the HTTP API's records (api/readiness_export.h), json the
// whole answer as the HTTP API prints it.
#ifndef V6SCOPE_CLI_SERVICES_COMMANDS_H_
#define V6SCOPE_CLI_SERVICES_COMMANDS_H_

#include <cstdint>
#include <memory>
#include <ostream>
#include <string>

#include "absl/status/statusor.h"
#include "api/request_params.h"
#include "cli/table.h"
#include "grpcpp/channel.h"
#include "proto/query_service.pb.h"

namespace v6scope::cli {

struct ServicesOptions {
  std::string campaign;  // Required.
  uint32_t round = 0;    // changes: the round compared (to_round).
  uint32_t from_round = 0;
  std::string country;
  std::string sector;
  std::string service;  // web, dns, mail; empty: all.
  std::string domain;   // domains only.
  std::string methodology;
  uint32_t min_networks = 0;
};

// The HTTP API's parameters of `what` (shares, series, domains, changes)
// for `options`. INVALID_ARGUMENT naming the flag ("--campaign=ID is
// required", "--service: expected web, dns or mail, got 'ftp'", a flag
// the command does not take).
absl::StatusOr<api::Params> ServicesParams(const std::string& what,
                                           const ServicesOptions& options);

// Tables for people. Shares as "1 50% (9–91%)" per state with domains,
// withheld cells as "withheld"; a note with the round, the provenance and
// k under each.
Table ServiceSharesTable(const v6scope::v1::ServiceSharesResponse& r);
Table ServiceSeriesTable(const v6scope::v1::ServiceSeriesResponse& r);
// One row per (domain, country): the consensus per service ("SERVING_V6",
// "split", "-" untested), "withheld" below k, the disagreeing services.
Table DomainReadinessTable(const v6scope::v1::DomainReadinessResponse& r);
// One row per gained or lost domain.
Table ServiceChangesTable(const v6scope::v1::ServiceChangesResponse& r);

// `v6scope services campaigns`: the campaigns a researcher can ask about
// (id, name, state, domains, sectors), as a table (or CSV / JSON through
// the table's formats).
absl::StatusOr<Table> ServiceCampaignsCommand(
    std::shared_ptr<grpc::Channel> channel);
Table ServiceCampaignsTable(const v6scope::v1::ListServiceCampaignsResponse& r);

// Runs `what`: a table for format "table"; else writes csv, jsonl or
// json to `out` and returns an empty Table({}). Domains: every page.
absl::StatusOr<Table> ServicesCommand(std::shared_ptr<grpc::Channel> channel,
                                      const std::string& what,
                                      const ServicesOptions& options,
                                      const std::string& format,
                                      std::ostream& out);

}  // namespace v6scope::cli

#endif  // V6SCOPE_CLI_SERVICES_COMMANDS_H_
