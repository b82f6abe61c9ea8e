#include "cli/commands.h"

#include <string>

#include "cli/table.h"
#include "gtest/gtest.h"
#include "proto/admin_service.pb.h"
#include "proto/query_service.pb.h"

namespace v6scope::cli {
namespace {

v6scope::v1::StoredRun V2Run() {
  v6scope::v1::StoredRun stored;
  stored.set_probe_id("p-1");
  stored.set_seq(3);
  v6scope::v1::Verdict* v = stored.mutable_run()->mutable_verdict();
  v->set_capability(v6scope::v1::V4_BROKEN);
  v->add_root_causes(v6scope::v1::V4_PATH_BROKEN);
  v->set_score(4);
  v->set_methodology_version("2");
  v6scope::v1::Explanation* e = v->add_explanations();
  e->set_label("V4_BROKEN");
  e->set_text("IPv4 is configured but every IPv4 fetch timed out");
  e = v->add_explanations();
  e->set_label("V4_PATH_BROKEN");
  e->set_text("the IPv4 default route leads nowhere");
  return stored;
}

TEST(RunsTableTest, ExplanationsArePrintedUnderTheVerdict) {
  Table table = RunsTable();
  AddRunRow(table, V2Run());
  v6scope::v1::StoredRun v1 = V2Run();
  v1.set_seq(2);
  v1.mutable_run()->mutable_verdict()->clear_explanations();
  v1.mutable_run()->mutable_verdict()->set_methodology_version("1");
  AddRunRow(table, v1);
  const std::string text = table.Render(OutputFormat::kTable);
  const std::string row_end = "-\n";  // The country column of the row.
  const size_t first = text.find("p-1  ");
  ASSERT_NE(first, std::string::npos) << text;
  EXPECT_NE(text.find("V4_BROKEN   V4_PATH_BROKEN  4"), std::string::npos)
      << text;
  EXPECT_NE(text.find("\n    V4_BROKEN: IPv4 is configured but every IPv4 "
                      "fetch timed out\n    V4_PATH_BROKEN: the IPv4 default "
                      "route leads nowhere\np-1    2"),
            std::string::npos)
      << text;
  EXPECT_EQ(text.find("explanations"), std::string::npos) << text;
  // A methodology 1 verdict has no explanations: nothing under its row.
  EXPECT_EQ(text.substr(text.size() - row_end.size()), row_end) << text;

  const std::string csv = table.Render(OutputFormat::kCsv);
  EXPECT_NE(csv.find(",V4_BROKEN: IPv4 is configured but every IPv4 fetch "
                     "timed out | V4_PATH_BROKEN: the IPv4 default route "
                     "leads nowhere\r\n"),
            std::string::npos)
      << csv;
}

TEST(RunsTableTest, ExplanationLinesAreLabelColonText) {
  EXPECT_EQ(ExplanationLines(V2Run().run().verdict()),
            "V4_BROKEN: IPv4 is configured but every IPv4 fetch timed out\n"
            "V4_PATH_BROKEN: the IPv4 default route leads nowhere");
  EXPECT_EQ(ExplanationLines(v6scope::v1::Verdict()), "");
}

TEST(ProbesTableTest, SyntheticProbesAreMarked) {
  v6scope::v1::ListProbesResponse response;
  EXPECT_EQ(ProbesTable(response).Render(OutputFormat::kTable),
            "no probe enrolled yet\n");
  v6scope::v1::ProbeSummary* p = response.add_probes();
  p->set_probe_id("synth-00000");
  p->set_synthetic(true);
  response.add_probes()->set_probe_id("p-1");
  const std::string csv = ProbesTable(response).Render(OutputFormat::kCsv);
  EXPECT_NE(csv.find("revoked,synthetic\r\n"), std::string::npos) << csv;
  EXPECT_NE(csv.find("synth-00000,,-,-,0,0,no,yes\r\n"), std::string::npos)
      << csv;
  EXPECT_NE(csv.find("p-1,,-,-,0,0,no,no\r\n"), std::string::npos) << csv;
  const std::string text = ProbesTable(response).Render(OutputFormat::kTable);
  EXPECT_NE(text.find("note: includes 1 synthetic sample probes"),
            std::string::npos)
      << text;
}

TEST(TokenTest, CollectorVantageFlagReachesTheRequest) {
  const absl::Time now = absl::FromUnixSeconds(1'800'000'000);
  absl::StatusOr<v6scope::v1::CreateEnrolmentTokenRequest> plain =
      TokenRequest("office", absl::Hours(168), false, now);
  ASSERT_TRUE(plain.ok()) << plain.status();
  EXPECT_FALSE(plain->collector_vantage());
  EXPECT_EQ(plain->expires_at().seconds(), 1'800'000'000 + 168 * 3600);
  absl::StatusOr<v6scope::v1::CreateEnrolmentTokenRequest> vantage =
      TokenRequest("office", absl::Hours(1), true, now);
  ASSERT_TRUE(vantage.ok()) << vantage.status();
  EXPECT_TRUE(vantage->collector_vantage());
  EXPECT_EQ(vantage->org(), "office");
  EXPECT_NE(TokenRequest("office", absl::ZeroDuration(), true, now)
                .status()
                .message()
                .find("--expires"),
            std::string::npos);

  v6scope::v1::CreateEnrolmentTokenResponse resp;
  resp.set_token("et-00");
  const std::string csv = TokenTable(*vantage, resp).Render(OutputFormat::kCsv);
  EXPECT_NE(csv.find("token,org,expires,collector_vantage\r\n"),
            std::string::npos)
      << csv;
  EXPECT_NE(csv.find("et-00,office,"), std::string::npos) << csv;
  EXPECT_NE(csv.find(",yes\r\n"), std::string::npos) << csv;
  EXPECT_NE(TokenTable(*vantage, resp)
                .Render(OutputFormat::kTable)
                .find("note: a collector vantage token"),
            std::string::npos);
  EXPECT_NE(TokenTable(*plain, resp).Render(OutputFormat::kCsv).find(",no\r\n"),
            std::string::npos);
}

}  // namespace
}  // namespace v6scope::cli
