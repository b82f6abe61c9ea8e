#include "probe/suite/run_format.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "google/protobuf/util/json_util.h"
#include "google/protobuf/util/time_util.h"

namespace v6scope::probe {
namespace {

using google::protobuf::util::TimeUtil;

std::string YesNo(bool b) { return b ? "yes" : "no"; }

std::string OrDash(const std::string& s) { return s.empty() ? "-" : s; }

}  // namespace

std::string FormatRunText(const v6scope::v1::Run& run) {
  const v6scope::v1::AddressInventory& inv = run.inventory();
  std::string out;
  absl::StrAppendFormat(&out, "%-22s %s\n", "started",
                        TimeUtil::ToString(run.started_at()));
  absl::StrAppendFormat(&out, "%-22s %s\n", "probe version",
                        OrDash(run.probe_version()));
  absl::StrAppendFormat(
      &out, "%-22s global=%u 6to4=%u teredo=%u ula=%u link-local=%u\n",
      "IPv6 addresses", inv.v6_global_native(), inv.v6_6to4(), inv.v6_teredo(),
      inv.v6_ula(), inv.v6_link_local());
  absl::StrAppendFormat(&out, "%-22s public=%u private=%u cgnat=%u\n",
                        "IPv4 addresses", inv.v4_public(), inv.v4_private(),
                        inv.v4_shared());
  absl::StrAppendFormat(&out, "%-22s v4=%s v6=%s\n", "default routes",
                        YesNo(inv.v4_default_route()),
                        YesNo(inv.v6_default_route()));
  absl::StrAppendFormat(&out, "%-22s v4=%s v6=%s\n", "public prefixes",
                        OrDash(run.public_addresses().v4_prefix()),
                        OrDash(run.public_addresses().v6_prefix()));
  absl::StrAppendFormat(&out, "%-22s %d\n", "tests", run.tests_size());
  for (const v6scope::v1::TestResult& t : run.tests()) {
    absl::StrAppendFormat(&out, "  %-20s %-20s %8.1f ms  %s\n",
                          v6scope::v1::TestKind_Name(t.kind()),
                          v6scope::v1::Outcome_Name(t.outcome()),
                          t.timings().total_us() / 1000.0, t.target());
  }
  absl::StrAppendFormat(
      &out, "%-22s %s\n", "verdict",
      run.verdict().capability() == v6scope::v1::CAPABILITY_UNSPECIFIED
          ? std::string("none (no network tests in this run)")
          : v6scope::v1::Capability_Name(run.verdict().capability()));
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

}  // namespace v6scope::probe
