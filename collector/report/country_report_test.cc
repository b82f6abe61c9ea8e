// The report's figures against the API's answers, on a real SQLite store
// seeded with a synthetic fleet and readiness rows folded as ingest folds
// them; and its page in every language.
#include "collector/report/country_report.h"

#include <google/protobuf/util/message_differencer.h>

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "collector/campaign/domain_list.h"
#include "collector/query/testing/fake_readiness_rollups.h"
#include "collector/query/testing/seeded_store.h"
#include "collector/report/report_answer.h"
#include "collector/report/report_html.h"
#include "common/i18n/built_in_messages.h"
#include "common/time/clock.h"
#include "gtest/gtest.h"

namespace v6scope::collector::report {
namespace {

using google::protobuf::util::MessageDifferencer;
using query::testing::Result;
using v6scope::v1::NO_AAAA;
using v6scope::v1::SERVING_V6;

constexpr char kCampaign[] = "c-0000000a";
// A hostile name: the page must show it, never run it.
constexpr char kCampaignName[] = "Gov <b>sites</b> & \"co\"";

class CountryReportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<query::testing::SeededStore> seeded =
        query::testing::SeedStore(
            ::testing::UnitTest::GetInstance()->current_test_info()->name(),
            /*probes=*/26, /*days=*/2, /*runs_per_day=*/2);
    ASSERT_TRUE(seeded.ok()) << seeded.status();
    seeded_ = *std::move(seeded);
    clock_ = std::make_unique<time::FakeClock>(seeded_.fleet.end);

    v6scope::v1::Campaign campaign;
    campaign.set_id(kCampaign);
    campaign.set_name(kCampaignName);
    campaign.set_state(v6scope::v1::CAMPAIGN_ACTIVE);
    // Round 1 begins 5 days into the month before last, round 2 forty days
    // later (in last month): a report of the month before last shows
    // round 1, one of this month round 2.
    const absl::CivilMonth this_month =
        absl::ToCivilMonth(seeded_.fleet.end, absl::UTCTimeZone());
    const absl::Time first = absl::FromCivil(absl::CivilDay(this_month - 2) + 5,
                                             absl::UTCTimeZone());
    campaign.mutable_schedule()->set_every_n_days(40);
    campaign.mutable_schedule()->mutable_start()->set_seconds(
        absl::ToUnixSeconds(first));
    early_period_ = absl::FormatCivilTime(this_month - 2);
    ASSERT_TRUE(
        seeded_.store
            ->CreateCampaign(
                campaign, campaign::DomainList(
                              {{"a.go.ke", campaign::Sector::kGovernment, 1},
                               {"b.go.ke", campaign::Sector::kGovernment, 2}}))
            .ok());
    // Round 1: a serves over IPv6, b has no AAAA; round 2: both serve.
    // Three networks (k = 3) in KE, one in ET (withheld there).
    std::vector<aggregate::readiness::ReadinessResult> results;
    for (uint32_t asn : {33771u, 36926u, 64500u}) {
      results.push_back(
          Result(kCampaign, 1, "KE", asn, "government", "a.go.ke", SERVING_V6));
      results.push_back(
          Result(kCampaign, 1, "KE", asn, "government", "b.go.ke", NO_AAAA));
      results.push_back(
          Result(kCampaign, 2, "KE", asn, "government", "a.go.ke", SERVING_V6));
      results.push_back(
          Result(kCampaign, 2, "KE", asn, "government", "b.go.ke", SERVING_V6));
    }
    results.push_back(
        Result(kCampaign, 2, "ET", 37100, "government", "a.go.ke", SERVING_V6));
    rollups_.Add(results);
    queries_ = std::make_unique<query::Queries>(seeded_.store.get(), nullptr,
                                                clock_.get(),
                                                /*min_probes=*/1, &rollups_);
    reports_ = std::make_unique<Reports>(queries_.get(), seeded_.store.get(),
                                         nullptr, clock_.get());
  }

  v6scope::v1::CountryReport Report(const std::string& cc) {
    v6scope::v1::CountryReportRequest request;
    request.set_country(cc);
    absl::StatusOr<v6scope::v1::CountryReport> report =
        reports_->Build(request);
    EXPECT_TRUE(report.ok()) << report.status();
    return report.ok() ? *report : v6scope::v1::CountryReport();
  }

  query::testing::SeededStore seeded_;
  std::unique_ptr<time::FakeClock> clock_;
  query::testing::FakeReadinessRollups rollups_;
  std::unique_ptr<query::Queries> queries_;
  std::unique_ptr<Reports> reports_;
  std::string early_period_;  // The month round 1 began in ("YYYY-MM").
};

TEST_F(CountryReportTest, NetworkFiguresAreTheAggregatesApis) {
  const v6scope::v1::CountryReport report = Report("ke");
  EXPECT_EQ(report.country(), "KE");
  EXPECT_EQ(report.country_name(), "Kenya");
  EXPECT_EQ(report.itu_region(), "africa");
  ASSERT_TRUE(report.has_network());

  v6scope::v1::AggregatesRequest request;
  request.set_group_by(v6scope::v1::COUNTRY);
  request.set_window(v6scope::v1::MONTH);
  request.set_country("KE");
  absl::StatusOr<v6scope::v1::AggregatesResponse> api =
      queries_->aggregates().Aggregates(request);
  ASSERT_TRUE(api.ok()) << api.status();
  ASSERT_EQ(api->groups_size(), 1);
  EXPECT_TRUE(MessageDifferencer::Equals(report.network(), api->groups(0)))
      << report.network().DebugString() << api->groups(0).DebugString();
  EXPECT_GT(report.network().probes(), 0u);
  EXPECT_FALSE(report.has_previous_network());  // No runs the month before.
  EXPECT_EQ(report.min_probes(), api->min_probes());
  EXPECT_EQ(report.methodology_version(), api->methodology_version());

  // The largest networks: both KE networks of the fleet, by probes.
  request.set_group_by(v6scope::v1::ASN);
  api = queries_->aggregates().Aggregates(request);
  ASSERT_TRUE(api.ok());
  EXPECT_EQ(report.networks_measured(),
            static_cast<uint32_t>(api->groups_size()));
  ASSERT_EQ(report.largest_networks_size(), api->groups_size());
  for (int i = 1; i < report.largest_networks_size(); ++i) {
    EXPECT_GE(report.largest_networks(i - 1).probes(),
              report.largest_networks(i).probes());
  }
  // The standing is on the same share.
  ASSERT_GE(report.standings_size(), 1);
  EXPECT_EQ(report.standings(0).metric(), "v6_capable");
  EXPECT_DOUBLE_EQ(report.standings(0).value(),
                   report.network().v6_capable().value());
  ASSERT_GE(report.standings(0).groups_size(), 1);
  EXPECT_EQ(report.standings(0).groups(0).group(), "africa");
}

TEST_F(CountryReportTest, ServiceFiguresAreTheServicesApis) {
  const v6scope::v1::CountryReport report = Report("KE");
  ASSERT_EQ(report.campaigns_size(), 1);
  const v6scope::v1::ReportCampaign& c = report.campaigns(0);
  EXPECT_EQ(c.name(), kCampaignName);
  EXPECT_EQ(c.round(), 2u);

  v6scope::v1::ServiceSharesRequest request;
  request.set_campaign_id(kCampaign);
  request.set_country("KE");
  absl::StatusOr<v6scope::v1::ServiceSharesResponse> api =
      queries_->readiness().Shares(request);
  ASSERT_TRUE(api.ok()) << api.status();
  ASSERT_EQ(c.cells_size(), api->cells_size());
  for (int i = 0; i < c.cells_size(); ++i) {
    EXPECT_TRUE(MessageDifferencer::Equals(c.cells(i), api->cells(i)));
  }
  // b.go.ke gained IPv6 on the web between rounds 1 and 2.
  bool web = false;
  for (const auto& change : c.changes()) {
    if (change.service() != "web") continue;
    web = true;
    EXPECT_EQ(change.previous_round(), 1u);
    EXPECT_EQ(change.gained(), 1u);
    EXPECT_EQ(change.lost(), 0u);
  }
  EXPECT_TRUE(web);
  EXPECT_EQ(report.min_networks(), queries_->readiness().min_networks());
  EXPECT_FALSE(report.readiness_methodology_version().empty());

  // A country no probe measured the campaign from has no section.
  EXPECT_EQ(Report("DE").campaigns_size(), 0);
}

// A report of an earlier month shows the round begun by that month's end
// (round 1), not the campaign's latest: the figures the API gives for
// that round, and no change (round 1 has no round before it).
TEST_F(CountryReportTest, AnEarlierMonthShowsTheRoundBegunByItsEnd) {
  v6scope::v1::CountryReportRequest request;
  request.set_country("KE");
  request.set_period(early_period_);
  absl::StatusOr<v6scope::v1::CountryReport> report = reports_->Build(request);
  ASSERT_TRUE(report.ok()) << report.status();
  ASSERT_EQ(report->campaigns_size(), 1);
  const v6scope::v1::ReportCampaign& c = report->campaigns(0);
  EXPECT_EQ(c.round(), 1u);
  v6scope::v1::ServiceSharesRequest api_request;
  api_request.set_campaign_id(kCampaign);
  api_request.set_country("KE");
  api_request.set_round(1);
  absl::StatusOr<v6scope::v1::ServiceSharesResponse> api =
      queries_->readiness().Shares(api_request);
  ASSERT_TRUE(api.ok()) << api.status();
  ASSERT_EQ(c.cells_size(), api->cells_size());
  for (int i = 0; i < c.cells_size(); ++i) {
    EXPECT_TRUE(MessageDifferencer::Equals(c.cells(i), api->cells(i)));
  }
  for (const auto& change : c.changes()) {
    EXPECT_EQ(change.previous_round(), 0u);
    EXPECT_EQ(change.gained() + change.lost(), 0u);
  }
  // The month before round 1 began: no section for the campaign.
  absl::CivilMonth early;
  ASSERT_TRUE(absl::ParseCivilTime(early_period_, &early));
  request.set_period(absl::FormatCivilTime(early - 1));
  report = reports_->Build(request);
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_EQ(report->campaigns_size(), 0);
}

TEST_F(CountryReportTest, RefusesWhatIsNoCountryOrNoPeriod) {
  v6scope::v1::CountryReportRequest request;
  for (const char* bad : {"", "KEN", "XX", "k1"}) {
    request.set_country(bad);
    absl::Status s = reports_->Build(request).status();
    EXPECT_TRUE(absl::IsInvalidArgument(s)) << bad;
    EXPECT_TRUE(absl::StartsWith(s.message(), "country:")) << s;
  }
  request.set_country("KE");
  for (const char* bad : {"2026", "2026-13", "26-11", "2026-11-01", "x"}) {
    request.set_period(bad);
    absl::Status s = reports_->Build(request).status();
    EXPECT_TRUE(absl::IsInvalidArgument(s)) << bad;
    EXPECT_TRUE(absl::StartsWith(s.message(), "period:")) << s;
  }
  request.set_period("2099-01");
  EXPECT_NE(reports_->Build(request).status().message().find("has not begun"),
            std::string::npos);
  request.set_period("2026-10");  // Before the fleet: no network data.
  absl::StatusOr<v6scope::v1::CountryReport> october = reports_->Build(request);
  ASSERT_TRUE(october.ok()) << october.status();
  EXPECT_FALSE(october->has_network());
  EXPECT_EQ(october->period(), "2026-10");
}

TEST_F(CountryReportTest, PageInEveryLanguageHasEveryMessageAndEscapesData) {
  absl::StatusOr<const i18n::Messages*> messages = i18n::BuiltInMessages();
  ASSERT_TRUE(messages.ok()) << messages.status();
  const v6scope::v1::CountryReport report = Report("KE");
  for (i18n::Lang lang : i18n::AllLangs()) {
    const uint64_t before = (*messages)->fallbacks();
    const std::string html = RenderCountryReportHtml(report, **messages, lang);
    EXPECT_EQ((*messages)->fallbacks(), before)
        << "a message missing in " << i18n::LangTag(lang);
    EXPECT_NE(html.find(absl::StrCat("lang=\"", i18n::LangTag(lang), "\"")),
              std::string::npos);
    EXPECT_NE(
        html.find(lang == i18n::Lang::kAr ? "dir=\"rtl\"" : "dir=\"ltr\""),
        std::string::npos)
        << i18n::LangTag(lang);
    EXPECT_EQ(html.find("<b>"), std::string::npos) << "unescaped data";
    EXPECT_NE(html.find("Gov &lt;b&gt;sites&lt;/b&gt; &amp; &quot;co&quot;"),
              std::string::npos);
    EXPECT_NE(html.find("AS33771"), std::string::npos);
    for (const char* section : {"allocations", "networks", "services", "trend",
                                "standing", "provenance"}) {
      EXPECT_NE(html.find(absl::StrCat("<section id=\"", section, "\">")),
                std::string::npos)
          << section << " in " << i18n::LangTag(lang);
    }
  }
  const std::string fr =
      RenderCountryReportHtml(report, **messages, i18n::Lang::kFr);
  EXPECT_NE(fr.find("Rapport"), std::string::npos);
}

TEST_F(CountryReportTest, AnswerRendersInTheLanguageAskedAndRefusesOthers) {
  v6scope::v1::CountryReportRequest request;
  request.set_country("KE");
  request.set_html(true);
  request.set_lang("zh-Hans-CN");
  absl::StatusOr<v6scope::v1::CountryReportResponse> answer =
      AnswerCountryReport(*reports_, request);
  ASSERT_TRUE(answer.ok()) << answer.status();
  EXPECT_EQ(answer->lang(), "zh");
  EXPECT_NE(answer->html().find("lang=\"zh\""), std::string::npos);
  EXPECT_EQ(answer->report().country(), "KE");
  request.set_lang("de");
  absl::Status s = AnswerCountryReport(*reports_, request).status();
  EXPECT_TRUE(absl::IsInvalidArgument(s));
  EXPECT_TRUE(absl::StartsWith(s.message(), "lang:")) << s;
  request.set_lang("");
  request.set_html(false);
  answer = AnswerCountryReport(*reports_, request);
  ASSERT_TRUE(answer.ok());
  EXPECT_TRUE(answer->html().empty());
}

TEST_F(CountryReportTest, RegionRowsAreTheCountryAggregatesOfTheApi) {
  v6scope::v1::RegionReportRequest request;
  request.set_region("Africa");
  absl::StatusOr<v6scope::v1::RegionReport> region =
      reports_->BuildRegion(request);
  ASSERT_TRUE(region.ok()) << region.status();
  EXPECT_EQ(region->region(), "africa");
  v6scope::v1::AggregatesRequest api_request;
  api_request.set_group_by(v6scope::v1::COUNTRY);
  api_request.set_window(v6scope::v1::MONTH);
  api_request.set_region("africa");
  absl::StatusOr<v6scope::v1::AggregatesResponse> api =
      queries_->aggregates().Aggregates(api_request);
  ASSERT_TRUE(api.ok()) << api.status();
  ASSERT_GE(api->groups_size(), 2);  // KE and ET in the fleet.
  int measured = 0;
  for (const auto& row : region->countries()) {
    if (!row.has_network()) continue;
    ++measured;
    bool found = false;
    for (const auto& g : api->groups()) {
      if (g.key() != row.country()) continue;
      found = true;
      EXPECT_EQ(row.network().probes(), g.probes()) << g.key();
      EXPECT_TRUE(MessageDifferencer::Equals(row.network().v6_capable(),
                                             g.v6_capable()));
    }
    EXPECT_TRUE(found) << row.country();
  }
  EXPECT_EQ(measured, api->groups_size());
  // Every member of the region has a row, measured or not.
  EXPECT_GT(region->countries_size(), 40);  // ITU-D Africa: 49 (no EG).
  ASSERT_TRUE(region->has_network());
  EXPECT_EQ(region->network().key(), "africa");

  absl::StatusOr<const i18n::Messages*> messages = i18n::BuiltInMessages();
  ASSERT_TRUE(messages.ok());
  for (i18n::Lang lang : i18n::AllLangs()) {
    const uint64_t before = (*messages)->fallbacks();
    const std::string html = RenderRegionReportHtml(
        *region, **messages, lang,
        [](const std::string& cc) { return cc + ".html?a=1&b=2"; });
    EXPECT_EQ((*messages)->fallbacks(), before) << i18n::LangTag(lang);
    EXPECT_NE(html.find("href=\"KE.html?a=1&amp;b=2\""), std::string::npos);
  }

  for (const char* bad : {"mars", "", "KE"}) {
    request.set_region(bad);
    absl::Status s = reports_->BuildRegion(request).status();
    EXPECT_TRUE(absl::IsInvalidArgument(s)) << bad;
    EXPECT_TRUE(absl::StartsWith(s.message(), "region:")) << s;
  }
}

}  // namespace
}  // namespace v6scope::collector::report
