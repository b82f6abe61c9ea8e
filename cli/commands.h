// The v6scope CLI's commands, apart from flag parsing so tests can call
// them against an in-process collector.
#ifndef V6SCOPE_CLI_COMMANDS_H_
#define V6SCOPE_CLI_COMMANDS_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "cli/table.h"
#include "grpcpp/channel.h"
#include "proto/admin_service.pb.h"
#include "proto/query_service.pb.h"

namespace v6scope::cli {

struct RunsOptions {
  std::string probe_id;  // Empty: all probes.
  int limit = 50;        // Newest runs shown, 1..100000.
};

// The runs table: one row per run, its verdict's explanations ("LABEL:
// text", one a line) printed under the row (a below column; CSV and JSON:
// one "explanations" cell joined by " | ").
Table RunsTable();
void AddRunRow(Table& table, const v6scope::v1::StoredRun& run);
std::string ExplanationLines(const v6scope::v1::Verdict& verdict);

// Stored runs, newest first.
absl::StatusOr<Table> ListRuns(std::shared_ptr<grpc::Channel> channel,
                               const RunsOptions& options);

// Enrolled probes; sample-data probes say "synthetic yes", with a note
// under the text table. With `silent_for` ("2h") only those silent that
// long (the collector parses and checks it: ListProbesRequest.silent_for).
Table ProbesTable(const v6scope::v1::ListProbesResponse& response);
absl::StatusOr<Table> ListProbes(std::shared_ptr<grpc::Channel> channel,
                                 const std::string& silent_for = "");

// The request for a token of `org` living `lifetime` from `now`, marked
// as the collector's vantage if asked (--collector_vantage);
// INVALID_ARGUMENT naming --expires for a lifetime out of range.
absl::StatusOr<v6scope::v1::CreateEnrolmentTokenRequest> TokenRequest(
    const std::string& org, absl::Duration lifetime, bool collector_vantage,
    absl::Time now);
// token, org, expires, collector_vantage (yes/no).
Table TokenTable(const v6scope::v1::CreateEnrolmentTokenRequest& request,
                 const v6scope::v1::CreateEnrolmentTokenResponse& response);

// Creates an enrolment token; the table has the token and its expiry.
absl::StatusOr<Table> CreateToken(std::shared_ptr<grpc::Channel> channel,
                                  const std::string& admin_secret,
                                  const std::string& org,
                                  absl::Duration lifetime,
                                  bool collector_vantage = false);

absl::Status RevokeProbe(std::shared_ptr<grpc::Channel> channel,
                         const std::string& admin_secret,
                         const std::string& probe_id);

}  // namespace v6scope::cli

#endif  // V6SCOPE_CLI_COMMANDS_H_
