#include "common/log/grpc_log.h"

#include <fcntl.h>
#include <grpc/support/log.h>
#include <unistd.h>

#include <string>

#include "common/log/log.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace v6scope::log {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

// Reads what was written to the pipe so far.
std::string Drain(int fd) {
  char buf[4096];
  const ssize_t n = read(fd, buf, sizeof buf);
  return n > 0 ? std::string(buf, static_cast<size_t>(n)) : "";
}

// Without the routing, gpr_log writes "E0101 00:00:00 ... grpc_log_test.cc:1]
// a raw line" to stderr beside the structured lines.
TEST(GrpcLogTest, GrpcCoreLinesBecomeStructuredLines) {
  int fds[2];
  // Non-blocking: a line not routed here fails the test, never hangs it.
  ASSERT_EQ(pipe2(fds, O_NONBLOCK), 0);
  // What grpc_init does first; before it gRPC prints nothing at all.
  gpr_log_verbosity_init();
  SetOutputFd(fds[1]);
  SetComponent("test");
  RouteGrpcLogs();
  gpr_log("/src/core/lib/iomgr/tcp_client.cc", 42, GPR_LOG_SEVERITY_ERROR, "%s",
          "connect failed");
  const std::string line = Drain(fds[0]);
  SetOutputFd(2);
  close(fds[0]);
  close(fds[1]);
  EXPECT_THAT(line, StartsWith("ts="));
  EXPECT_THAT(line, HasSubstr(" level=error comp=test event=grpc.core "
                              "file=tcp_client.cc line=42 "
                              "message=\"connect failed\"\n"));
}

}  // namespace
}  // namespace v6scope::log
