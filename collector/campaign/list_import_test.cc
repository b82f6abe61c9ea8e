// Every importer on the small fixtures in tests/data/campaign, and the
// bad inputs of issue 16: errors name the line (and CSV column), and
// nothing but the error comes back.
#include "collector/campaign/list_import.h"

#include <cstdlib>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"

namespace v6scope::collector::campaign {
namespace {

std::string Fixture(const std::string& name) {
  const char* root = std::getenv("TEST_SRCDIR");
  return absl::StrCat(root == nullptr ? "." : root,
                      "/v6scope/tests/data/campaign/", name);
}

ImportResult ImportFixture(const std::string& name,
                           ImportOptions options = {}) {
  absl::StatusOr<ImportResult> r = ImportDomainListFile(Fixture(name), options);
  EXPECT_TRUE(r.ok()) << r.status();
  return r.ok() ? *std::move(r) : ImportResult{};
}

absl::StatusOr<ImportResult> ImportText(const std::string& text,
                                        ImportOptions options = {}) {
  std::istringstream in(text);
  return ImportDomainList(in, options);
}

std::string ErrorOf(const std::string& text, ImportOptions options = {}) {
  absl::StatusOr<ImportResult> r = ImportText(text, options);
  EXPECT_FALSE(r.ok());
  return r.ok() ? "" : std::string(r.status().message());
}

std::vector<std::string> Names(const ImportResult& r) {
  std::vector<std::string> names;
  for (const DomainEntry& e : r.list.entries()) names.push_back(e.name);
  return names;
}

using Strings = std::vector<std::string>;

TEST(ListImportTest, PlainText) {
  ImportResult r = ImportFixture("names.txt");
  EXPECT_EQ(Names(r),
            (Strings{"gov.example", "health.gov.example",
                     "education.gov.example", "xn--bcher-kva.example"}));
  EXPECT_EQ(r.list.entries()[1].line, 3);
  EXPECT_EQ(r.list.entries()[0].sector, Sector::kOther);
  EXPECT_EQ(r.warnings,
            Strings{"line 6: health.gov.example repeats line 3 (line 3 kept)"});
}

TEST(ListImportTest, PlainTextDefaultSectorAndCrlf) {
  ImportOptions options;
  options.default_sector = Sector::kGovernment;
  absl::StatusOr<ImportResult> r =
      ImportText("a.example\r\nb.example\r\n", options);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(Names(*r), (Strings{"a.example", "b.example"}));
  EXPECT_EQ(r->list.entries()[1].sector, Sector::kGovernment);
}

TEST(ListImportTest, UmbrellaTextFoldsWww) {
  ImportResult r = ImportFixture("umbrella.txt");
  EXPECT_EQ(r.list.size(), 10u);  // www.google.com, www.gstatic.com folded.
  EXPECT_EQ(r.warnings.size(), 2u);
}

TEST(ListImportTest, CsvWithSectorColumn) {
  ImportResult r = ImportFixture("sectors.csv");
  ASSERT_EQ(r.list.size(), 5u);
  EXPECT_EQ(r.list.entries()[1].sector, Sector::kHealth);
  EXPECT_EQ(r.list.entries()[2].sector, Sector::kBanking);
  EXPECT_EQ(r.list.entries()[3].sector, Sector::kOther);  // Empty cell.
  EXPECT_EQ(r.list.entries()[4].line, 6);
}

TEST(ListImportTest, CsvColumnsChosenByName) {
  ImportOptions options;
  options.name_column = "site";
  options.sector_column = "kind";
  absl::StatusOr<ImportResult> r =
      ImportText("kind,site\nbank,a.example\n", options);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->list.entries()[0].sector, Sector::kBanking);
  EXPECT_EQ(ErrorOf("Domain,Sector\na.example,casino\n"),
            "line 2, column 2 (Sector): unknown sector \"casino\" (one of: "
            "government, education, health, banking, telecom, transport, "
            "top-sites, other)");
  EXPECT_EQ(ErrorOf("x,y\na,b\n"),
            "line 1: no domain column in the header (columns: x, y); name "
            "one (e.g. \"domain\")");
  EXPECT_EQ(ErrorOf("domain,kind\na.example,bank\n", options),
            "line 1: no column \"site\" in the header (columns: domain, kind)");
}

TEST(ListImportTest, CsvErrorsNameLineAndColumn) {
  EXPECT_EQ(ErrorOf("domain,sector\nok.example,gov\nbad..example,gov\n")
                .substr(0, 36),
            "line 3, column 1 (domain): \"bad..exa");
  EXPECT_EQ(ErrorOf("sector,domain\ngov\n"),
            "line 2: 1 fields, but the name or sector is in column 2 "
            "(domain)");
  EXPECT_EQ(ErrorOf("domain,note\na.example,\"open\n").substr(0, 18),
            "line 2, column 2: ");
  ImportResult warned = *ImportText("domain\na.example\n");
  EXPECT_EQ(warned.warnings,
            Strings{"line 1: no sector column: every name is tagged other"});
}

TEST(ListImportTest, DotGov) {
  ImportResult r = ImportFixture("dotgov.csv");
  ASSERT_EQ(r.list.size(), 11u);
  EXPECT_EQ(r.list.entries()[0].name, "29palms.gov");
  EXPECT_EQ(r.list.entries()[0].sector, Sector::kGovernment);
  EXPECT_EQ(r.list.entries()[5].name, "alpineschoolsca.gov");
  EXPECT_EQ(r.list.entries()[5].sector, Sector::kEducation);
  EXPECT_EQ(r.list.entries()[10].name, "mprtx.gov");  // Non-ASCII row.
  EXPECT_TRUE(r.warnings.empty());
}

TEST(ListImportTest, Tranco) {
  ImportResult r = ImportFixture("tranco.csv");
  ASSERT_EQ(r.list.size(), 11u);
  EXPECT_EQ(r.list.entries()[10].name, "gov.uk");
  for (const DomainEntry& e : r.list.entries()) {
    EXPECT_EQ(e.sector, Sector::kTopSites);
  }
  ImportOptions tranco;
  tranco.format = ListFormat::kTranco;
  EXPECT_EQ(ErrorOf("1,a.example\nx,b.example\n", tranco),
            "line 2, column 1 (rank): rank \"x\" is not a positive integer");
}

TEST(ListImportTest, TrancoInvalidNameStrictAndSkipped) {
  absl::StatusOr<ImportResult> strict =
      ImportDomainListFile(Fixture("tranco_invalid.csv"), {});
  ASSERT_FALSE(strict.ok());
  EXPECT_NE(strict.status().message().find(
                "tranco_invalid.csv: line 3, column 2 (domain): "
                "\"_wildcard_.ph\" contains '_'"),
            std::string::npos)
      << strict.status();
  ImportOptions skip;
  skip.limits.skip_invalid_names = true;
  ImportResult r = ImportFixture("tranco_invalid.csv", skip);
  EXPECT_EQ(r.list.size(), 3u);
  EXPECT_EQ(r.names_skipped, 1);
}

TEST(ListImportTest, TomlSectorFromFileName) {
  ImportResult bank = ImportFixture("ipv6-in-real-life/us/bank.toml");
  EXPECT_EQ(bank.list.size(), 9u);
  EXPECT_EQ(bank.list.entries()[0].name, "wellsfargo.com");
  EXPECT_EQ(bank.list.entries()[0].line, 6);
  EXPECT_EQ(bank.list.entries()[0].sector, Sector::kBanking);
  ImportResult medical = ImportFixture("ipv6-in-real-life/ie/medical.toml");
  EXPECT_EQ(Names(medical), Strings{"hse.ie"});
  EXPECT_EQ(medical.list.entries()[0].sector, Sector::kHealth);
  ImportResult telco = ImportFixture("ipv6-in-real-life/gb/telco.toml");
  EXPECT_EQ(telco.list.size(), 37u);
  EXPECT_EQ(telco.list.entries()[0].sector, Sector::kTelecom);
  ASSERT_EQ(telco.warnings.size(), 1u);
  EXPECT_NE(telco.warnings[0].find("is cuckoo.co, which repeats"),
            std::string::npos);
}

TEST(ListImportTest, TomlSubsetAndErrors) {
  absl::StatusOr<ImportResult> r = ImportText(
      "[[telco]]\nmain_host = 'a.example' # c\nadditional_hosts = [\"x.a\", "
      "\"y.a\"]\n[[bank]]\nname = \"B\"\nmain_host = \"b.example\"\n");
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->list.entries()[0].sector, Sector::kTelecom);  // No file name.
  EXPECT_EQ(r->list.entries()[1].sector, Sector::kBanking);
  EXPECT_EQ(ErrorOf("[[bank]]\nname = \"x\"\n[[bank]]\nmain_host = "
                    "\"b.example\"\n"),
            "line 1: [[bank]] has no main_host");
  EXPECT_NE(ErrorOf("[bank]\nmain_host = \"a.example\"\n").find("line 1: "),
            std::string::npos);
  EXPECT_NE(ErrorOf("[[bank]]\nmain_host = 3\n").find("line 2: "),
            std::string::npos);
  EXPECT_NE(ErrorOf("[[bank]]\nx = { a = 1 }\n").find("not in the TOML subset"),
            std::string::npos);
  EXPECT_NE(ErrorOf("[[bank]]\nmain_host = \"\"\"a\"\"\"\n")
                .find("multi-line string"),
            std::string::npos);
  EXPECT_EQ(ErrorOf("[[bank]]\nmain_host = \"a.example\"\nadditional_hosts = "
                    "[\n  \"x\",\n"),
            "line 3: the array is not closed with ']'");
  EXPECT_EQ(ErrorOf("[[bank]]\nmain_host = \"https://a.example/\"\n"),
            "line 2: \"https://a.example/\" is a URL, not a domain name: "
            "write \"a.example\"");
  ImportOptions toml;
  toml.format = ListFormat::kToml;
  EXPECT_NE(ErrorOf("main_host = \"a.example\"\n", toml).find("before any"),
            std::string::npos);
}

TEST(ListImportTest, Detection) {
  EXPECT_EQ(DetectListFormat("x.toml", "a"), ListFormat::kToml);
  EXPECT_EQ(DetectListFormat("", "[[bank]]"), ListFormat::kToml);
  EXPECT_EQ(DetectListFormat("", "Domain name,Domain type,Organization name"),
            ListFormat::kDotGov);
  EXPECT_EQ(DetectListFormat("", "1,google.com"), ListFormat::kTranco);
  EXPECT_EQ(DetectListFormat("", "domain,sector"), ListFormat::kCsv);
  EXPECT_EQ(DetectListFormat("list.csv", "domain"), ListFormat::kCsv);
  EXPECT_EQ(DetectListFormat("", "Domain"), ListFormat::kCsv);
  EXPECT_EQ(DetectListFormat("", "example.org"), ListFormat::kText);
  EXPECT_EQ(ParseListFormat("DotGov"), ListFormat::kDotGov);
  EXPECT_EQ(ListFormatName(ListFormat::kTranco), "tranco");
}

TEST(ListImportTest, BadEncodingAndEmptyLists) {
  EXPECT_NE(ErrorOf(std::string("\xff\xfe"
                                "a\0\n\0",
                                6))
                .find("UTF-16"),
            std::string::npos);
  EXPECT_EQ(ErrorOf("a.example\nb.example\n\xc3\x28.example\n").substr(0, 8),
            "line 3: ");
  EXPECT_EQ(ErrorOf("# nothing\n\n"),
            "the list holds no domain names (2 lines read)");
  EXPECT_EQ(ErrorOf(""), "the list holds no domain names (0 lines read)");
  EXPECT_EQ(ErrorOf("a.example b.example\n").substr(0, 32),
            "line 1: more than one field; the");
  EXPECT_EQ(ErrorOf("Domain,Sector\n"),
            "the list holds no domain names (1 "
            "lines read)");
}

TEST(ListImportTest, MissingFile) {
  absl::StatusOr<ImportResult> r =
      ImportDomainListFile(Fixture("no-such-list.txt"), {});
  EXPECT_EQ(r.status().code(), absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace v6scope::collector::campaign
