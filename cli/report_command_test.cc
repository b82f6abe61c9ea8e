#include "cli/report_command.h"

#include <cstdlib>
#include <string>

#include "gtest/gtest.h"

namespace v6scope::cli {
namespace {

TEST(ReportCommandTest, BuildsTheRequestFromTheFlags) {
  ReportOptions o;
  o.country = "ke";
  o.period = "2026-11";
  o.lang = "fr-CA";
  absl::StatusOr<v6scope::v1::CountryReportRequest> r = ReportRequest(o);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->country(), "KE");
  EXPECT_EQ(r->period(), "2026-11");
  EXPECT_EQ(r->lang(), "fr-CA");
  EXPECT_TRUE(r->html());
  o.json = true;
  EXPECT_FALSE(ReportRequest(o)->html());
}

TEST(ReportCommandTest, RefusesBadFlagsNamingThem) {
  ReportOptions o;
  o.country = "KEN";
  EXPECT_NE(ReportRequest(o).status().message().find("'KEN'"),
            std::string::npos);
  o.country = "K1";
  EXPECT_FALSE(ReportRequest(o).ok());
  o.country = "KE";
  o.lang = "de";
  absl::Status s = ReportRequest(o).status();
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("--lang"), std::string::npos) << s;
  o.lang = "";
  o.json = true;
  o.out = "ke.PDF";
  EXPECT_NE(ReportRequest(o).status().message().find("--out"),
            std::string::npos);
}

TEST(ReportCommandTest, PdfWithoutChromiumSaysWhatIsMissing) {
  setenv("V6SCOPE_CHROMIUM", "/nonexistent/chromium", 1);
  const std::string out =
      std::string(std::getenv("TEST_TMPDIR") ? std::getenv("TEST_TMPDIR")
                                             : "/tmp") +
      "/r.pdf";
  absl::Status s = PrintToPdf("<p>x</p>", out);
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition) << s;
  EXPECT_NE(s.message().find("V6SCOPE_CHROMIUM"), std::string::npos) << s;
  unsetenv("V6SCOPE_CHROMIUM");
}

}  // namespace
}  // namespace v6scope::cli
