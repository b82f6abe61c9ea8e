// Tests of the same-site rule (docs/methodology.md §13.3) at its
// boundaries: SimHash distance 16 vs 17, size ratio exactly 2 vs just
// above, title normalization, final host, status class.
#include "methodology/readiness/similarity.h"

#include <cstdint>

#include "gtest/gtest.h"
#include "methodology/readiness/readiness.h"
#include "methodology/readiness/testing/domain_builder.h"
#include "proto/readiness.pb.h"

namespace v6scope::methodology::readiness {
namespace {

using testing::FetchBuilder;
using testing::kHttpsUrl;
using testing::kSimHash;
using testing::kTitle;

// The low `bits` bits set.
uint64_t LowBits(int bits) {
  return bits >= 64 ? ~uint64_t{0} : (uint64_t{1} << bits) - 1;
}

v1::WebFetch Page(v1::AddressFamily family, uint64_t simhash = kSimHash,
                  uint64_t bytes = 48000, const std::string& title = kTitle,
                  uint32_t status = 200, const std::string& url = kHttpsUrl) {
  return FetchBuilder(kHttpsUrl, family)
      .Hop(url, status, family == v1::IPV4 ? "192.0.2.80" : "2001:db8:80::80")
      .Body(title, simhash, bytes)
      .Build();
}

TEST(SimilarityTest, SimHashDistanceCountsBits) {
  EXPECT_EQ(SimHashDistance(0, 0), 0);
  EXPECT_EQ(SimHashDistance(kSimHash, kSimHash ^ LowBits(16)), 16);
  EXPECT_EQ(SimHashDistance(0, ~uint64_t{0}), 64);
}

TEST(SimilarityTest, SimHashThresholdIsInclusive) {
  const v1::WebFetch v4 = Page(v1::IPV4);
  EXPECT_TRUE(CompareSites(v4, Page(v1::IPV6, kSimHash ^ LowBits(16))).same);
  const SiteComparison far =
      CompareSites(v4, Page(v1::IPV6, kSimHash ^ LowBits(17)));
  EXPECT_FALSE(far.same);
  EXPECT_EQ(far.difference, "content 17 of 64 SimHash bits apart (at most 16)");
}

TEST(SimilarityTest, SimHashBoundaryDecidesTheWebVerdict) {
  const auto web = [](int bits) {
    return ComputeReadiness(testing::DomainBuilder()
                                .Fetch(Page(v1::IPV6, kSimHash ^ LowBits(bits)))
                                .Build())
        .web();
  };
  EXPECT_EQ(web(kMaxSimHashDistance), v1::SERVING_V6);
  EXPECT_EQ(web(kMaxSimHashDistance + 1), v1::DIFFERENT_SITE_V6);
}

TEST(SimilarityTest, SizeWithinAFactorOfTwo) {
  const v1::WebFetch v4 = Page(v1::IPV4, kSimHash, 1000);
  EXPECT_TRUE(CompareSites(v4, Page(v1::IPV6, kSimHash, 500)).same);
  EXPECT_TRUE(CompareSites(v4, Page(v1::IPV6, kSimHash, 2000)).same);
  EXPECT_EQ(CompareSites(v4, Page(v1::IPV6, kSimHash, 499)).difference,
            "size 1000 vs 499 bytes");
  EXPECT_FALSE(CompareSites(v4, Page(v1::IPV6, kSimHash, 2001)).same);
  EXPECT_FALSE(CompareSites(v4, Page(v1::IPV6, kSimHash, 0)).same);
  EXPECT_TRUE(CompareSites(Page(v1::IPV4, 0, 0), Page(v1::IPV6, 0, 0)).same);
}

TEST(SimilarityTest, BodiesCutByTheCapCountAsEqualInSize) {
  v1::WebFetch v4 = Page(v1::IPV4, kSimHash, 1 << 20);
  v1::WebFetch v6 = Page(v1::IPV6, kSimHash, 100000);
  EXPECT_FALSE(SizesSimilar(v4, v6));
  v4.set_body_truncated(true);
  v6.set_body_truncated(true);
  EXPECT_TRUE(SizesSimilar(v4, v6));
}

TEST(SimilarityTest, TitlesCompareNormalized) {
  EXPECT_EQ(NormalizedTitle("  Ministry\tof\n\n EXAMPLES "),
            "ministry of examples");
  EXPECT_EQ(NormalizedTitle(""), "");
  const v1::WebFetch v4 = Page(v1::IPV4);
  EXPECT_TRUE(CompareSites(
                  v4, Page(v1::IPV6, kSimHash, 48000, " ministry  OF examples"))
                  .same);
  EXPECT_EQ(CompareSites(v4, Page(v1::IPV6, kSimHash, 48000, "")).difference,
            "title \"Ministry of Examples\" vs \"\"");
  EXPECT_TRUE(CompareSites(Page(v1::IPV4, kSimHash, 48000, ""),
                           Page(v1::IPV6, kSimHash, 48000, ""))
                  .same);
}

TEST(SimilarityTest, StatusClassAndFinalHostCount) {
  const v1::WebFetch v4 = Page(v1::IPV4);
  EXPECT_TRUE(
      CompareSites(v4, Page(v1::IPV6, kSimHash, 48000, kTitle, 203)).same);
  EXPECT_EQ(
      CompareSites(v4, Page(v1::IPV6, kSimHash, 48000, kTitle, 404)).difference,
      "status 200 vs 404");
  EXPECT_EQ(CompareSites(v4, Page(v1::IPV6, kSimHash, 48000, kTitle, 200,
                                  "https://[2001:db8::1]:8443/"))
                .difference,
            "final host www.example.gov vs 2001:db8::1");
}

TEST(SimilarityTest, EveryDifferenceIsListedInOrder) {
  const SiteComparison c = CompareSites(
      Page(v1::IPV4), Page(v1::IPV6, ~kSimHash, 600, "Welcome to nginx!", 404,
                           "https://parked.example.net/"));
  EXPECT_FALSE(c.same);
  EXPECT_EQ(c.difference,
            "status 200 vs 404; final host www.example.gov vs "
            "parked.example.net; title \"Ministry of Examples\" vs "
            "\"Welcome to nginx!\"; content 64 of 64 SimHash bits apart (at "
            "most 16); size 48000 vs 600 bytes");
}

}  // namespace
}  // namespace v6scope::methodology::readiness
