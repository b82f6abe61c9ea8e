#include "api/request_params.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace v6scope::api {
namespace {

using ::testing::HasSubstr;

TEST(RequestParamsTest, AggregatesRequestFromWords) {
  absl::StatusOr<v6scope::v1::AggregatesRequest> r =
      ParseAggregatesRequest({{"group_by", "itu"},
                              {"window", "Month"},
                              {"at", "2026-11-03"},
                              {"windows", "6"},
                              {"country", "ke"},
                              {"asn", "AS13335"},
                              {"region", "Africa"},
                              {"methodology", "2"},
                              {"format", "csv"}});
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->group_by(), v6scope::v1::ITU_REGION);
  EXPECT_EQ(r->window(), v6scope::v1::MONTH);
  EXPECT_EQ(r->at().seconds(), 1793664000);  // 2026-11-03T00:00:00Z.
  EXPECT_EQ(r->windows(), 6u);
  EXPECT_EQ(r->country(), "KE");
  EXPECT_EQ(r->asn(), 13335u);
  EXPECT_EQ(r->region(), "africa");
  EXPECT_EQ(r->methodology(), "2");
  EXPECT_EQ(GroupByName(r->group_by()), "itu_region");
  EXPECT_EQ(WindowName(r->window()), "month");
}

TEST(RequestParamsTest, ErrorsNameTheParameter) {
  struct Bad {
    Params params;
    const char* mentions;
  };
  for (const Bad& bad : std::vector<Bad>{
           {{{"group_by", "continent"}}, "group_by"},
           {{{"window", "year"}}, "window"},
           {{{"at", "yesterday"}}, "at: expected YYYY-MM-DD"},
           {{{"windows", "-1"}}, "windows"},
           {{{"country", "KEN"}}, "country"},
           {{{"asn", "0"}}, "asn"},
           {{{"colour", "blue"}}, "unknown parameter 'colour'"},
           {{{"methodology", "v2"}}, "methodology: expected"},
           {{{"methodology", "02"}}, "methodology: expected"},
           {{{"methodology", "latest"}}, "methodology: expected"},
           {{{"methodology", "-1"}}, "methodology: expected"},
       }) {
    absl::StatusOr<v6scope::v1::AggregatesRequest> r =
        ParseAggregatesRequest(bad.params);
    ASSERT_FALSE(r.ok()) << bad.mentions;
    EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(r.status().message(), HasSubstr(bad.mentions));
  }
}

TEST(RequestParamsTest, MethodologyIsAVersionNumberOrEmpty) {
  for (const char* version : {"1", "2", "10"}) {
    absl::StatusOr<v6scope::v1::AggregatesRequest> r =
        ParseAggregatesRequest({{"methodology", version}});
    ASSERT_TRUE(r.ok()) << r.status();
    EXPECT_EQ(r->methodology(), version);
  }
  absl::StatusOr<v6scope::v1::AggregatesRequest> all =
      ParseAggregatesRequest({{"methodology", ""}});
  ASSERT_TRUE(all.ok()) << all.status();
  EXPECT_EQ(all->methodology(), "");
  // Exports of runs carry every version; there is nothing to filter.
  EXPECT_FALSE(ParseExportRunsRequest({{"methodology", "2"}}).ok());
}

TEST(RequestParamsTest, TimesOutsideTheTimestampRangeNameTheParameter) {
  for (const char* value :
       {"10000-01-01", "99999-12-31", "10000-01-01T00:00:00Z",
        "0000-12-31T00:00:00Z", "-0001-01-01"}) {
    absl::StatusOr<v6scope::v1::AggregatesRequest> at =
        ParseAggregatesRequest({{"at", value}});
    ASSERT_FALSE(at.ok()) << value;
    EXPECT_EQ(at.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(at.status().message(), HasSubstr("at: ")) << value;
    absl::StatusOr<v6scope::v1::ExportRunsRequest> until =
        ParseExportRunsRequest({{"until", value}});
    ASSERT_FALSE(until.ok()) << value;
    EXPECT_THAT(until.status().message(), HasSubstr("until: ")) << value;
  }
  EXPECT_TRUE(ParseAggregatesRequest({{"at", "9999-12-31"}}).ok());
  EXPECT_TRUE(ParseAggregatesRequest({{"at", "0001-01-01"}}).ok());
}

TEST(RequestParamsTest, ExportRunsRequest) {
  absl::StatusOr<v6scope::v1::ExportRunsRequest> r =
      ParseExportRunsRequest({{"since", "2026-11-01T06:00:00Z"},
                              {"until", "2026-11-02"},
                              {"country", "de"},
                              {"probe_id", "p-1"}});
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->since().seconds(), 1793512800);
  EXPECT_EQ(r->until().seconds(), 1793577600);
  EXPECT_EQ(r->country(), "DE");
  EXPECT_EQ(r->probe_id(), "p-1");
  EXPECT_FALSE(ParseExportRunsRequest({{"group_by", "asn"}}).ok());
}

// Found by api/fuzz:request_params_fuzz: a year past 9999 parsed, then
// aborted the process in the Timestamp conversion.
TEST(RequestParamsTest, FuzzRegressionYearPast9999IsAnErrorNotAnAbort) {
  absl::StatusOr<v6scope::v1::ExportRunsRequest> r = ParseExportRunsRequest(
      {{"since", "10113-11-01"}, {"until", "2026-12-"}, {"format", "csvf"}});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(r.status().message(), HasSubstr("since: "));
}

}  // namespace
}  // namespace v6scope::api
