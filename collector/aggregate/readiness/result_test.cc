#include "collector/aggregate/readiness/result.h"

#include "gtest/gtest.h"
#include "proto/admin_service.pb.h"
#include "proto/readiness.pb.h"

namespace v6scope::collector::aggregate::readiness {
namespace {

TEST(ResultTest, FromStoredResultTakesAttributionAndVerdict) {
  v6scope::v1::StoredDomainResult stored;
  stored.set_probe_id("p-1");
  stored.set_round(3);
  stored.set_sector("health");
  stored.set_probe_asn(64500);
  stored.set_probe_country("KE");
  stored.mutable_check()->set_domain("health.go.ke");
  v6scope::v1::ReadinessVerdict* v = stored.mutable_check()->mutable_verdict();
  v->set_web(v6scope::v1::SERVING_V6);
  v->set_dns(v6scope::v1::PARTIAL_V6);
  v->set_mail(v6scope::v1::NO_SERVICE);
  v->set_methodology_version("readiness 1");
  const ReadinessResult r = FromStoredResult("c-9", stored);
  EXPECT_EQ(r.campaign_id, "c-9");
  EXPECT_EQ(r.round, 3u);
  EXPECT_EQ(r.probe_id, "p-1");
  EXPECT_EQ(r.probe_asn, 64500u);
  EXPECT_EQ(r.probe_country, "KE");
  EXPECT_EQ(r.sector, "health");
  EXPECT_EQ(r.domain, "health.go.ke");
  EXPECT_EQ(r.methodology_version, "readiness 1");
  EXPECT_EQ(r.state(Service::kWeb), v6scope::v1::SERVING_V6);
  EXPECT_EQ(r.state(Service::kDns), v6scope::v1::PARTIAL_V6);
  EXPECT_EQ(r.state(Service::kMail), v6scope::v1::NO_SERVICE);
}

TEST(ResultTest, ServiceNamesAreTheExplanationLabels) {
  EXPECT_EQ(ServiceName(Service::kWeb), "web");
  EXPECT_EQ(ServiceName(Service::kDns), "dns");
  EXPECT_EQ(ServiceName(Service::kMail), "mail");
}

}  // namespace
}  // namespace v6scope::collector::aggregate::readiness
