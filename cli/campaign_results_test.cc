#include "cli/campaign_results.h"

#include <string>

#include "gtest/gtest.h"

namespace v6scope::cli {
namespace {

v6scope::v1::StoredDomainResult Result() {
  v6scope::v1::StoredDomainResult r;
  r.set_probe_id("p-ke");
  r.set_round(2);
  r.set_list_index(7);
  r.set_sector("government");
  r.set_probe_asn(33771);
  r.set_probe_country("KE");
  v6scope::v1::DomainCheck* c = r.mutable_check();
  c->set_domain("health.go.ke");
  c->set_web_v4_asn(13335);
  c->set_web_v6_asn(13335);
  c->mutable_verdict()->set_web(v6scope::v1::SERVING_V6);
  c->mutable_verdict()->set_dns(v6scope::v1::NO_AAAA);
  return r;
}

TEST(CampaignResultsTest, CsvRowHasTheDocumentedColumns) {
  EXPECT_EQ(CampaignResultsCsvHeader(),
            "domain,sector,probe,probe_asn,probe_country,round,web,dns,mail,"
            "web_v4_asn,web_v6_asn\n");
  EXPECT_EQ(CampaignResultLine(Result(), api::ExportFormat::kCsv),
            "health.go.ke,government,p-ke,33771,KE,2,serving_v6,no_aaaa,,"
            "13335,13335\n");
}

TEST(CampaignResultsTest, JsonLineIsTheWholeResult) {
  const std::string line =
      CampaignResultLine(Result(), api::ExportFormat::kJsonLines);
  EXPECT_EQ(line.back(), '\n');
  EXPECT_EQ(line.find('\n'), line.size() - 1);
  EXPECT_NE(line.find("\"probe_id\":\"p-ke\""), std::string::npos) << line;
  EXPECT_NE(line.find("health.go.ke"), std::string::npos);
}

TEST(CampaignResultsTest, ProgressTableHasARowAProbe) {
  v6scope::v1::CampaignProgressResponse p;
  p.mutable_campaign()->set_id("c-1");
  v6scope::v1::ProbeProgress* ke = p.add_probes();
  ke->set_probe_id("p-ke");
  ke->set_round(1);
  ke->set_offered(3000);
  ke->set_refused(1);
  ke->set_last_refusal("domains[3]: bad");
  p.set_results_stored(12);
  const Table t = ProgressTable(p);
  EXPECT_EQ(t.rows(), 1u);
  const std::string json = t.Render(OutputFormat::kJson);
  EXPECT_NE(json.find("\"probe\":\"p-ke\""), std::string::npos) << json;
  EXPECT_NE(json.find("domains[3]: bad"), std::string::npos);
  EXPECT_NE(t.Render(OutputFormat::kTable).find("12 results stored"),
            std::string::npos);
}

TEST(CampaignResultsTest, ProgressTableMarksTheCollectorsVantage) {
  v6scope::v1::CampaignProgressResponse p;
  p.mutable_campaign()->set_id("c-1");
  p.add_probes()->set_probe_id("p-ke");
  v6scope::v1::ProbeProgress* own = p.add_probes();
  own->set_probe_id("p-own");
  own->set_collector_vantage(true);
  const std::string json = ProgressTable(p).Render(OutputFormat::kJson);
  EXPECT_NE(json.find("\"probe\":\"p-ke\",\"vantage\":\"probe\""),
            std::string::npos)
      << json;
  EXPECT_NE(json.find("\"probe\":\"p-own\",\"vantage\":\"collector\""),
            std::string::npos)
      << json;
}

}  // namespace
}  // namespace v6scope::cli
