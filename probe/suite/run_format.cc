#include "probe/suite/run_format.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "google/protobuf/util/json_util.h"
#include "google/protobuf/util/time_util.h"
#include "methodology/kinds/registry.h"

namespace v6scope::probe::suite {
namespace {

using google::protobuf::util::TimeUtil;

std::string YesNo(bool b) { return b ? "yes" : "no"; }

std::string OrDash(const std::string& s) { return s.empty() ? "-" : s; }

// An enum value's name, or its number when this binary does not know it.
std::string EnumName(const std::string& name, int value) {
  return name.empty() ? absl::StrCat("#", value) : name;
}

std::string FamilyName(int family) {
  return family == v6scope::v1::IPV4   ? "IPv4"
         : family == v6scope::v1::IPV6 ? "IPv6"
                                       : "-";
}

std::string Ms(uint32_t us) {
  return us == 0 ? "-" : absl::StrFormat("%.1fms", us / 1000.0);
}

// The verdict's labels, score and (methodology 2) one sentence per label,
// each under its label.
void AppendVerdict(const v6scope::v1::Verdict& v, std::string* out) {
  if (v.capability() == v6scope::v1::CAPABILITY_UNSPECIFIED) {
    absl::StrAppendFormat(out, "%-22s %s\n", "verdict", "none");
    return;
  }
  std::vector<std::string> causes;
  for (int c : v.root_causes()) {
    causes.push_back(EnumName(
        v6scope::v1::RootCause_Name(static_cast<v6scope::v1::RootCause>(c)),
        c));
  }
  absl::StrAppendFormat(
      out, "%-22s %s\n", "verdict",
      EnumName(v6scope::v1::Capability_Name(v.capability()), v.capability()));
  absl::StrAppendFormat(out, "%-22s %s\n", "root causes",
                        causes.empty() ? "-" : absl::StrJoin(causes, ", "));
  absl::StrAppendFormat(out, "%-22s %u/10 (methodology %s)\n",
                        "readiness score", v.score(),
                        OrDash(v.methodology_version()));
  if (v.explanations().empty()) return;  // Methodology 1.
  *out += "why\n";
  for (const v6scope::v1::Explanation& e : v.explanations()) {
    absl::StrAppendFormat(out, "  %s: %s\n", e.label(), e.text());
  }
}

}  // namespace

std::string FormatRunText(const v6scope::v1::Run& run) {
  const v6scope::v1::AddressInventory& inv = run.inventory();
  std::string out;
  absl::StrAppendFormat(&out, "%-22s %s\n", "started",
                        TimeUtil::ToString(run.started_at()));
  absl::StrAppendFormat(&out, "%-22s %s\n", "probe version",
                        OrDash(run.probe_version()));
  absl::StrAppendFormat(
      &out,
      "%-22s global=%u 6to4=%u teredo=%u ula=%u link-local=%u special=%u\n",
      "IPv6 addresses", inv.v6_global_native(), inv.v6_6to4(), inv.v6_teredo(),
      inv.v6_ula(), inv.v6_link_local(), inv.v6_special());
  absl::StrAppendFormat(&out,
                        "%-22s public=%u private=%u cgnat=%u special=%u\n",
                        "IPv4 addresses", inv.v4_public(), inv.v4_private(),
                        inv.v4_shared(), inv.v4_special());
  absl::StrAppendFormat(&out, "%-22s v4=%s v6=%s\n", "default routes",
                        YesNo(inv.v4_default_route()),
                        YesNo(inv.v6_default_route()));
  absl::StrAppendFormat(&out, "%-22s v4=%s v6=%s\n", "public prefixes",
                        OrDash(run.public_addresses().v4_prefix()),
                        OrDash(run.public_addresses().v6_prefix()));
  absl::StrAppendFormat(&out, "%-22s %s\n", "NAT64 prefix",
                        OrDash(run.nat64_prefix()));
  absl::StrAppendFormat(&out, "\n  %-16s %-19s %-8s %9s %9s  %-15s %s\n",
                        "TEST", "OUTCOME", "FAMILY", "CONNECT", "TOTAL",
                        "ADDRESS", "TARGET");
  for (const v6scope::v1::TestResult& t : run.tests()) {
    absl::StrAppendFormat(
        &out, "  %-16s %-19s %-8s %9s %9s  %-15s %s\n",
        EnumName(methodology::kinds::KindName(t.kind()), t.kind()),
        EnumName(v6scope::v1::Outcome_Name(t.outcome()), t.outcome()),
        FamilyName(t.used_family() != 0 ? t.used_family() : t.family()),
        Ms(t.timings().connect_us()), Ms(t.timings().total_us()),
        OrDash(t.used_address()), t.target());
  }
  out += "\n";
  AppendVerdict(run.verdict(), &out);
  return out;
}

absl::StatusOr<std::string> FormatRunJson(const v6scope::v1::Run& run) {
  std::string json;
  google::protobuf::util::JsonPrintOptions opts;
  opts.preserve_proto_field_names = true;
  auto status = google::protobuf::util::MessageToJsonString(run, &json, opts);
  if (!status.ok()) {
    return absl::InternalError(
        absl::StrCat("JSON encoding failed: ", status.message().as_string()));
  }
  return json;
}

}  // namespace v6scope::probe::suite
