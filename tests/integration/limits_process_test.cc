// Issue #14's limits over the real collector binary (a child process on
// [::1], real gRPC and HTTP): concurrent Upload streams per probe and in
// total; requests to the HTTP /api/ per client address.

// clang-format off
// First: httplib.h's <netdb.h> defines NO_ADDRESS, an Outcome value.
#include "proto/probe_service.grpc.pb.h"
// clang-format on
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/fs/files.h"
#include "common/rpc/channel.h"
#include "grpcpp/client_context.h"
#include "gtest/gtest.h"
#include "httplib.h"
#include "probe/state/probe_state.h"
#include "tests/integration/testing/v6scope_processes.h"

namespace v6scope::tests::integration {
namespace {

using testing::CollectorProcess;
using v6scope::v1::UploadRequest;
using v6scope::v1::UploadResponse;

std::string WorkDir(const std::string& name) {
  const std::string dir = absl::StrCat(::testing::TempDir(), "/", name);
  EXPECT_TRUE(fs::MakeDirs(dir, 0700).ok());
  return dir;
}

// A probe enrolled with the real probe binary; its credential.
std::string EnrolledCredential(const CollectorProcess& collector,
                               const std::string& dir,
                               const std::string& name) {
  const std::string state = absl::StrCat(dir, "/", name);
  absl::StatusOr<std::string> id =
      testing::EnrolProbe(collector, state, absl::StrCat(state, ".log"));
  EXPECT_TRUE(id.ok()) << id.status();
  auto probe_state = probe::state::ProbeState::Open(state);
  EXPECT_TRUE(probe_state.ok()) << probe_state.status();
  if (!probe_state.ok()) return "";
  auto identity = probe_state->LoadIdentity();
  EXPECT_TRUE(identity.ok()) << identity.status();
  return identity.ok() ? identity->credential : "";
}

// One Upload stream held open; `welcomed` once the collector accepted it.
struct Stream {
  grpc::ClientContext context;
  std::unique_ptr<grpc::ClientReaderWriter<UploadRequest, UploadResponse>> rw;
  bool welcomed = false;
  grpc::Status status;  // Once refused.
};

std::unique_ptr<Stream> OpenStream(v6scope::v1::ProbeService::Stub& stub,
                                   const std::string& credential) {
  auto stream = std::make_unique<Stream>();
  stream->context.AddMetadata("authorization",
                              absl::StrCat("Bearer ", credential));
  stream->context.set_deadline(
      absl::ToChronoTime(absl::Now() + absl::Seconds(60)));
  stream->rw = stub.Upload(&stream->context);
  UploadResponse first;
  if (stream->rw->Read(&first) && first.has_welcome()) {
    stream->welcomed = true;
    return stream;
  }
  while (stream->rw->Read(&first)) {
  }
  stream->status = stream->rw->Finish();
  return stream;
}

std::string RetryAfter(const Stream& stream) {
  const auto& trailers = stream.context.GetServerTrailingMetadata();
  auto it = trailers.find("retry-after");
  return it == trailers.end()
             ? ""
             : std::string(it->second.data(), it->second.size());
}

// 2,000 idle authenticated streams were accepted before: now a probe gets
// two, and all probes together the global cap.
TEST(LimitsProcessTest, UploadStreamsArePerProbeAndGloballyLimited) {
  const std::string dir = WorkDir("streams");
  auto collector = CollectorProcess::Start(dir, "collector", dir + "/data", 0,
                                           {"--upload_streams_total=3"});
  ASSERT_TRUE(collector.ok()) << collector.status();
  const std::string a = EnrolledCredential(*collector, dir, "probe-a");
  const std::string b = EnrolledCredential(*collector, dir, "probe-b");
  auto channel = rpc::MakeChannel(collector->grpc_address(), {});
  ASSERT_TRUE(channel.ok()) << channel.status();
  auto stub = v6scope::v1::ProbeService::NewStub(*channel);

  std::vector<std::unique_ptr<Stream>> held;
  int welcomed = 0;
  for (int i = 0; i < 10; ++i) {
    held.push_back(OpenStream(*stub, a));
    Stream& s = *held.back();
    if (s.welcomed) {
      ++welcomed;
      continue;
    }
    EXPECT_EQ(s.status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
    EXPECT_TRUE(absl::StrContains(s.status.error_message(),
                                  "already has 2 upload streams"))
        << s.status.error_message();
    EXPECT_EQ(RetryAfter(s), "30");
  }
  EXPECT_EQ(welcomed, 2);

  auto b1 = OpenStream(*stub, b);
  EXPECT_TRUE(b1->welcomed);
  auto b2 = OpenStream(*stub, b);  // Probe b has one, but the total is 3.
  ASSERT_FALSE(b2->welcomed);
  EXPECT_EQ(b2->status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_TRUE(absl::StrContains(b2->status.error_message(),
                                "3 upload streams open (its limit)"))
      << b2->status.error_message();
  EXPECT_EQ(RetryAfter(*b2), "30");
  EXPECT_TRUE(collector->log().Has("upload.refused"));

  // A stream that ends gives its slot back: b gets its second stream.
  b1->rw->WritesDone();
  EXPECT_TRUE(b1->rw->Finish().ok());
  auto b3 = OpenStream(*stub, b);
  EXPECT_TRUE(b3->welcomed) << b3->status.error_message();
  for (auto& s : held) {
    if (s->welcomed) s->context.TryCancel();
  }
  b3->context.TryCancel();
}

// A burst on the /api/ gets 429 with Retry-After and a JSON error, while
// /healthz (not limited) still answers.
TEST(LimitsProcessTest, ApiBurstGets429WhileHealthzAnswers) {
  const std::string dir = WorkDir("api");
  auto collector =
      CollectorProcess::Start(dir, "collector", dir + "/data", 0,
                              {"--api_requests_per_second=1", "--api_burst=5"});
  ASSERT_TRUE(collector.ok()) << collector.status();
  httplib::Client client("::1", collector->http_port());
  client.set_read_timeout(10, 0);
  int ok = 0;
  int limited = 0;
  for (int i = 0; i < 30; ++i) {
    httplib::Result res = client.Get("/api/v1/probes");
    ASSERT_TRUE(res) << httplib::to_string(res.error());
    if (res->status == 200) {
      ++ok;
      continue;
    }
    ++limited;
    EXPECT_EQ(res->status, 429) << res->body;
    EXPECT_FALSE(res->get_header_value("Retry-After").empty());
    EXPECT_EQ(res->get_header_value("Content-Type"), "application/json");
    EXPECT_TRUE(absl::StrContains(res->body, "too many requests")) << res->body;
    httplib::Result health = client.Get("/healthz");
    ASSERT_TRUE(health);
    EXPECT_EQ(health->status, 200);
  }
  // 5 of burst, and at most a few refilled while the loop ran.
  EXPECT_GE(ok, 5);
  EXPECT_LT(ok, 15);
  EXPECT_EQ(ok + limited, 30);
}

}  // namespace
}  // namespace v6scope::tests::integration
