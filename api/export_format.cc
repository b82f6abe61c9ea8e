#include "api/export_format.h"

#include <google/protobuf/descriptor.h>
#include <google/protobuf/util/time_util.h>

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"
#include "api/api_json.h"
#include "proto/results.pb.h"

namespace v6scope::api {
namespace {

using ::google::protobuf::util::TimeUtil;

std::string Time(const google::protobuf::Timestamp& t) {
  if (t.seconds() == 0 && t.nanos() == 0) return "";
  return TimeUtil::ToString(t);
}

std::string Causes(const v6scope::v1::Verdict& verdict) {
  std::vector<std::string> names;
  for (int cause : verdict.root_causes()) {
    names.push_back(v6scope::v1::RootCause_Name(cause));
  }
  return absl::StrJoin(names, " ");
}

std::string Number(double value) { return absl::StrCat(value); }

// z of the collector's 95% Wilson intervals (collector/aggregate/wilson.h
// kZ95; api/ stays below the collector, so a copy).
constexpr double kZ95 = 1.959963984540054;

// "LABEL: text" of each explanation, joined by " | " (one CSV cell).
std::string Explanations(const v6scope::v1::Verdict& verdict) {
  std::vector<std::string> parts;
  for (const v6scope::v1::Explanation& e : verdict.explanations()) {
    parts.push_back(absl::StrCat(e.label(), ": ", e.text()));
  }
  return absl::StrJoin(parts, " | ");
}

// Every root cause but the unspecified one, in enum order: each gets
// columns, present in the group or not, so files of any group line up.
std::vector<v6scope::v1::RootCause> AllCauses() {
  std::vector<v6scope::v1::RootCause> causes;
  const google::protobuf::EnumDescriptor* d =
      v6scope::v1::RootCause_descriptor();
  for (int i = 0; i < d->value_count(); ++i) {
    const int number = d->value(i)->number();
    if (number == v6scope::v1::ROOT_CAUSE_UNSPECIFIED) continue;
    causes.push_back(static_cast<v6scope::v1::RootCause>(number));
  }
  std::sort(causes.begin(), causes.end());
  return causes;
}

// The group's share of `cause`. The aggregates list only causes some probe
// has; an absent cause is 0 of the measured probes, whose Wilson interval
// is [0, z^2 / (n + z^2)] ([0, 1] for n = 0), as the collector computes it.
v6scope::v1::Share CauseShare(const v6scope::v1::GroupAggregate& g,
                              v6scope::v1::RootCause cause) {
  for (const v6scope::v1::CauseCount& c : g.causes()) {
    if (c.cause() == cause) return c.share();
  }
  v6scope::v1::Share zero;
  const double n = g.measured_probes();
  zero.set_total(g.measured_probes());
  zero.set_ci_high(kZ95 * kZ95 / (n + kZ95 * kZ95));
  return zero;
}

// "1=40;2=12": probes per methodology version ("none" for runs stored
// without one), in the group's (ascending) order.
std::string Versions(const v6scope::v1::GroupAggregate& g) {
  std::vector<std::string> parts;
  for (const v6scope::v1::MethodologyCount& m : g.methodology_versions()) {
    parts.push_back(absl::StrCat(m.version().empty() ? "none" : m.version(),
                                 "=", m.probes()));
  }
  return absl::StrJoin(parts, ";");
}

void AppendRow(const std::vector<std::string>& fields, std::string* out) {
  for (size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) out->push_back(',');
    out->append(CsvField(fields[i]));
  }
  out->append("\r\n");
}

void AppendShare(const v6scope::v1::GroupAggregate& g,
                 const v6scope::v1::Share& share,
                 std::vector<std::string>* fields) {
  if (g.insufficient_data()) {
    fields->insert(fields->end(), 4, "");
    return;
  }
  fields->push_back(absl::StrCat(share.count()));
  fields->push_back(Number(share.value()));
  fields->push_back(Number(share.ci_low()));
  fields->push_back(Number(share.ci_high()));
}

}  // namespace

std::optional<ExportFormat> ParseExportFormat(absl::string_view name) {
  const std::string lower = absl::AsciiStrToLower(name);
  if (lower == "csv") return ExportFormat::kCsv;
  if (lower == "jsonl" || lower == "ndjson") return ExportFormat::kJsonLines;
  return std::nullopt;
}

absl::string_view ExportContentType(ExportFormat format) {
  return format == ExportFormat::kCsv ? "text/csv; charset=utf-8"
                                      : "application/x-ndjson";
}

bool IsPlainNumber(absl::string_view v) {
  size_t i = 0;
  if (i < v.size() && (v[i] == '+' || v[i] == '-')) ++i;
  size_t digits = 0;
  for (; i < v.size() && absl::ascii_isdigit(v[i]); ++i) ++digits;
  if (i < v.size() && v[i] == '.') {
    for (++i; i < v.size() && absl::ascii_isdigit(v[i]); ++i) ++digits;
  }
  if (digits == 0) return false;
  if (i < v.size() && (v[i] == 'e' || v[i] == 'E')) {
    ++i;
    if (i < v.size() && (v[i] == '+' || v[i] == '-')) ++i;
    size_t exponent = 0;
    for (; i < v.size() && absl::ascii_isdigit(v[i]); ++i) ++exponent;
    if (exponent == 0) return false;
  }
  return i == v.size();
}

bool NeedsFormulaGuard(absl::string_view value) {
  // A lone "-" (the CLI's "none", e.g. no root causes) is text to every
  // spreadsheet: nothing follows that could run.
  if (value == "-") return false;
  return !value.empty() &&
         absl::string_view("=+-@\t\r").find(value[0]) !=
             absl::string_view::npos &&
         !IsPlainNumber(value);
}

std::string CsvField(absl::string_view value) {
  // A spreadsheet runs a cell that starts with one of these as a formula
  // (CSV injection, OWASP): a leading ' makes it text. A real number such
  // as "-3" or "-1.5e-3" is left alone, so it stays numeric.
  std::string guarded;
  if (NeedsFormulaGuard(value)) {
    guarded = absl::StrCat("'", value);
    value = guarded;
  }
  if (value.find_first_of(",\"\r\n") == absl::string_view::npos) {
    return std::string(value);
  }
  std::string quoted = "\"";
  for (char c : value) {
    if (c == '"') quoted.push_back('"');
    quoted.push_back(c);
  }
  quoted.push_back('"');
  return quoted;
}

std::string RunsCsvHeader() {
  std::string header;
  AppendRow(
      {"probe_id",      "seq",         "received_at", "started_at",
       "capability",    "root_causes", "score",       "methodology_version",
       "asn",           "country",     "v4_prefix",   "v6_prefix",
       "v4_asn",        "v6_asn",      "datasets",    "nat64_prefix",
       "test_kind",     "family",      "target",      "outcome",
       "used_family",   "dns_us",      "connect_us",  "tls_us",
       "first_byte_us", "total_us",    "http_status", "bytes_received",
       "dns_rcode",     "explanations"},
      &header);
  return header;
}

void AppendRunRecords(const v6scope::v1::StoredRun& stored, ExportFormat format,
                      std::string* out) {
  if (format == ExportFormat::kJsonLines) {
    AppendJson(stored, out);
    out->push_back('\n');
    return;
  }
  const v6scope::v1::Run& run = stored.run();
  const v6scope::v1::Attribution& a = run.attribution();
  const std::vector<std::string> common = {
      stored.probe_id(),
      absl::StrCat(stored.seq()),
      Time(stored.received_at()),
      Time(run.started_at()),
      v6scope::v1::Capability_Name(run.verdict().capability()),
      Causes(run.verdict()),
      absl::StrCat(run.verdict().score()),
      run.verdict().methodology_version(),
      absl::StrCat(a.asn()),
      a.country(),
      a.v4_prefix(),
      a.v6_prefix(),
      absl::StrCat(a.v4_asn()),
      absl::StrCat(a.v6_asn()),
      a.datasets(),
      run.nat64_prefix()};
  // Run-level, but after the test columns: files written before it
  // existed keep their column positions.
  const std::string explanations = Explanations(run.verdict());
  if (run.tests().empty()) {
    std::vector<std::string> fields = common;
    fields.insert(fields.end(), 13, "");
    fields.push_back(explanations);
    AppendRow(fields, out);
    return;
  }
  for (const v6scope::v1::TestResult& t : run.tests()) {
    std::vector<std::string> fields = common;
    // A kind's name is its proto enum name, as in the JSON mapping; the
    // kind registry (methodology/kinds) uses the same names and its test
    // holds them equal. api/ stays below methodology/, so the proto's.
    fields.push_back(v6scope::v1::TestKind_Name(t.kind()));
    fields.push_back(v6scope::v1::AddressFamily_Name(t.family()));
    fields.push_back(t.target());
    fields.push_back(v6scope::v1::Outcome_Name(t.outcome()));
    fields.push_back(v6scope::v1::AddressFamily_Name(t.used_family()));
    fields.push_back(absl::StrCat(t.timings().dns_us()));
    fields.push_back(absl::StrCat(t.timings().connect_us()));
    fields.push_back(absl::StrCat(t.timings().tls_us()));
    fields.push_back(absl::StrCat(t.timings().first_byte_us()));
    fields.push_back(absl::StrCat(t.timings().total_us()));
    fields.push_back(absl::StrCat(t.http_status()));
    fields.push_back(absl::StrCat(t.bytes_received()));
    fields.push_back(absl::StrCat(t.dns_rcode()));
    fields.push_back(explanations);
    AppendRow(fields, out);
  }
}

std::string AggregatesCsvHeader() {
  std::vector<std::string> fields = {
      "group_by", "window",         "window_start",      "window_end",
      "key",      "name",           "insufficient_data", "probes",
      "runs",     "measured_probes"};
  for (const char* share : {"v6_capable", "v6_preferred", "v6_broken",
                            "pmtu_broken", "nat64", "resolver_v6"}) {
    for (const char* part : {"", "_share", "_ci_low", "_ci_high"}) {
      fields.push_back(absl::StrCat(share, part));
    }
  }
  fields.insert(fields.end(),
                {"resolver_v6_tested", "median_gap_ms", "gap_probes",
                 "v6_delegations", "v6_slash32_equivalents", "min_probes",
                 "methodology_version", "datasets"});
  // Methodology 2 columns, after the older ones so those keep their
  // positions.
  std::vector<std::string> shares = {"v4_broken"};
  for (v6scope::v1::RootCause cause : AllCauses()) {
    shares.push_back(absl::StrCat(
        "cause_", absl::AsciiStrToLower(v6scope::v1::RootCause_Name(cause))));
  }
  for (const std::string& share : shares) {
    for (const char* part : {"", "_share", "_ci_low", "_ci_high"}) {
      fields.push_back(absl::StrCat(share, part));
    }
  }
  fields.push_back("methodology_versions");
  std::string header;
  AppendRow(fields, &header);
  return header;
}

void AppendAggregateRecord(const v6scope::v1::AggregateExportRecord& record,
                           ExportFormat format, std::string* out) {
  if (format == ExportFormat::kJsonLines) {
    AppendJson(record, out);
    out->push_back('\n');
    return;
  }
  const v6scope::v1::GroupAggregate& g = record.group();
  const bool hidden = g.insufficient_data();
  std::vector<std::string> fields = {
      record.group_by(),
      record.window(),
      Time(g.window_start()),
      Time(g.window_end()),
      g.key(),
      g.name(),
      hidden ? "true" : "false",
      hidden ? "" : absl::StrCat(g.probes()),
      hidden ? "" : absl::StrCat(g.runs()),
      hidden ? "" : absl::StrCat(g.measured_probes())};
  for (const v6scope::v1::Share* share :
       {&g.v6_capable(), &g.v6_preferred(), &g.v6_broken(), &g.pmtu_broken(),
        &g.nat64(), &g.resolver_v6()}) {
    AppendShare(g, *share, &fields);
  }
  fields.push_back(hidden ? "" : absl::StrCat(g.resolver_v6().total()));
  fields.push_back(g.has_median_gap_ms() ? Number(g.median_gap_ms()) : "");
  fields.push_back(hidden ? "" : absl::StrCat(g.gap_probes()));
  fields.push_back(
      g.has_allocations() ? absl::StrCat(g.allocations().delegations()) : "");
  fields.push_back(
      g.has_allocations() ? Number(g.allocations().slash32_equivalents()) : "");
  fields.push_back(absl::StrCat(record.min_probes()));
  fields.push_back(record.methodology_version());
  fields.push_back(record.datasets());
  AppendShare(g, g.v4_broken(), &fields);
  for (v6scope::v1::RootCause cause : AllCauses()) {
    AppendShare(g, CauseShare(g, cause), &fields);
  }
  fields.push_back(hidden ? "" : Versions(g));
  AppendRow(fields, out);
}

}  // namespace v6scope::api
