#include "common/geo/countries.h"

#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "gtest/gtest.h"

namespace v6scope::geo {
namespace {

const CountryInfo& Get(const char* code) {
  const CountryInfo* info = FindCountry(code);
  EXPECT_NE(info, nullptr) << code;
  static const CountryInfo kMissing{};
  return info == nullptr ? kMissing : *info;
}

size_t CountIf(bool (*pred)(const CountryInfo&)) {
  size_t n = 0;
  for (const CountryInfo& c : AllCountries()) n += pred(c) ? 1 : 0;
  return n;
}

size_t CountInGroup(absl::string_view slug) {
  size_t n = 0;
  for (const CountryInfo& c : AllCountries()) {
    n += CountryInGroup(c, slug) ? 1 : 0;
  }
  return n;
}

TEST(CountriesTest, TableSortedUniqueAndWellFormed) {
  const absl::Span<const CountryInfo> all = AllCountries();
  ASSERT_FALSE(all.empty());
  for (size_t i = 0; i < all.size(); ++i) {
    const absl::string_view code = all[i].code;
    ASSERT_EQ(code.size(), 2u) << code;
    EXPECT_TRUE(absl::ascii_isupper(code[0]) && absl::ascii_isupper(code[1]))
        << code;
    EXPECT_FALSE(all[i].name.empty()) << code;
    if (i > 0) {
      EXPECT_LT(all[i - 1].code, code);
    }
  }
}

TEST(CountriesTest, Counts) {
  // All officially assigned ISO 3166-1 alpha-2 codes.
  EXPECT_EQ(AllCountries().size(), 249u);
  EXPECT_EQ(CountIf([](const CountryInfo& c) { return c.ldc; }), 44u);
  EXPECT_EQ(CountIf([](const CountryInfo& c) { return c.lldc; }), 32u);
  // 38 UN members + 20 non-UN members / associate members.
  EXPECT_EQ(CountIf([](const CountryInfo& c) { return c.sids; }), 58u);

  // RIR service regions.
  EXPECT_EQ(CountInGroup("afrinic"), 57u);
  EXPECT_EQ(CountInGroup("apnic"), 56u);
  EXPECT_EQ(CountInGroup("arin"), 29u);
  EXPECT_EQ(CountInGroup("lacnic"), 31u);
  EXPECT_EQ(CountInGroup("ripencc"), 76u);

  // The two ITU regions without territories.
  EXPECT_EQ(CountInGroup("arab-states"), 22u);
  EXPECT_EQ(CountInGroup("cis"), 10u);
}

TEST(CountriesTest, SpotChecks) {
  const CountryInfo& ke = Get("KE");
  EXPECT_EQ(ke.name, "Kenya");
  EXPECT_EQ(ke.rir, Rir::kAfrinic);
  EXPECT_EQ(ke.itu, ItuRegion::kAfrica);
  EXPECT_FALSE(ke.ldc);
  EXPECT_FALSE(ke.lldc);
  EXPECT_FALSE(ke.sids);

  const CountryInfo& et = Get("ET");
  EXPECT_EQ(et.rir, Rir::kAfrinic);
  EXPECT_EQ(et.itu, ItuRegion::kAfrica);
  EXPECT_TRUE(et.ldc);
  EXPECT_TRUE(et.lldc);
  EXPECT_FALSE(et.sids);

  const CountryInfo& fj = Get("FJ");
  EXPECT_EQ(fj.rir, Rir::kApnic);
  EXPECT_EQ(fj.itu, ItuRegion::kAsiaPacific);
  EXPECT_TRUE(fj.sids);
  EXPECT_FALSE(fj.ldc);

  const CountryInfo& bo = Get("BO");
  EXPECT_EQ(bo.rir, Rir::kLacnic);
  EXPECT_EQ(bo.itu, ItuRegion::kAmericas);
  EXPECT_TRUE(bo.lldc);
  EXPECT_FALSE(bo.ldc);

  const CountryInfo& eg = Get("EG");
  EXPECT_EQ(eg.rir, Rir::kAfrinic);
  EXPECT_EQ(eg.itu, ItuRegion::kArabStates);

  const CountryInfo& ru = Get("RU");
  EXPECT_EQ(ru.rir, Rir::kRipeNcc);
  EXPECT_EQ(ru.itu, ItuRegion::kCis);

  const CountryInfo& de = Get("DE");
  EXPECT_EQ(de.rir, Rir::kRipeNcc);
  EXPECT_EQ(de.itu, ItuRegion::kEurope);

  const CountryInfo& us = Get("US");
  EXPECT_EQ(us.rir, Rir::kArin);
  EXPECT_EQ(us.itu, ItuRegion::kAmericas);

  const CountryInfo& mv = Get("MV");
  EXPECT_EQ(mv.rir, Rir::kApnic);
  EXPECT_TRUE(mv.sids);
  EXPECT_FALSE(mv.ldc);  // graduated 2011

  const CountryInfo& np = Get("NP");
  EXPECT_TRUE(np.ldc);
  EXPECT_TRUE(np.lldc);
  EXPECT_EQ(np.itu, ItuRegion::kAsiaPacific);
}

TEST(CountriesTest, MoreSpotChecks) {
  // RIRs named in the brief.
  EXPECT_EQ(Get("ZA").rir, Rir::kAfrinic);
  EXPECT_EQ(Get("JP").rir, Rir::kApnic);
  EXPECT_EQ(Get("BR").rir, Rir::kLacnic);
  // The Middle East and Central Asia are RIPE NCC.
  for (const char* code : {"IR", "SA", "AE", "IL", "KZ", "UZ", "TJ"}) {
    EXPECT_EQ(Get(code).rir, Rir::kRipeNcc) << code;
  }
  // Caribbean: split between ARIN and LACNIC.
  for (const char* code : {"JM", "BB", "BS", "PR", "KN", "VI"}) {
    EXPECT_EQ(Get(code).rir, Rir::kArin) << code;
  }
  for (const char* code : {"CU", "DO", "HT", "TT", "AW", "CW", "SX"}) {
    EXPECT_EQ(Get(code).rir, Rir::kLacnic) << code;
  }
  // Arab States: the Arab League, North Africa included.
  for (const char* code : {"MA", "DZ", "TN", "LY", "SD", "MR", "SO", "DJ", "KM",
                           "SA", "PS", "YE"}) {
    EXPECT_EQ(Get(code).itu, ItuRegion::kArabStates) << code;
  }
  EXPECT_EQ(Get("IR").itu, ItuRegion::kAsiaPacific);
  EXPECT_EQ(Get("IL").itu, ItuRegion::kEurope);
  EXPECT_EQ(Get("TR").itu, ItuRegion::kEurope);
  EXPECT_EQ(Get("GE").itu, ItuRegion::kEurope);
  EXPECT_EQ(Get("UA").itu, ItuRegion::kEurope);
  EXPECT_EQ(Get("KZ").itu, ItuRegion::kCis);
  // Recent LDC graduates.
  EXPECT_FALSE(Get("BT").ldc);
  EXPECT_TRUE(Get("BT").lldc);
  EXPECT_FALSE(Get("ST").ldc);
  EXPECT_TRUE(Get("ST").sids);
  EXPECT_FALSE(Get("VU").ldc);
  EXPECT_TRUE(Get("VU").sids);
  // Territories: geographic region, own RIR.
  EXPECT_EQ(Get("RE").itu, ItuRegion::kAfrica);
  EXPECT_EQ(Get("RE").rir, Rir::kAfrinic);
  EXPECT_EQ(Get("GL").rir, Rir::kRipeNcc);
  EXPECT_EQ(Get("HK").itu, ItuRegion::kAsiaPacific);
  EXPECT_TRUE(Get("PR").sids);
  EXPECT_EQ(Get("AQ").itu, ItuRegion::kUnknown);
  EXPECT_EQ(Get("AQ").rir, Rir::kArin);
}

TEST(CountriesTest, DevelopmentGroupsAreConsistent) {
  for (const CountryInfo& c : AllCountries()) {
    // Landlocked and island states are disjoint.
    EXPECT_FALSE(c.lldc && c.sids) << c.code;
    if (c.ldc || c.lldc || c.sids) {
      EXPECT_NE(c.itu, ItuRegion::kUnknown) << c.code;
    }
  }
}

TEST(CountriesTest, EveryCountryWithAnItuRegionHasARir) {
  for (const CountryInfo& c : AllCountries()) {
    if (c.itu != ItuRegion::kUnknown) {
      EXPECT_NE(c.rir, Rir::kUnknown) << c.code;
    }
  }
}

TEST(CountriesTest, FindCountry) {
  const CountryInfo* ke = FindCountry("ke");
  ASSERT_NE(ke, nullptr);
  EXPECT_EQ(ke->code, "KE");
  EXPECT_EQ(FindCountry("Ke"), ke);
  EXPECT_EQ(FindCountry("KE"), ke);
  EXPECT_EQ(FindCountry("AD"), &AllCountries().front());
  EXPECT_EQ(FindCountry("ZW"), &AllCountries().back());
  // The RIR files' non-country codes.
  EXPECT_EQ(FindCountry("EU"), nullptr);
  EXPECT_EQ(FindCountry("eu"), nullptr);
  EXPECT_EQ(FindCountry("AP"), nullptr);
  EXPECT_EQ(FindCountry("ZZ"), nullptr);
  // Not ISO 3166-1 codes, or malformed.
  for (const char* bad :
       {"", "K", "KEN", "XK", "UK", "AA", "k1", "1K", "@@", "  ", "K "}) {
    EXPECT_EQ(FindCountry(bad), nullptr) << '"' << bad << '"';
  }
  // Every entry is found by its own code, in either case.
  for (const CountryInfo& c : AllCountries()) {
    EXPECT_EQ(FindCountry(c.code), &c);
    EXPECT_EQ(FindCountry(absl::AsciiStrToLower(c.code)), &c);
  }
}

TEST(CountriesTest, RirNames) {
  const std::map<Rir, std::string> expected = {
      {Rir::kAfrinic, "afrinic"}, {Rir::kApnic, "apnic"},
      {Rir::kArin, "arin"},       {Rir::kLacnic, "lacnic"},
      {Rir::kRipeNcc, "ripencc"},
  };
  for (const auto& [rir, name] : expected) {
    EXPECT_EQ(RirName(rir), name);
    EXPECT_EQ(ParseRir(name), rir);
    EXPECT_EQ(ParseRir(absl::AsciiStrToUpper(name)), rir);
  }
  EXPECT_EQ(RirName(Rir::kUnknown), "unknown");
  EXPECT_EQ(ParseRir("unknown"), std::nullopt);
  EXPECT_EQ(ParseRir(""), std::nullopt);
  EXPECT_EQ(ParseRir("ripe"), std::nullopt);
  EXPECT_EQ(ParseRir("ripencc "), std::nullopt);
}

TEST(CountriesTest, ItuRegionNamesRoundTrip) {
  const std::map<ItuRegion, std::string> expected = {
      {ItuRegion::kAfrica, "africa"},
      {ItuRegion::kAmericas, "americas"},
      {ItuRegion::kArabStates, "arab-states"},
      {ItuRegion::kAsiaPacific, "asia-pacific"},
      {ItuRegion::kCis, "cis"},
      {ItuRegion::kEurope, "europe"},
  };
  for (const auto& [region, name] : expected) {
    EXPECT_EQ(ItuRegionName(region), name);
    EXPECT_EQ(ParseItuRegion(name), region);
    EXPECT_EQ(ParseItuRegion(ItuRegionName(region)), region);
    EXPECT_EQ(ParseItuRegion(absl::AsciiStrToUpper(name)), region);
  }
  EXPECT_EQ(ParseItuRegion("Arab-States"), ItuRegion::kArabStates);
  EXPECT_EQ(ItuRegionName(ItuRegion::kUnknown), "unknown");
  EXPECT_EQ(ParseItuRegion("unknown"), std::nullopt);
  EXPECT_EQ(ParseItuRegion(""), std::nullopt);
  EXPECT_EQ(ParseItuRegion("arab states"), std::nullopt);
  EXPECT_EQ(ParseItuRegion("asia"), std::nullopt);
}

TEST(CountriesTest, Groups) {
  const std::vector<std::string> slugs = AllGroupSlugs();
  const std::vector<std::string> expected = {
      "global",   "ldc",         "lldc",         "sids",   "africa",
      "americas", "arab-states", "asia-pacific", "cis",    "europe",
      "afrinic",  "apnic",       "arin",         "lacnic", "ripencc"};
  EXPECT_EQ(slugs, expected);
  EXPECT_EQ(std::set<std::string>(slugs.begin(), slugs.end()).size(),
            slugs.size());
  for (const std::string& slug : slugs) {
    EXPECT_GT(CountInGroup(slug), 0u) << slug;
  }
  EXPECT_EQ(CountInGroup("global"), AllCountries().size());
  EXPECT_EQ(CountInGroup("ldc"), 44u);
  EXPECT_EQ(CountInGroup("lldc"), 32u);
  EXPECT_EQ(CountInGroup("sids"), 58u);

  // Each country is in exactly one RIR group, and in exactly one ITU group
  // unless it has no region.
  for (const CountryInfo& c : AllCountries()) {
    int rirs = 0;
    int regions = 0;
    for (const std::string& slug : slugs) {
      if (!CountryInGroup(c, slug)) continue;
      rirs += ParseRir(slug).has_value() ? 1 : 0;
      regions += ParseItuRegion(slug).has_value() ? 1 : 0;
    }
    EXPECT_EQ(rirs, 1) << c.code;
    EXPECT_EQ(regions, c.itu == ItuRegion::kUnknown ? 0 : 1) << c.code;
  }

  const CountryInfo& np = Get("NP");
  EXPECT_TRUE(CountryInGroup(np, "ldc"));
  EXPECT_TRUE(CountryInGroup(np, "LLDC"));
  EXPECT_FALSE(CountryInGroup(np, "sids"));
  EXPECT_TRUE(CountryInGroup(np, "Asia-Pacific"));
  EXPECT_TRUE(CountryInGroup(np, "APNIC"));
  EXPECT_FALSE(CountryInGroup(np, "ripencc"));
  EXPECT_TRUE(CountryInGroup(np, "GLOBAL"));
  for (const char* bad : {"", "unknown", "world", "asia", "ripe"}) {
    EXPECT_FALSE(CountryInGroup(np, bad)) << bad;
  }
  EXPECT_FALSE(CountryInGroup(Get("AQ"), "unknown"));
}

}  // namespace
}  // namespace v6scope::geo
