#include "cli/connection_hint.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace v6scope::cli {
namespace {

using ::testing::HasSubstr;

TEST(ConnectionHintTest, PlaintextToATlsCollectorNamesCaFile) {
  const std::string line =
      WithConnectionHint(absl::UnavailableError("Socket closed"), false);
  EXPECT_THAT(line, HasSubstr("UNAVAILABLE: Socket closed (if the collector "
                              "uses TLS, give its CA certificate with "
                              "--ca_file=PEM"));
  EXPECT_THAT(line, HasSubstr("/etc/ssl/certs/ca-certificates.crt, the "
                              "system store)"));
}

TEST(ConnectionHintTest, OtherErrorsAreUnchanged) {
  EXPECT_EQ(WithConnectionHint(absl::UnavailableError("down"), true),
            "UNAVAILABLE: down");
  EXPECT_EQ(WithConnectionHint(absl::NotFoundError("no probe"), false),
            "NOT_FOUND: no probe");
}

}  // namespace
}  // namespace v6scope::cli
