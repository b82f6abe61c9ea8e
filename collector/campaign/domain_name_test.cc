#include "collector/campaign/domain_name.h"

#include <string>

#include "gtest/gtest.h"

namespace v6scope::collector::campaign {
namespace {

std::string Error(const std::string& raw) {
  absl::StatusOr<std::string> name = NormalizeDomainName(raw);
  EXPECT_FALSE(name.ok()) << raw << " -> " << *name;
  return name.ok() ? "" : std::string(name.status().message());
}

TEST(DomainNameTest, NormalisesCaseFinalDotAndWww) {
  EXPECT_EQ(*NormalizeDomainName("Example.ORG."), "example.org");
  EXPECT_EQ(*NormalizeDomainName("  www.gov.uk\t"), "gov.uk");
  EXPECT_EQ(*NormalizeDomainName("www.example"), "www.example");
  // Idempotent: each leading "www" goes, so normalising twice changes
  // nothing (found by domain_list_fuzz: "www.www.uk.uk").
  EXPECT_EQ(*NormalizeDomainName("www.www.uk.uk"), "uk.uk");
  EXPECT_EQ(*NormalizeDomainName("www.www.example"), "www.example");
  for (absl::string_view raw :
       {"www.www.uk.uk", "WWW.www.Www.gov.uk.", "www.www.example", "www.www"}) {
    absl::StatusOr<std::string> once = NormalizeDomainName(raw);
    ASSERT_TRUE(once.ok()) << raw;
    EXPECT_EQ(*NormalizeDomainName(*once), *once) << raw;
  }
  EXPECT_EQ(*NormalizeDomainName("xn--bcher-kva.example"),
            "xn--bcher-kva.example");
  EXPECT_EQ(*NormalizeDomainName("3com.com"), "3com.com");
}

TEST(DomainNameTest, UrlIsRefusedWithTheHostSuggested) {
  EXPECT_EQ(Error("https://www.example.org/"),
            "\"https://www.example.org/\" is a URL, not a domain name: write "
            "\"example.org\"");
  EXPECT_NE(Error("http://user@Example.com:8080/x?y").find("\"example.com\""),
            std::string::npos);
}

TEST(DomainNameTest, RefusesWhatIsNotAHostName) {
  EXPECT_NE(Error("192.0.2.1").find("IP address"), std::string::npos);
  EXPECT_NE(Error("2001:db8::1").find("IP address"), std::string::npos);
  EXPECT_NE(Error("[2001:db8::1]").find("IP address"), std::string::npos);
  EXPECT_NE(Error("1.2.3.4.5").find("all-digit"), std::string::npos);
  EXPECT_NE(Error("*.example.org").find("wildcard"), std::string::npos);
  EXPECT_NE(Error("_wildcard_.ph").find("'_'"), std::string::npos);
  EXPECT_NE(Error("org").find("one label"), std::string::npos);
  EXPECT_NE(Error("a..b").find("empty label"), std::string::npos);
  EXPECT_NE(Error(".example.org").find("empty label"), std::string::npos);
  EXPECT_NE(Error("-a.example").find("'-'"), std::string::npos);
  EXPECT_NE(Error("a-.example").find("'-'"), std::string::npos);
  EXPECT_NE(Error("ex ample.org").find("not a domain name"), std::string::npos);
  EXPECT_NE(Error("example.org/path").find("not a domain name"),
            std::string::npos);
  EXPECT_NE(Error("ex!ample.org").find("'!'"), std::string::npos);
  EXPECT_NE(Error("").find("empty"), std::string::npos);
}

TEST(DomainNameTest, NonAsciiAsksForTheALabel) {
  EXPECT_NE(Error("bücher.example").find("A-label"), std::string::npos);
}

TEST(DomainNameTest, LengthLimits) {
  const std::string label63(63, 'a');
  EXPECT_TRUE(NormalizeDomainName(label63 + ".example").ok());
  EXPECT_NE(Error(label63 + "a.example").find("64 bytes"), std::string::npos);
  std::string name;
  while (name.size() < 250) name += "abcdefghi.";
  name += "org";  // 253 bytes.
  ASSERT_EQ(name.size(), 253u);
  EXPECT_TRUE(NormalizeDomainName(name).ok());
  EXPECT_TRUE(NormalizeDomainName(name + ".").ok());
  EXPECT_NE(Error("a" + name).find("254 bytes"), std::string::npos);
}

TEST(DomainNameTest, ErrorQuotesLongJunkShortly) {
  const std::string junk(5000, '!');
  EXPECT_LT(Error(junk).size(), 200u);
}

}  // namespace
}  // namespace v6scope::collector::campaign
