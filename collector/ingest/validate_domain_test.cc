#include "collector/ingest/validate_domain.h"

#include <random>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "collector/ingest/testing/domain_checks.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace v6scope::collector::ingest {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

v6scope::v1::DomainBatch GoodBatch(int n = 3) {
  v6scope::v1::DomainBatch batch;
  batch.set_first_seq(1);
  for (int i = 0; i < n; ++i) {
    v6scope::v1::DomainResult* r = batch.add_results();
    r->set_assignment_id(testing::AssignmentId(1));
    r->set_item(i);
    *r->mutable_check() =
        testing::VariedDomainCheck(absl::StrCat("site", i, ".go.ke"), i);
  }
  return batch;
}

std::string Error(const v6scope::v1::DomainBatch& batch) {
  absl::Status s = ValidateDomainBatch(batch);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << s;
  return std::string(s.message());
}

TEST(ValidateDomainBatchTest, EveryVariantIsValid) {
  EXPECT_TRUE(ValidateDomainBatch(GoodBatch(16)).ok())
      << ValidateDomainBatch(GoodBatch(16));
}

TEST(ValidateDomainBatchTest, BatchLimits) {
  v6scope::v1::DomainBatch b = GoodBatch();
  b.set_first_seq(0);
  EXPECT_THAT(Error(b), StartsWith("first_seq: "));
  EXPECT_THAT(Error(v6scope::v1::DomainBatch()), HasSubstr("first_seq"));
  b = GoodBatch(0);
  EXPECT_THAT(Error(b), StartsWith("results: empty"));
  b = GoodBatch(501);
  EXPECT_THAT(Error(b), StartsWith("results: more than 500"));
  b = GoodBatch(2);
  b.set_first_seq(INT64_MAX);
  EXPECT_THAT(Error(b), HasSubstr("2^63-1"));
}

TEST(ValidateDomainBatchTest, NamesTheField) {
  v6scope::v1::DomainBatch b = GoodBatch();
  b.mutable_results(2)->set_assignment_id("a-xyz");
  EXPECT_THAT(Error(b), StartsWith("results[2].assignment_id: "));

  b = GoodBatch();
  b.mutable_results(1)->mutable_check()->set_domain("Site.go.ke");
  EXPECT_THAT(Error(b), StartsWith("results[1].check.domain: "));

  b = GoodBatch();
  b.mutable_results(0)->mutable_check()->mutable_web(1)->set_final_url(
      "https://x/" + std::string(1100, 'a'));
  EXPECT_EQ(Error(b),
            "results[0].check.web[1].final_url: longer than 1024 "
            "bytes");

  b = GoodBatch();
  b.mutable_results(0)->mutable_check()->mutable_web(0)->set_start_url(
      "ftp://site0.go.ke/");
  EXPECT_THAT(Error(b), StartsWith("results[0].check.web[0].start_url: "));

  b = GoodBatch();
  b.mutable_results(0)->mutable_check()->mutable_www()->add_aaaa("2001:db8::g");
  EXPECT_THAT(Error(b), StartsWith("results[0].check.www.aaaa[1]: not an IP"));

  b = GoodBatch();
  b.mutable_results(0)
      ->mutable_check()
      ->mutable_name_servers(0)
      ->mutable_soa(0)
      ->set_detail("bad\nline");
  EXPECT_THAT(Error(b),
              StartsWith("results[0].check.name_servers[0].soa[0].detail: "));

  b = GoodBatch();
  for (int i = 0; i < 17; ++i) {
    b.mutable_results(0)->mutable_check()->mutable_apex()->add_a("192.0.2.1");
  }
  EXPECT_THAT(Error(b), StartsWith("results[0].check.apex.a: more than 16"));

  b = GoodBatch();
  b.mutable_results(0)->mutable_check()->mutable_web(0)->set_title(
      std::string(201, 'x'));
  EXPECT_THAT(Error(b), StartsWith("results[0].check.web[0].title: "));

  b = GoodBatch();
  b.mutable_results(0)->mutable_check()->set_nat64_prefix("64:ff9b::/97");
  EXPECT_THAT(Error(b), StartsWith("results[0].check.nat64_prefix: "));

  b = GoodBatch();
  b.mutable_results(0)->clear_check();
  EXPECT_EQ(Error(b), "results[0].check: must be set");
}

// The printable-ASCII fast path of the text checks decides per 8 bytes:
// a bad byte is caught at every position, and what is not plain ASCII
// still gets the exact rule (valid UTF-8 passes a UTF-8 line).
TEST(ValidateDomainBatchTest, TextRulesHoldAtEveryByte) {
  const auto with_detail = [](const std::string& detail) {
    v6scope::v1::DomainBatch b = GoodBatch(1);
    b.mutable_results(0)
        ->mutable_check()
        ->mutable_name_servers(0)
        ->mutable_soa(0)
        ->set_detail(detail);
    return ValidateDomainBatch(b);
  };
  for (const char bad : {'\n', '\x1f', '\x7f', '\x80', '\xff', '\0'}) {
    for (size_t len = 1; len <= 20; ++len) {
      for (size_t at = 0; at < len; ++at) {
        std::string detail(len, 'a');
        detail[at] = bad;
        EXPECT_FALSE(with_detail(detail).ok())
            << "byte " << int(bad) << " at " << at << " of " << len;
      }
    }
  }
  EXPECT_TRUE(with_detail("timed out after 5 s ~ {retry}").ok());
  EXPECT_TRUE(with_detail("r\xc3\xa9"
                          "ponse \xc3\xa9"
                          "chou\xc3\xa9"
                          "e\t(SERVFAIL)")
                  .ok());

  v6scope::v1::DomainBatch b = GoodBatch(1);
  b.mutable_results(0)->mutable_check()->mutable_www()->add_aaaa(
      std::string("2001:db8::1\0", 12));
  EXPECT_THAT(Error(b), StartsWith("results[0].check.www.aaaa[1]: not an IP"));
  b = GoodBatch(1);
  b.mutable_results(0)->mutable_check()->mutable_apex()->add_a("192.0.2.300");
  EXPECT_THAT(Error(b), StartsWith("results[0].check.apex.a["));
}

TEST(ValidateDomainBatchTest, CollectorFieldsAreNotChecked) {
  v6scope::v1::DomainBatch b = GoodBatch();
  b.mutable_results(0)->mutable_check()->set_web_v4_asn(12345);
  b.mutable_results(0)->mutable_check()->mutable_verdict()->set_web(
      static_cast<v6scope::v1::ServiceState>(99));
  EXPECT_TRUE(ValidateDomainBatch(b).ok());
}

TEST(IsHostNameTest, Rules) {
  EXPECT_TRUE(IsHostName("ict.go.ke", true));
  EXPECT_TRUE(IsHostName("_dmarc.x-y.org", true));
  EXPECT_FALSE(IsHostName("ICT.go.ke", true));
  EXPECT_TRUE(IsHostName("ICT.go.ke", false));
  EXPECT_FALSE(IsHostName("a..b", true));
  EXPECT_FALSE(IsHostName("a.b.", true));
  EXPECT_FALSE(IsHostName("", true));
  EXPECT_FALSE(IsHostName(std::string(64, 'a') + ".org", true));
  EXPECT_TRUE(IsHostName(std::string(63, 'a') + ".org", true));
  EXPECT_FALSE(IsHostName(".ke", true));
  EXPECT_FALSE(IsHostName(".", true));
  EXPECT_TRUE(IsHostName("localhost", true));
  EXPECT_FALSE(IsHostName("a b.org", false));
}

// The label rules as first written (split at dots, then each label), the
// reference for the one-pass version.
bool SplitHostName(absl::string_view name, bool lower_only) {
  if (name.empty() || name.size() > 253) return false;
  for (absl::string_view label : absl::StrSplit(name, '.')) {
    if (label.empty() || label.size() > 63) return false;
    for (char ch : label) {
      const bool ok = (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
                      ch == '-' || ch == '_' ||
                      (!lower_only && ch >= 'A' && ch <= 'Z');
      if (!ok) return false;
    }
  }
  return true;
}

TEST(IsHostNameTest, AgreesWithSplittingAtDots) {
  // Strings over a small alphabet with dots, so that empty, long and bad
  // labels all occur; lengths around the 63-byte label and 253-byte name
  // limits.
  const std::string alphabet = "a.Z-9_.x ";
  std::mt19937 rng(20261208);
  int accepted = 0;
  for (int i = 0; i < 200000; ++i) {
    const size_t length = rng() % 3 == 0 ? 250 + rng() % 8 : rng() % 80;
    std::string name;
    for (size_t k = 0; k < length; ++k) {
      // Mostly letters: long labels must happen too.
      name.push_back(rng() % 8 == 0 ? alphabet[rng() % alphabet.size()] : 'a');
    }
    for (bool lower : {true, false}) {
      ASSERT_EQ(IsHostName(name, lower), SplitHostName(name, lower))
          << "\"" << name << "\" lower_only=" << lower;
      accepted += IsHostName(name, lower) ? 1 : 0;
    }
  }
  EXPECT_GT(accepted, 1000);  // Both answers occur.
}

}  // namespace
}  // namespace v6scope::collector::ingest
