// End to end: a synthetic fleet's results (most stored directly, some
// uploaded over real gRPC so ingest maintains their rollups) queried
// through the gRPC QueryService, the HTTP JSON API, the HTTP export and the
// v6scope CLI binary — every interface must give the same numbers — and
// unchanged by a rollup rebuild.
#include <google/protobuf/util/json_util.h>
#include <google/protobuf/util/message_differencer.h>
#include <google/protobuf/util/time_util.h>
#include <sys/wait.h>

#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "api/request_params.h"
#include "collector/sample/synthetic_fleet.h"
#include "collector/server.h"
#include "common/rpc/channel.h"
#include "gtest/gtest.h"
#include "httplib.h"
#include "probe/uplink/collector_client.h"
#include "proto/query_service.grpc.pb.h"
#include "tests/integration/enrolled_probe.h"

namespace v6scope::tests::integration {
namespace {

using ::v6scope::collector::ApplyDefaultsAndValidate;
using ::v6scope::collector::CollectorOptions;
using ::v6scope::collector::CollectorServer;
using ::v6scope::collector::store::RunBatch;

using ::google::protobuf::util::MessageDifferencer;
using ::v6scope::v1::AggregatesRequest;
using ::v6scope::v1::AggregatesResponse;

constexpr int kProbes = 40;
constexpr int kDays = 21;
constexpr int kUploadedProbes = 4;  // Their last day goes through gRPC.
const absl::Time kEnd =
    absl::FromCivil(absl::CivilHour(2026, 11, 26, 12), absl::UTCTimeZone());

class AggregatesE2eTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    clock_ = new time::FakeClock(kEnd);
    CollectorOptions options;
    options.config.set_grpc_listen("[::1]:0");
    options.config.set_http_listen("[::1]:0");
    options.config.set_data_dir(
        absl::StrCat(::testing::TempDir(), "/aggregates_e2e"));
    options.clock = clock_;
    auto server = CollectorServer::Start(options);
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = server->release();

    collector::sample::SyntheticFleetOptions fleet_options;
    fleet_options.probes = kProbes;
    fleet_options.days = kDays;
    fleet_options.runs_per_day = 12;
    fleet_options.end = kEnd;
    const collector::sample::SyntheticFleet fleet(fleet_options);
    // Every probe's history straight into the store, but for the last day
    // of the first few probes...
    for (int day = 0; day < kDays; ++day) {
      std::vector<RunBatch> batches;
      for (int p = 0; p < kProbes; ++p) {
        if (p < kUploadedProbes && day == kDays - 1) continue;
        batches.push_back(fleet.DayBatch(p, day));
      }
      ASSERT_TRUE(server_->store()->StoreBatches(batches).ok());
    }
    // ...which enrolled probes upload over gRPC. The collector attributes
    // runs itself (it has no datasets here, so they are unattributed).
    for (int p = 0; p < kUploadedProbes; ++p) {
      auto enrol = EnrolProbe(*server_);
      ASSERT_TRUE(enrol.ok()) << enrol.status();
      std::vector<v6scope::v1::Run> runs = fleet.DayRuns(p, kDays - 1);
      for (auto& run : runs) run.clear_attribution();
      probe::uplink::CollectorClient client(enrol->channel, absl::Seconds(10));
      auto up = client.Upload(enrol->credential, 1, runs);
      ASSERT_TRUE(up.ok()) << up.status();
    }
  }

  static void TearDownTestSuite() {
    server_->Shutdown(absl::Seconds(1));
    delete server_;
    delete clock_;
  }

  AggregatesResponse Grpc(const AggregatesRequest& request) {
    auto channel =
        rpc::MakeChannel(absl::StrCat("[::1]:", server_->grpc_port()), {});
    EXPECT_TRUE(channel.ok());
    auto stub = v6scope::v1::QueryService::NewStub(*channel);
    grpc::ClientContext context;
    AggregatesResponse response;
    grpc::Status status = stub->GetAggregates(&context, request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return response;
  }

  std::string HttpGet(const std::string& path, int* status = nullptr) {
    httplib::Client client("::1", server_->http_port());
    auto res = client.Get(path.c_str());
    EXPECT_TRUE(res) << path;
    if (!res) return "";
    if (status != nullptr) *status = res->status;
    return res->body;
  }

  AggregatesResponse Http(const std::string& query) {
    int status = 0;
    const std::string body =
        HttpGet(absl::StrCat("/api/v1/aggregates?", query), &status);
    EXPECT_EQ(status, 200) << body;
    AggregatesResponse response;
    EXPECT_TRUE(
        google::protobuf::util::JsonStringToMessage(body, &response).ok())
        << body;
    return response;
  }

  // The groups of JSON Lines export records (HTTP export or CLI).
  static std::vector<v6scope::v1::GroupAggregate> Groups(
      const std::string& jsonl) {
    std::vector<v6scope::v1::GroupAggregate> groups;
    for (absl::string_view line :
         absl::StrSplit(jsonl, '\n', absl::SkipEmpty())) {
      v6scope::v1::AggregateExportRecord record;
      EXPECT_TRUE(google::protobuf::util::JsonStringToMessage(std::string(line),
                                                              &record)
                      .ok())
          << line;
      groups.push_back(record.group());
    }
    return groups;
  }

  std::string Cli(const std::string& args) {
    const std::string command =
        absl::StrCat("cli/v6scope --collector=[::1]:", server_->grpc_port(),
                     " ", args, " 2>&1");
    FILE* pipe = popen(command.c_str(), "r");
    EXPECT_NE(pipe, nullptr);
    std::string out;
    char buffer[4096];
    size_t n;
    while ((n = fread(buffer, 1, sizeof buffer, pipe)) > 0)
      out.append(buffer, n);
    const int status = pclose(pipe);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
        << command << "\n"
        << out;
    return out;
  }

  static void ExpectSameGroups(
      const AggregatesResponse& expected,
      const std::vector<v6scope::v1::GroupAggregate>& actual,
      const std::string& what) {
    ASSERT_EQ(static_cast<size_t>(expected.groups_size()), actual.size())
        << what;
    for (size_t i = 0; i < actual.size(); ++i) {
      EXPECT_TRUE(MessageDifferencer::Equals(expected.groups(i), actual[i]))
          << what << " group " << i << "\nexpected "
          << expected.groups(i).ShortDebugString() << "\nactual   "
          << actual[i].ShortDebugString();
    }
  }

  static time::FakeClock* clock_;
  static CollectorServer* server_;
};

time::FakeClock* AggregatesE2eTest::clock_ = nullptr;
CollectorServer* AggregatesE2eTest::server_ = nullptr;

struct Case {
  std::string query;     // HTTP query string.
  std::string cli_args;  // The same request through the CLI.
};

TEST_F(AggregatesE2eTest, GrpcHttpExportAndCliAgree) {
  const std::vector<Case> cases = {
      {"group_by=country&window=week", "countries --window=week"},
      {"group_by=asn&window=month&country=KE",
       "networks --window=month --country=KE"},
      {"group_by=itu_region&window=week&windows=3",
       "regions --window=week --windows=3"},
      {"group_by=dev_group&window=day&at=2026-11-20",
       "regions --group_by=dev_group --at=2026-11-20"},
      {"group_by=country&window=month&region=africa",
       "countries --window=month --region=africa"},
      {"group_by=global&window=day&windows=7",
       "regions --group_by=global --windows=7"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.query);
    api::Params p;
    for (absl::string_view kv : absl::StrSplit(c.query, '&')) {
      std::pair<std::string, std::string> pair = absl::StrSplit(kv, '=');
      p[pair.first] = pair.second;
    }
    absl::StatusOr<AggregatesRequest> request = api::ParseAggregatesRequest(p);
    ASSERT_TRUE(request.ok()) << request.status();
    const AggregatesResponse grpc = Grpc(*request);
    ASSERT_GT(grpc.groups_size(), 0);
    const AggregatesResponse http = Http(c.query);
    EXPECT_TRUE(MessageDifferencer::Equals(grpc, http))
        << "gRPC " << grpc.ShortDebugString() << "\nHTTP "
        << http.ShortDebugString();
    ExpectSameGroups(grpc,
                     Groups(HttpGet(absl::StrCat(
                         "/api/v1/export/aggregates?format=jsonl&", c.query))),
                     "HTTP export");
    ExpectSameGroups(grpc, Groups(Cli(c.cli_args + " --format=json")), "CLI");
  }
}

TEST_F(AggregatesE2eTest, EachProbeCountsOncePerWindow) {
  AggregatesRequest request;
  request.set_group_by(v6scope::v1::GLOBAL);
  request.set_window(v6scope::v1::MONTH);
  const AggregatesResponse month = Grpc(request);
  ASSERT_EQ(month.groups_size(), 1);
  // All 21 days lie in November. The synthetic probes, plus the enrolled
  // ones that uploaded under their own ids; every run once.
  EXPECT_EQ(month.groups(0).probes(), kProbes + kUploadedProbes);
  EXPECT_EQ(month.groups(0).runs(),
            static_cast<uint32_t>(kProbes * 12 * kDays));
}

TEST_F(AggregatesE2eTest, InsufficientGroupsCarryNoNumbers) {
  // AS36926 has probes 1, 14 and 27; on the last day probe 1 uploaded
  // under its enrolled id, unattributed: 2 probes, below k = 3.
  const AggregatesResponse response =
      Http("group_by=asn&window=day&at=2026-11-26&asn=36926");
  ASSERT_GT(response.groups_size(), 0);
  for (const auto& g : response.groups()) {
    EXPECT_TRUE(g.insufficient_data()) << g.ShortDebugString();
    EXPECT_EQ(g.probes(), 0u);
    EXPECT_FALSE(g.has_v6_capable());
  }
  const std::string json = HttpGet(
      "/api/v1/aggregates?group_by=asn&window=day&at=2026-11-26"
      "&asn=36926");
  // Every field is present (docs/api.md), but with no number in it: the
  // counts 0, the shares null.
  EXPECT_NE(json.find("\"probes\":0,\"runs\":0,\"insufficient_data\":true,"),
            std::string::npos)
      << json;
  EXPECT_NE(json.find("\"v6_capable\":null,"), std::string::npos) << json;
}

TEST_F(AggregatesE2eTest, BadParametersAreNamed) {
  int status = 0;
  std::string body = HttpGet("/api/v1/aggregates?group_by=continent", &status);
  EXPECT_EQ(status, 400);
  EXPECT_NE(body.find("group_by"), std::string::npos) << body;
  body = HttpGet("/api/v1/aggregates?region=atlantis", &status);
  EXPECT_EQ(status, 400);
  EXPECT_NE(body.find("atlantis"), std::string::npos) << body;
  body = HttpGet("/api/v1/export/runs?format=xml", &status);
  EXPECT_EQ(status, 400);
  EXPECT_NE(body.find("format"), std::string::npos) << body;
}

TEST_F(AggregatesE2eTest, RunExportsStreamEveryRun) {
  const std::string jsonl =
      HttpGet("/api/v1/export/runs?format=jsonl&country=KE");
  const size_t lines = std::vector<absl::string_view>(
                           absl::StrSplit(jsonl, '\n', absl::SkipEmpty()))
                           .size();
  // KE: networks 0 and 1 of the 13 synthetic ones; the uploaded probe
  // runs are unattributed.
  size_t expected = 0;
  for (int p = 0; p < kProbes; ++p) {
    if (p % 13 <= 1) {
      expected += (p < kUploadedProbes ? kDays - 1 : kDays) * 12;
    }
  }
  EXPECT_EQ(lines, expected);
  const std::string cli = Cli("export results --country=KE --format=jsonl");
  EXPECT_EQ(cli, jsonl);
}

TEST_F(AggregatesE2eTest, RebuildLeavesEveryAnswerUnchanged) {
  AggregatesRequest request;
  request.set_group_by(v6scope::v1::ASN);
  request.set_window(v6scope::v1::WEEK);
  request.set_windows(4);
  const AggregatesResponse before = Grpc(request);
  auto report = server_->store()->RebuildRollups();
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_EQ(report->runs_scanned, static_cast<uint64_t>(kProbes * kDays * 12));
  EXPECT_TRUE(MessageDifferencer::Equals(before, Grpc(request)));
}

}  // namespace
}  // namespace v6scope::tests::integration
