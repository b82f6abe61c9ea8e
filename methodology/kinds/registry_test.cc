// Walks the registry and checks, for every kind, what adding one must not
// forget: a registered spec for every TestKind value, a stable name that
// round-trips through the proto names used in JSON and CSV, a consistent
// runner and target, a verdict role (or an explicit "informational"), and
// a row in docs/methodology.md "Measurement kinds". That every Runner has
// a probe runner is checked on the probe side
// (probe/suite/test_plan_test.cc).
#include "methodology/kinds/registry.h"

#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "proto/results.pb.h"

namespace v6scope::methodology::kinds {
namespace {

using v6scope::v1::TestKind;

TEST(RegistryTest, EveryTestKindButUnspecifiedIsRegistered) {
  const auto* e = v6scope::v1::TestKind_descriptor();
  for (int i = 0; i < e->value_count(); ++i) {
    const auto kind = static_cast<TestKind>(e->value(i)->number());
    if (kind == v6scope::v1::TEST_KIND_UNSPECIFIED) {
      EXPECT_EQ(FindKind(kind), nullptr);
      continue;
    }
    EXPECT_NE(FindKind(kind), nullptr) << e->value(i)->name();
  }
  EXPECT_EQ(AllKinds().size(), static_cast<size_t>(e->value_count() - 1));
}

TEST(RegistryTest, KindsAreInTestKindOrderAndUnique) {
  int previous = 0;
  for (const KindSpec* spec : AllKinds()) {
    EXPECT_GT(spec->kind, previous) << spec->name;
    previous = spec->kind;
    EXPECT_EQ(FindKind(spec->kind), spec) << spec->name;
  }
}

TEST(RegistryTest, NameIsTheProtoEnumNameAndRoundTrips) {
  std::set<absl::string_view> names;
  for (const KindSpec* spec : AllKinds()) {
    EXPECT_TRUE(names.insert(spec->name).second) << spec->name;
    // CSV, logs, metrics and opt_out spell a kind by its enum name.
    EXPECT_EQ(v6scope::v1::TestKind_Name(spec->kind), spec->name);
    EXPECT_EQ(KindName(spec->kind), spec->name);
    TestKind parsed;
    ASSERT_TRUE(v6scope::v1::TestKind_Parse(std::string(spec->name), &parsed))
        << spec->name;
    EXPECT_EQ(parsed, spec->kind);
    EXPECT_EQ(FindKindByName(spec->name), spec);
  }
  EXPECT_EQ(FindKindByName("NOT_A_TEST"), nullptr);
  EXPECT_EQ(FindKindByName("TEST_KIND_UNSPECIFIED"), nullptr);
  EXPECT_EQ(KindName(0), "TEST_KIND_UNSPECIFIED");
  EXPECT_EQ(KindName(999), "");
}

// JSON exports and the HTTP API use the protobuf JSON mapping.
TEST(RegistryTest, NameRoundTripsThroughJson) {
  for (const KindSpec* spec : AllKinds()) {
    v6scope::v1::TestResult test;
    test.set_kind(spec->kind);
    std::string json;
    ASSERT_TRUE(google::protobuf::util::MessageToJsonString(test, &json).ok());
    EXPECT_TRUE(absl::StrContains(json, absl::StrCat("\"", spec->name, "\"")))
        << json;
    v6scope::v1::TestResult back;
    ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(json, &back).ok());
    EXPECT_EQ(back.kind(), spec->kind) << spec->name;
  }
}

TEST(RegistryTest, RunnerTargetAndTimeoutAgree) {
  for (const KindSpec* spec : AllKinds()) {
    SCOPED_TRACE(spec->name);
    EXPECT_GE(spec->timeout_factor, 1);
    EXPECT_FALSE(spec->summary.empty());
    if (spec->runner == Runner::kHttpFetch) {
      EXPECT_NE(spec->object, Object::kNone);
      EXPECT_EQ(spec->timeout_base, TimeoutBase::kHttp);
      EXPECT_TRUE(absl::StartsWith(spec->name, "HTTP_"));
    } else {
      // DNS runners ask one record type: A (IPV4) or AAAA (IPV6).
      EXPECT_EQ(spec->object, Object::kNone);
      EXPECT_EQ(spec->timeout_base, TimeoutBase::kDns);
      EXPECT_NE(spec->family, v6scope::v1::ADDRESS_FAMILY_UNSPECIFIED);
      EXPECT_EQ(spec->keep_body_bytes, 0u);
      EXPECT_TRUE(absl::StartsWith(spec->name, "DNS_"));
    }
    if (spec->runner == Runner::kNat64Discovery) {
      EXPECT_EQ(spec->family, v6scope::v1::IPV6);
    }
    if (spec->target == Target::kV6Literal) {
      EXPECT_EQ(spec->family, v6scope::v1::IPV6);
      EXPECT_FALSE(NeedsResolver(*spec));
      EXPECT_EQ(spec->runner, Runner::kHttpFetch);  // A literal has no DNS.
    }
  }
}

TEST(RegistryTest, EveryKindHasAVerdictRoleOrIsInformational) {
  for (const KindSpec* spec : AllKinds()) {
    EXPECT_EQ(spec->roles.empty(), spec->informational)
        << spec->name << ": give it a verdict role, or declare it "
        << "informational (and then no role)";
  }
}

TEST(RegistryTest, EveryRoleIsProvidedSingularOnesByExactlyOneKind) {
  for (Role role : AllRoles()) {
    SCOPED_TRACE(RoleName(role));
    EXPECT_FALSE(RoleName(role).empty());
    const size_t n = KindsWith(role).size();
    if (IsSingular(role)) {
      EXPECT_EQ(n, 1u);
      EXPECT_NE(SoleKindWith(role), v6scope::v1::TEST_KIND_UNSPECIFIED);
    } else {
      EXPECT_GE(n, 1u);
    }
  }
  // The roles the verdict reads over several kinds are all HTTP fetches.
  for (TestKind kind : KindsWith(Role::kReachability)) {
    EXPECT_EQ(FindKind(kind)->runner, Runner::kHttpFetch);
  }
  for (TestKind kind : KindsWith(Role::kV6Pinned)) {
    EXPECT_EQ(FindKind(kind)->family, v6scope::v1::IPV6);
  }
}

std::string ReadDoc(const std::string& relative) {
  const char* srcdir = std::getenv("TEST_SRCDIR");
  const char* workspace = std::getenv("TEST_WORKSPACE");
  if (srcdir == nullptr || workspace == nullptr) return "";
  std::ifstream in(absl::StrCat(srcdir, "/", workspace, "/", relative));
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// The lines of the "Measurement kinds" section (up to the next "## ").
std::vector<std::string> KindsSection(const std::string& doc) {
  std::vector<std::string> section;
  bool in = false;
  for (absl::string_view line : absl::StrSplit(doc, '\n')) {
    if (absl::StartsWith(line, "## ")) {
      in = absl::StrContains(line, "Measurement kinds");
      continue;
    }
    if (in) section.emplace_back(line);
  }
  return section;
}

TEST(RegistryTest, DocsHaveARowForEveryKind) {
  const std::string doc = ReadDoc("docs/methodology.md");
  ASSERT_FALSE(doc.empty()) << "docs/methodology.md not in the runfiles";
  const std::vector<std::string> section = KindsSection(doc);
  ASSERT_FALSE(section.empty())
      << "docs/methodology.md has no \"## ... Measurement kinds\" section";
  for (const KindSpec* spec : AllKinds()) {
    const std::string row = absl::StrCat("| `", spec->name, "` |");
    bool found = false;
    for (const std::string& line : section) {
      found = found || absl::StartsWith(line, row);
    }
    EXPECT_TRUE(found) << "docs/methodology.md \"Measurement kinds\" has no "
                       << "row starting " << row;
  }
}

}  // namespace
}  // namespace v6scope::methodology::kinds
