// The conformance cases of the CampaignStore role: campaigns and their
// domain lists, stored whole or not at all; states; the probes' vantage.
#include <google/protobuf/util/time_util.h>

#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "collector/ingest/prepare_run.h"
#include "collector/store/store.h"
#include "collector/store/store_conformance.h"
#include "gtest/gtest.h"
#include "proto/results.pb.h"

namespace v6scope::collector::store {
namespace {

using campaign::DomainEntry;
using campaign::DomainList;
using campaign::Sector;
using ::google::protobuf::util::TimeUtil;
using v6scope::v1::Campaign;

Campaign MakeCampaign(const std::string& id) {
  Campaign c;
  c.set_id(id);
  c.set_name("Kenya public services");
  c.add_sectors("government");
  c.mutable_list()->set_names(3);
  c.mutable_selector()->add_countries("KE");
  c.mutable_schedule()->set_every_n_days(7);
  c.mutable_budget()->set_domains_per_day(100);
  c.set_state(v6scope::v1::CAMPAIGN_ACTIVE);
  *c.mutable_created_at() =
      TimeUtil::MicrosecondsToTimestamp(1'700'000'000'123'456);
  c.set_created_by("ops");
  c.set_selected_probes(2);
  return c;
}

DomainList ThreeNames() {
  return DomainList({{"ict.go.ke", Sector::kGovernment, 2},
                     {"kcb.co.ke", Sector::kBanking, 5},
                     {"knh.or.ke", Sector::kHealth, 9}});
}

std::vector<DomainEntry> Domains(Store& store, const std::string& id,
                                 int64_t after = 0, int limit = 100) {
  absl::StatusOr<std::vector<DomainEntry>> got =
      store.ReadCampaignDomains(id, after, limit);
  EXPECT_TRUE(got.ok()) << got.status();
  return got.ok() ? *got : std::vector<DomainEntry>{};
}

TEST_P(StoreConformanceTest, CampaignRoundTrips) {
  ASSERT_TRUE(store().CreateCampaign(MakeCampaign("c-1"), ThreeNames()).ok());
  absl::StatusOr<Campaign> got = store().GetCampaign("c-1");
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(got->SerializeAsString(), MakeCampaign("c-1").SerializeAsString());
  std::vector<DomainEntry> names = Domains(store(), "c-1");
  ASSERT_EQ(names.size(), 3u);
  EXPECT_EQ(names[0].name, "ict.go.ke");
  EXPECT_EQ(names[0].sector, Sector::kGovernment);
  EXPECT_EQ(names[0].line, 2);
  EXPECT_EQ(names[2].name, "knh.or.ke");
  EXPECT_EQ(names[2].sector, Sector::kHealth);
  // Slices continue where the last one ended.
  std::vector<DomainEntry> tail = Domains(store(), "c-1", 1, 1);
  ASSERT_EQ(tail.size(), 1u);
  EXPECT_EQ(tail[0].name, "kcb.co.ke");
}

TEST_P(StoreConformanceTest, UnknownCampaignIsNotFound) {
  EXPECT_EQ(store().GetCampaign("c-x").status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(store().ReadCampaignDomains("c-x", 0, 10).status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(store()
                .SetCampaignState("c-x", v6scope::v1::CAMPAIGN_PAUSED)
                .status()
                .code(),
            absl::StatusCode::kNotFound);
}

TEST_P(StoreConformanceTest, DuplicateCampaignIdLeavesTheFirstAlone) {
  ASSERT_TRUE(store().CreateCampaign(MakeCampaign("c-1"), ThreeNames()).ok());
  Campaign other = MakeCampaign("c-1");
  other.set_name("other");
  EXPECT_EQ(
      store()
          .CreateCampaign(other, DomainList({{"a.example", Sector::kOther, 1}}))
          .code(),
      absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(store().GetCampaign("c-1")->name(), "Kenya public services");
  EXPECT_EQ(Domains(store(), "c-1").size(), 3u);
}

TEST_P(StoreConformanceTest, CampaignStatesAndDelete) {
  ASSERT_TRUE(store().CreateCampaign(MakeCampaign("c-b"), ThreeNames()).ok());
  ASSERT_TRUE(store().CreateCampaign(MakeCampaign("c-a"), ThreeNames()).ok());
  absl::StatusOr<Campaign> paused =
      store().SetCampaignState("c-b", v6scope::v1::CAMPAIGN_PAUSED);
  ASSERT_TRUE(paused.ok()) << paused.status();
  EXPECT_EQ(paused->state(), v6scope::v1::CAMPAIGN_PAUSED);
  EXPECT_EQ(store().GetCampaign("c-b")->state(), v6scope::v1::CAMPAIGN_PAUSED);
  ASSERT_TRUE(
      store().SetCampaignState("c-b", v6scope::v1::CAMPAIGN_ACTIVE).ok());
  ASSERT_TRUE(
      store().SetCampaignState("c-b", v6scope::v1::CAMPAIGN_DELETED).ok());
  ASSERT_TRUE(  // Twice is fine.
      store().SetCampaignState("c-b", v6scope::v1::CAMPAIGN_DELETED).ok());
  EXPECT_EQ(store()
                .SetCampaignState("c-b", v6scope::v1::CAMPAIGN_ACTIVE)
                .status()
                .code(),
            absl::StatusCode::kFailedPrecondition);
  // Deleted: kept with its stats, its list dropped, listed only if asked.
  absl::StatusOr<Campaign> deleted = store().GetCampaign("c-b");
  ASSERT_TRUE(deleted.ok()) << deleted.status();
  EXPECT_EQ(deleted->state(), v6scope::v1::CAMPAIGN_DELETED);
  EXPECT_EQ(deleted->list().names(), 3u);
  EXPECT_TRUE(Domains(store(), "c-b").empty());
  EXPECT_EQ(Domains(store(), "c-a").size(), 3u);
  absl::StatusOr<std::vector<Campaign>> live = store().ListCampaigns(false);
  ASSERT_TRUE(live.ok()) << live.status();
  ASSERT_EQ(live->size(), 1u);
  EXPECT_EQ((*live)[0].id(), "c-a");
  absl::StatusOr<std::vector<Campaign>> all = store().ListCampaigns(true);
  ASSERT_TRUE(all.ok()) << all.status();
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].id(), "c-a");
  EXPECT_EQ((*all)[1].id(), "c-b");
}

// The upper bound, in one transaction; the time is printed for
// docs/campaigns.md ("Storing a list").
TEST_P(StoreConformanceTest, MillionNameListStoresWhole) {
  std::vector<DomainEntry> entries;
  entries.reserve(1'000'000);
  for (int i = 0; i < 1'000'000; ++i) {
    entries.push_back({absl::StrCat("site-", i, ".example.org"),
                       i % 2 ? Sector::kTopSites : Sector::kGovernment, i + 1});
  }
  const DomainList list(std::move(entries));
  const auto start = std::chrono::steady_clock::now();
  ASSERT_TRUE(store().CreateCampaign(MakeCampaign("c-big"), list).ok());
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();
  std::printf("CAMPAIGN_STORE_TIME %s: 1000000 names stored in %.2f s\n",
              GetParam().name.c_str(), seconds);
  std::vector<DomainEntry> last = Domains(store(), "c-big", 999'998, 10);
  ASSERT_EQ(last.size(), 2u);
  EXPECT_EQ(last[1].name, "site-999999.example.org");
  EXPECT_EQ(last[1].line, 1'000'000);
  EXPECT_EQ(last[1].sector, Sector::kTopSites);
}

v6scope::v1::Run AttributedRun(uint32_t asn, const std::string& country) {
  v6scope::v1::Run run;
  *run.mutable_started_at() = TimeUtil::SecondsToTimestamp(1'700'000'000);
  run.mutable_verdict()->set_capability(v6scope::v1::V6_PREFERRED);
  run.mutable_verdict()->set_methodology_version("1");
  run.mutable_attribution()->set_asn(asn);
  run.mutable_attribution()->set_country(country);
  return run;
}

absl::Status EnrolProbe(Store& store, const std::string& id) {
  const absl::Time now = absl::FromUnixSeconds(1'700'000'000);
  absl::Status added =
      store.AddEnrolmentToken({"hash-" + id, "Org", now, now + absl::Hours(1)});
  if (!added.ok()) return added;
  ProbeRecord probe;
  probe.probe_id = id;
  probe.credential_hash = "cred-" + id;
  probe.probe_version = "0.1.0";
  probe.enrolled_at = now;
  return store.ConsumeEnrolmentToken("hash-" + id, now, probe).status();
}

TEST_P(StoreConformanceTest, ProbeVantageIsTheNewestRunsAttribution) {
  for (const char* id : {"p-a", "p-b", "p-c"}) {
    ASSERT_TRUE(EnrolProbe(store(), id).ok());
  }
  RunBatch a;
  a.probe_id = "p-a";
  a.first_seq = 1;
  a.received_at = absl::FromUnixSeconds(1'700'000'100);
  a.runs.push_back(*ingest::PrepareRun(AttributedRun(64500, "DE")));
  a.runs.push_back(*ingest::PrepareRun(AttributedRun(33771, "KE")));
  RunBatch b = a;
  b.probe_id = "p-b";
  b.runs.resize(1);
  ASSERT_TRUE(store().StoreBatches({a, b}).ok());
  ASSERT_TRUE(store().RevokeProbe("p-b").ok());
  absl::StatusOr<std::vector<campaign::ProbeVantage>> got =
      store().ListProbeVantages();
  ASSERT_TRUE(got.ok()) << got.status();
  ASSERT_EQ(got->size(), 3u);
  EXPECT_EQ((*got)[0].probe_id, "p-a");
  EXPECT_TRUE((*got)[0].has_runs);
  EXPECT_EQ((*got)[0].asn, 33771u);
  EXPECT_EQ((*got)[0].country, "KE");
  EXPECT_FALSE((*got)[0].revoked);
  EXPECT_EQ((*got)[1].probe_id, "p-b");
  EXPECT_TRUE((*got)[1].revoked);
  EXPECT_EQ((*got)[1].country, "DE");
  EXPECT_EQ((*got)[2].probe_id, "p-c");
  EXPECT_FALSE((*got)[2].has_runs);
  EXPECT_EQ((*got)[2].country, "");
}

}  // namespace
}  // namespace v6scope::collector::store
