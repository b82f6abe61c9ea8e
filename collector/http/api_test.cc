// The HTTP JSON API on a real listener (127.0.0.1, port 0) over a seeded
// SQLite store: every /api/v1 endpoint, the paging bounds shared with the
// gRPC QueryService, bad parameters and the exports.
#include "collector/http/api.h"

#include <arpa/inet.h>
#include <google/protobuf/util/json_util.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <memory>
#include <set>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "api/export_format.h"
#include "collector/query/queries.h"
#include "collector/query/testing/seeded_store.h"
#include "common/http/mhd_server.h"
#include "common/time/clock.h"
#include "gtest/gtest.h"
#include "httplib.h"

namespace v6scope::collector::http {
namespace {

constexpr int kProbes = 4;
constexpr int kDays = 3;
constexpr int kRunsPerDay = 2;

// The JSON error body of every non-2xx under /api/ (api_reply.h).
void ExpectErrorBody(const httplib::Response& res, int code,
                     const std::string& status) {
  EXPECT_EQ(res.status, code) << res.body;
  EXPECT_EQ(res.get_header_value("Content-Type"), "application/json");
  EXPECT_TRUE(absl::StartsWith(
      res.body, absl::StrCat("{\"error\":{\"code\":", code, ",\"status\":\"",
                             status, "\",\"message\":\"")))
      << res.body;
  EXPECT_TRUE(absl::EndsWith(res.body, "\"}}\n")) << res.body;
}

// Sends `request` as is on a new connection and reads until the server
// closes it (for a request httplib would not send).
std::string RawExchange(int port, const std::string& request) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  std::string response;
  if (fd >= 0 &&
      connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0 &&
      send(fd, request.data(), request.size(), MSG_NOSIGNAL) ==
          static_cast<ssize_t>(request.size())) {
    char buf[4096];
    ssize_t n;
    while ((n = recv(fd, buf, sizeof(buf), 0)) > 0) response.append(buf, n);
  }
  if (fd >= 0) close(fd);
  return response;
}

template <typename Message>
Message FromJson(const std::string& json) {
  Message message;
  const auto parsed =
      google::protobuf::util::JsonStringToMessage(json, &message);
  EXPECT_TRUE(parsed.ok()) << parsed.message() << " in " << json;
  return message;
}

class ApiTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    absl::StatusOr<query::testing::SeededStore> seeded =
        query::testing::SeedStore("api-test", kProbes, kDays, kRunsPerDay);
    ASSERT_TRUE(seeded.ok()) << seeded.status();
    seeded_ = new query::testing::SeededStore(*std::move(seeded));
    clock_ = new time::FakeClock(seeded_->fleet.end);
    queries_ = new query::Queries(seeded_->store.get(), nullptr, clock_,
                                  /*min_probes=*/1);
    auto server =
        v6scope::http::MhdServer::Start("127.0.0.1:0", ApiRoutes(queries_));
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = server->release();
  }

  static void TearDownTestSuite() {
    delete server_;  // Before what its handlers use.
    delete queries_;
    delete clock_;
    delete seeded_;
  }

  void SetUp() override {
    ASSERT_NE(server_, nullptr) << "the API did not start";
    client_ = std::make_unique<httplib::Client>("127.0.0.1", server_->port());
  }

  // GET `path`; fails the test when there is no response at all.
  httplib::Result Get(const std::string& path) {
    httplib::Result res = client_->Get(path);
    EXPECT_TRUE(res) << path << ": " << httplib::to_string(res.error());
    return res;
  }

  // Expects a 400 whose JSON error names `parameter`.
  void ExpectBadParameter(const std::string& path,
                          const std::string& parameter) {
    SCOPED_TRACE(path);
    httplib::Result res = Get(path);
    if (!res) return;
    EXPECT_EQ(res->status, 400) << res->body;
    EXPECT_EQ(res->get_header_value("Content-Type"), "application/json");
    ExpectErrorBody(*res, 400, "INVALID_ARGUMENT");
    EXPECT_TRUE(absl::StrContains(res->body, parameter)) << res->body;
  }

  static query::testing::SeededStore* seeded_;
  static time::FakeClock* clock_;
  static query::Queries* queries_;
  static v6scope::http::MhdServer* server_;
  std::unique_ptr<httplib::Client> client_;
};

query::testing::SeededStore* ApiTest::seeded_ = nullptr;
time::FakeClock* ApiTest::clock_ = nullptr;
query::Queries* ApiTest::queries_ = nullptr;
v6scope::http::MhdServer* ApiTest::server_ = nullptr;

TEST(ApiRoutesTest, EveryStoreReadIsOffloadedAndEveryRouteAnswersJson) {
  for (const v6scope::http::Route& route : ApiRoutes(nullptr)) {
    // The description and the catch-all 404s read no store.
    const bool reads_store = absl::StartsWith(route.path, "/api/v1/") &&
                             route.path != "/api/v1/openapi.json";
    EXPECT_EQ(route.offload, reads_store) << route.path;
    EXPECT_TRUE(route.refusal) << route.path;
  }
}

TEST_F(ApiTest, ProbesListsEveryProbeWithDroppedRuns) {
  httplib::Result res = Get("/api/v1/probes");
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  EXPECT_EQ(res->get_header_value("Cache-Control"), "no-store");
  auto probes = FromJson<v6scope::v1::ListProbesResponse>(res->body);
  ASSERT_EQ(probes.probes_size(), kProbes);
  uint64_t dropped = 0;
  for (const auto& p : probes.probes()) dropped += p.dropped_runs();
  EXPECT_EQ(dropped, seeded_->dropped_runs_of_first_probe);
}

TEST_F(ApiTest, ProbesSilentForListsWhatTheReadPathSays) {
  for (const char* d : {"1h", "1d", "3650d"}) {
    v6scope::v1::ListProbesRequest request;
    request.set_silent_for(d);
    absl::StatusOr<v6scope::v1::ListProbesResponse> want =
        queries_->probes().ListProbes(request);
    ASSERT_TRUE(want.ok()) << want.status();
    httplib::Result res = Get(absl::StrCat("/api/v1/probes?silent_for=", d));
    ASSERT_TRUE(res);
    ASSERT_EQ(res->status, 200) << res->body;
    auto got = FromJson<v6scope::v1::ListProbesResponse>(res->body);
    EXPECT_EQ(got.probes_size(), want->probes_size()) << d;
  }
  // Ten years back: every probe has run since.
  httplib::Result all = Get("/api/v1/probes?silent_for=3650d");
  ASSERT_TRUE(all);
  EXPECT_EQ(FromJson<v6scope::v1::ListProbesResponse>(all->body).probes_size(),
            0);
}

TEST_F(ApiTest, ProbesBadSilentForIs400NamingTheValue) {
  httplib::Result res = Get("/api/v1/probes?silent_for=2weeks");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 400);
  EXPECT_TRUE(absl::StrContains(res->body, "silent_for: '2weeks'"))
      << res->body;
  httplib::Result unknown = Get("/api/v1/probes?silent=2h");
  ASSERT_TRUE(unknown);
  EXPECT_EQ(unknown->status, 400) << unknown->body;
}

TEST_F(ApiTest, RunsPageThroughEveryRunOnce) {
  std::set<std::string> seen;
  std::string token;
  int pages = 0;
  do {
    httplib::Result res =
        Get(absl::StrCat("/api/v1/runs?page_size=5&page_token=", token));
    ASSERT_TRUE(res);
    ASSERT_EQ(res->status, 200) << res->body;
    auto page = FromJson<v6scope::v1::ListRunsResponse>(res->body);
    EXPECT_LE(page.runs_size(), 5);
    for (const auto& r : page.runs()) {
      seen.insert(absl::StrCat(r.probe_id(), "/", r.seq()));
    }
    token = page.next_page_token();
  } while (!token.empty() && ++pages < 100);
  EXPECT_EQ(seen.size(), seeded_->runs);
}

TEST_F(ApiTest, RunsFilterByProbeWithTheDefaultPageSize) {
  httplib::Result res =
      Get(absl::StrCat("/api/v1/runs?probe_id=", seeded_->probe_ids[2]));
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  auto page = FromJson<v6scope::v1::ListRunsResponse>(res->body);
  EXPECT_EQ(page.runs_size(), kDays * kRunsPerDay);
  for (const auto& r : page.runs()) {
    EXPECT_EQ(r.probe_id(), seeded_->probe_ids[2]);
  }
  EXPECT_TRUE(page.next_page_token().empty());
}

TEST_F(ApiTest, RunsPageSizeIsBoundedLikeTheGrpcService) {
  httplib::Result res = Get("/api/v1/runs?page_size=1000");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200) << res->body;
  ExpectBadParameter("/api/v1/runs?page_size=1001", "page_size");
  ExpectBadParameter("/api/v1/runs?page_size=4294967295", "page_size");
  ExpectBadParameter("/api/v1/runs?page_size=ten", "page_size");
  ExpectBadParameter("/api/v1/runs?page_size=-1", "page_size");
  ExpectBadParameter("/api/v1/runs?page_token=garbage", "page_token");
  ExpectBadParameter("/api/v1/runs?limit=5", "limit");
}

TEST_F(ApiTest, AggregatesAnswerWithTheMethodology) {
  httplib::Result res = Get("/api/v1/aggregates?windows=5&group_by=global");
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  auto answer = FromJson<v6scope::v1::AggregatesResponse>(res->body);
  EXPECT_EQ(answer.min_probes(), 1u);
  EXPECT_EQ(answer.datasets(), "none");
  EXPECT_FALSE(answer.methodology_version().empty());
  ASSERT_GT(answer.groups_size(), 0);
  uint32_t runs = 0;
  for (const auto& g : answer.groups()) runs += g.runs();
  EXPECT_EQ(runs, seeded_->runs);
}

TEST_F(ApiTest, AggregatesPageWithTheSharedBounds) {
  httplib::Result res = Get("/api/v1/aggregates?windows=5&page_size=1");
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  auto first = FromJson<v6scope::v1::AggregatesResponse>(res->body);
  ASSERT_EQ(first.groups_size(), 1);
  ASSERT_FALSE(first.next_page_token().empty());
  res = Get(absl::StrCat("/api/v1/aggregates?windows=5&page_size=1&page_token=",
                         first.next_page_token()));
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  ExpectBadParameter("/api/v1/aggregates?page_size=1001", "page_size");
  ExpectBadParameter("/api/v1/aggregates?page_token=%21", "page_token");
}

TEST_F(ApiTest, AggregatesNameTheBadParameter) {
  ExpectBadParameter("/api/v1/aggregates?group_by=planet", "group_by");
  ExpectBadParameter("/api/v1/aggregates?window=year", "window");
  ExpectBadParameter("/api/v1/aggregates?windows=1000", "windows");
  ExpectBadParameter("/api/v1/aggregates?country=KEN", "country");
  ExpectBadParameter("/api/v1/aggregates?at=yesterday", "at");
  ExpectBadParameter("/api/v1/aggregates?colour=blue", "colour");
}

TEST_F(ApiTest, AllocationsWithoutAttributionDataSayNone) {
  httplib::Result res = Get("/api/v1/allocations?country=KE");
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  auto answer = FromJson<v6scope::v1::ListAllocationsResponse>(res->body);
  EXPECT_EQ(answer.datasets(), "none");
  EXPECT_EQ(answer.allocations_size(), 0);
  ExpectBadParameter("/api/v1/allocations?asn=1", "asn");
}

TEST_F(ApiTest, RunsExportAsCsvHasEveryRun) {
  httplib::Result res = Get("/api/v1/export/runs?format=csv");
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  EXPECT_EQ(res->get_header_value("Content-Type"),
            api::ExportContentType(api::ExportFormat::kCsv));
  EXPECT_TRUE(absl::StrContains(res->get_header_value("Content-Disposition"),
                                "v6scope-runs.csv"));
  EXPECT_TRUE(absl::StartsWith(res->body, api::RunsCsvHeader()));
  for (const std::string& probe : seeded_->probe_ids) {
    EXPECT_TRUE(absl::StrContains(res->body, probe)) << probe;
  }
}

TEST_F(ApiTest, RunsExportAsJsonLinesFiltersByProbe) {
  const std::string probe = seeded_->probe_ids[1];
  httplib::Result res =
      Get(absl::StrCat("/api/v1/export/runs?format=jsonl&probe_id=", probe));
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  EXPECT_TRUE(absl::StrContains(res->get_header_value("Content-Disposition"),
                                "v6scope-runs.jsonl"));
  int lines = 0;
  for (absl::string_view line :
       absl::StrSplit(res->body, '\n', absl::SkipEmpty())) {
    EXPECT_TRUE(absl::StrContains(line, probe)) << line;
    ++lines;
  }
  EXPECT_GE(lines, kDays * kRunsPerDay);
  for (const std::string& other : seeded_->probe_ids) {
    if (other == probe) continue;
    EXPECT_FALSE(absl::StrContains(res->body, other)) << other;
  }
}

TEST_F(ApiTest, ExportsRefuseBadParametersBeforeStreaming) {
  ExpectBadParameter("/api/v1/export/runs?format=xml", "format");
  ExpectBadParameter("/api/v1/export/runs?since=soon", "since");
  ExpectBadParameter("/api/v1/export/runs?page_size=5", "page_size");
  ExpectBadParameter("/api/v1/export/aggregates?format=xml", "format");
  ExpectBadParameter("/api/v1/export/aggregates?windows=1000", "windows");
}

TEST_F(ApiTest, AggregatesExportStreamsEveryGroup) {
  httplib::Result res =
      Get("/api/v1/export/aggregates?format=csv&windows=5&group_by=country");
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  EXPECT_TRUE(absl::StartsWith(res->body, api::AggregatesCsvHeader()));
  auto all = queries_->aggregates().Aggregates([] {
    v6scope::v1::AggregatesRequest r;
    r.set_windows(5);
    r.set_page_size(1000);
    return r;
  }());
  ASSERT_TRUE(all.ok()) << all.status();
  const std::vector<std::string> rows =
      absl::StrSplit(res->body, '\n', absl::SkipEmpty());
  EXPECT_EQ(rows.size(), 1u + all->groups_size());
}

// Issue #14: a client over its rate gets 429 with Retry-After and a JSON
// error, before any access check or query; it may go on once refilled.
TEST_F(ApiTest, ClientOverItsRateGets429WithRetryAfter) {
  time::FakeClock clock(absl::FromUnixSeconds(1'800'000'000));
  ApiRateLimit limit(&clock, /*requests_per_second=*/0.5, /*burst=*/3);
  int authorized = 0;
  auto server = v6scope::http::MhdServer::Start(
      "127.0.0.1:0", ApiRoutes(
                         queries_,
                         [&authorized](bool, absl::string_view) {
                           ++authorized;
                           return absl::OkStatus();
                         },
                         &limit));
  ASSERT_TRUE(server.ok()) << server.status();
  httplib::Client client("127.0.0.1", (*server)->port());
  for (int i = 0; i < 3; ++i) {
    httplib::Result res = client.Get("/api/v1/probes");
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 200) << i;
  }
  httplib::Result limited = client.Get("/api/v1/runs");
  ASSERT_TRUE(limited);
  EXPECT_EQ(limited->status, 429);
  EXPECT_EQ(limited->get_header_value("Retry-After"), "2");
  EXPECT_EQ(limited->get_header_value("Content-Type"), "application/json");
  ExpectErrorBody(*limited, 429, "RESOURCE_EXHAUSTED");
  EXPECT_TRUE(absl::StrContains(limited->body, "too many requests"))
      << limited->body;
  EXPECT_EQ(authorized, 3);  // Refused before the access check.
  clock.Advance(absl::Seconds(2));
  httplib::Result again = client.Get("/api/v1/probes");
  ASSERT_TRUE(again);
  EXPECT_EQ(again->status, 200);
}

// Methodology 1 and 2 runs side by side (query::testing::SeedMixedVersions)
// behind a listener of their own.
class MixedVersionsApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<query::testing::MixedVersionsStore> seeded =
        query::testing::SeedMixedVersions(absl::StrCat(
            "api-",
            ::testing::UnitTest::GetInstance()->current_test_info()->name()));
    ASSERT_TRUE(seeded.ok()) << seeded.status();
    seeded_ = *std::move(seeded);
    clock_ = std::make_unique<time::FakeClock>(seeded_.day + absl::Hours(20));
    queries_ = std::make_unique<query::Queries>(seeded_.store.get(), nullptr,
                                                clock_.get(), /*min_probes=*/3);
    auto server = v6scope::http::MhdServer::Start("127.0.0.1:0",
                                                  ApiRoutes(queries_.get()));
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = *std::move(server);
    client_ = std::make_unique<httplib::Client>("127.0.0.1", server_->port());
  }

  void TearDown() override { server_.reset(); }  // Before its queries.

  httplib::Result Get(const std::string& path) {
    httplib::Result res = client_->Get(path);
    EXPECT_TRUE(res) << path << ": " << httplib::to_string(res.error());
    return res;
  }

  query::testing::MixedVersionsStore seeded_;
  std::unique_ptr<time::FakeClock> clock_;
  std::unique_ptr<query::Queries> queries_;
  std::unique_ptr<v6scope::http::MhdServer> server_;
  std::unique_ptr<httplib::Client> client_;
};

TEST_F(MixedVersionsApiTest, MethodologyParameterSelectsOneVersion) {
  httplib::Result res = Get("/api/v1/aggregates?group_by=global&methodology=2");
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  auto answer = FromJson<v6scope::v1::AggregatesResponse>(res->body);
  EXPECT_EQ(answer.methodology_version(), query::MethodologyVersion());
  ASSERT_EQ(answer.groups_size(), 1);
  const v6scope::v1::GroupAggregate& g = answer.groups(0);
  EXPECT_EQ(g.probes(), 4u);
  EXPECT_EQ(g.v4_broken().count(), 1u);
  EXPECT_EQ(g.v4_broken().total(), 4u);
  ASSERT_EQ(g.causes_size(), 4);
  EXPECT_EQ(g.causes(0).cause(), v6scope::v1::V6_UNREACHABLE);
  EXPECT_EQ(g.causes(0).share().count(), 1u);
  EXPECT_DOUBLE_EQ(g.causes(0).share().value(), 0.25);
  ASSERT_EQ(g.methodology_versions_size(), 1);
  EXPECT_EQ(g.methodology_versions(0).version(), "2");
  EXPECT_EQ(g.methodology_versions(0).probes(), 4u);
  // In the JSON as proto field names.
  EXPECT_TRUE(absl::StrContains(res->body, "\"v4_broken\":{"));
  EXPECT_TRUE(absl::StrContains(res->body, "\"methodology_versions\":["));

  res = Get("/api/v1/aggregates?group_by=global");
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  answer = FromJson<v6scope::v1::AggregatesResponse>(res->body);
  ASSERT_EQ(answer.groups_size(), 1);
  EXPECT_EQ(answer.groups(0).probes(), 7u);
  EXPECT_EQ(answer.groups(0).methodology_versions_size(), 2);
}

TEST_F(MixedVersionsApiTest, BadMethodologyIsA400NamingIt) {
  for (const char* path :
       {"/api/v1/aggregates?methodology=3", "/api/v1/aggregates?methodology=v2",
        "/api/v1/export/aggregates?format=csv&methodology=9"}) {
    httplib::Result res = Get(path);
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 400) << path << res->body;
    EXPECT_TRUE(absl::StrContains(res->body, "methodology")) << res->body;
  }
}

TEST_F(MixedVersionsApiTest, ExportsCarryTheVersionsAndExplanations) {
  httplib::Result res =
      Get("/api/v1/export/aggregates?format=csv&group_by=global&methodology=1");
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  EXPECT_TRUE(absl::StartsWith(res->body, api::AggregatesCsvHeader()));
  EXPECT_TRUE(absl::StrContains(res->body, ",1=3\r\n")) << res->body;

  res = Get("/api/v1/export/runs?format=csv");
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  EXPECT_TRUE(absl::StrContains(
      res->body, "V6_BROKEN: every IPv6 fetch timed out | V6_BLACKHOLE: "))
      << res->body;
  res = Get("/api/v1/export/runs?format=jsonl&probe_id=v2-b");
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  auto stored = FromJson<v6scope::v1::StoredRun>(
      std::string(absl::StripSuffix(res->body, "\n")));
  EXPECT_EQ(stored.run().verdict().methodology_version(), "2");
  ASSERT_EQ(stored.run().verdict().explanations_size(), 2);
  EXPECT_EQ(stored.run().verdict().explanations(1).label(), "NAT64_BROKEN");
}

TEST_F(ApiTest, UnknownPathsAreJson404sPointingToTheDescription) {
  for (const char* path : {"/api/v1/nothing", "/api/v1", "/api/v1/", "/api",
                           "/api/", "/api/v2/aggregates"}) {
    SCOPED_TRACE(path);
    httplib::Result res = Get(path);
    ASSERT_TRUE(res);
    ExpectErrorBody(*res, 404, "NOT_FOUND");
    EXPECT_TRUE(absl::StrContains(res->body, "/api/v1/openapi.json"));
  }
  httplib::Result post = client_->Post("/api/v1/nothing", "", "text/plain");
  ASSERT_TRUE(post);
  ExpectErrorBody(*post, 404, "NOT_FOUND");
}

TEST_F(ApiTest, ServerRefusalsUnderApiAreJson) {
  httplib::Result post = client_->Post("/api/v1/runs", "", "text/plain");
  ASSERT_TRUE(post);
  ExpectErrorBody(*post, 405, "UNIMPLEMENTED");
  EXPECT_EQ(post->get_header_value("Allow"), "GET, HEAD");
  httplib::Request get;
  get.method = "GET";
  get.path = "/api/v1/probes";
  get.body = "abc";
  get.set_header("Content-Length", "3");
  httplib::Result with_body = client_->send(get);
  ASSERT_TRUE(with_body);
  ExpectErrorBody(*with_body, 400, "INVALID_ARGUMENT");
  // Over the server's body limit (1 MiB by default): refused on the
  // head alone, so no body is sent (the server closes before reading it).
  const std::string big = RawExchange(
      server_->port(),
      "POST /api/v1/nothing HTTP/1.1\r\nHost: x\r\nContent-Length: 2000000\r\n"
      "Connection: close\r\n\r\n");
  EXPECT_TRUE(absl::StartsWith(big, "HTTP/1.1 413 ")) << big;
  EXPECT_TRUE(absl::StrContains(big, "Content-Type: application/json\r\n"))
      << big;
  EXPECT_TRUE(absl::StrContains(
      big,
      "\r\n\r\n{\"error\":{\"code\":413,\"status\":\"RESOURCE_EXHAUSTED\","))
      << big;
}

TEST_F(ApiTest, OpenApiDocumentIsServedAsJson) {
  httplib::Result res = Get("/api/v1/openapi.json");
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200);
  EXPECT_EQ(res->get_header_value("Content-Type"), "application/json");
  EXPECT_TRUE(absl::StartsWith(res->body, "{")) << res->body.substr(0, 80);
  EXPECT_TRUE(absl::StrContains(res->body, "\"openapi\": \"3.0"));
}

// Without a read key off loopback: 401 in the error body, with
// WWW-Authenticate; a key that cannot be checked now: 503. The
// description stays open.
TEST_F(ApiTest, RefusedAccessIsAJsonErrorButTheDescriptionIsOpen) {
  absl::Status answer = absl::UnauthenticatedError("a read key is required");
  auto server = v6scope::http::MhdServer::Start(
      "127.0.0.1:0", ApiRoutes(queries_, [&answer](bool, absl::string_view) {
        return answer;
      }));
  ASSERT_TRUE(server.ok()) << server.status();
  httplib::Client client("127.0.0.1", (*server)->port());
  for (const char* path : {"/api/v1/probes", "/api/v1/nothing"}) {
    httplib::Result res = client.Get(path);
    ASSERT_TRUE(res);
    ExpectErrorBody(*res, 401, "UNAUTHENTICATED");
    EXPECT_EQ(res->get_header_value("WWW-Authenticate"), "Bearer");
  }
  httplib::Result doc = client.Get("/api/v1/openapi.json");
  ASSERT_TRUE(doc);
  EXPECT_EQ(doc->status, 200);
  answer = absl::UnavailableError("key store down");
  httplib::Result unavailable = client.Get("/api/v1/runs");
  ASSERT_TRUE(unavailable);
  ExpectErrorBody(*unavailable, 503, "UNAVAILABLE");
}

}  // namespace
}  // namespace v6scope::collector::http
