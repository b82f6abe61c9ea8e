#include "collector/ingest/testing/malformed_batches.h"

#include <cstdint>
#include <string>

namespace v6scope::collector::ingest::testing {
namespace {

using v6scope::v1::Batch;
using v6scope::v1::Run;

Run& R(Batch& b) { return *b.mutable_runs(0); }
v6scope::v1::TestResult& T(Batch& b) { return *R(b).mutable_tests(0); }
v6scope::v1::Explanation& Why(Batch& b) {
  return *R(b).mutable_verdict()->mutable_explanations(0);
}

}  // namespace

v6scope::v1::Run ValidRun(absl::Time now) {
  v6scope::v1::Run run;
  run.mutable_started_at()->set_seconds(absl::ToUnixSeconds(now) - 60);
  run.mutable_finished_at()->set_seconds(absl::ToUnixSeconds(now) - 59);
  run.mutable_inventory()->set_v6_global_native(1);
  run.mutable_public_addresses()->set_v4_prefix("11.0.2.0/24");
  run.mutable_public_addresses()->set_v6_prefix("3ffe:1::/48");
  auto* t = run.add_tests();
  t->set_kind(v6scope::v1::HTTP_V6_ONLY);
  t->set_family(v6scope::v1::IPV6);
  t->set_outcome(v6scope::v1::OK);
  t->set_target("http://v6.example.test/");
  t->set_used_address("3ffe::80");
  t->set_http_status(200);
  t->mutable_timings()->set_connect_us(1000);
  t->mutable_timings()->set_total_us(5000);
  t->add_resolved_addresses("3ffe::80");
  run.mutable_verdict()->set_capability(v6scope::v1::V6_PREFERRED);
  run.mutable_verdict()->add_root_causes(v6scope::v1::SLOW_V6);
  run.mutable_verdict()->set_score(10);
  auto* why = run.mutable_verdict()->add_explanations();
  why->set_label("V6_PREFERRED");
  why->set_text(
      "IPv6 and IPv4 both worked, and the dual-stack fetch went over IPv6");
  why = run.mutable_verdict()->add_explanations();
  why->set_label("SLOW_V6");
  why->set_text("IPv6 connects took 210 ms, IPv4 connects 40 ms");
  run.set_nat64_prefix("64:ff9b::/96");
  run.set_target_set("default");
  run.set_probe_version("v6scope-probe 1.0");
  return run;
}

v6scope::v1::Batch ValidBatch(absl::Time now) {
  v6scope::v1::Batch b;
  b.set_first_seq(1);
  *b.add_runs() = ValidRun(now);
  return b;
}

std::vector<MalformedCase> MalformedCases(absl::Time now) {
  return {
      MalformedCase{"attribution_from_probe",
                    [](Batch& b) { R(b).mutable_attribution()->set_asn(1); },
                    "runs[0].attribution: set by the collector"},
      MalformedCase{"seq0", [now](Batch& b) { b.set_first_seq(0); },
                    "first_seq"},
      MalformedCase{"empty", [now](Batch& b) { b.clear_runs(); },
                    "runs: empty"},
      MalformedCase{"too_many_runs",
                    [now](Batch& b) {
                      for (int i = 0; i < 500; ++i)
                        *b.add_runs() = ValidRun(now);
                    },
                    "runs: more than 500"},
      MalformedCase{"no_start", [now](Batch& b) { R(b).clear_started_at(); },
                    "runs[0].started_at: must be set"},
      MalformedCase{"future",
                    [now](Batch& b) {
                      R(b).mutable_started_at()->set_seconds(
                          absl::ToUnixSeconds(now) + 3600);
                    },
                    "runs[0].started_at: in the future"},
      MalformedCase{"ancient",
                    [now](Batch& b) {
                      R(b).mutable_started_at()->set_seconds(
                          absl::ToUnixSeconds(now - absl::Hours(24 * 91)));
                    },
                    "runs[0].started_at: older"},
      MalformedCase{
          "before_2000",
          [now](Batch& b) { R(b).mutable_started_at()->set_seconds(1000); },
          "runs[0].started_at: before 2000-01-01"},
      MalformedCase{"after_9999",
                    [now](Batch& b) {
                      R(b).mutable_finished_at()->set_seconds(253402300800);
                    },
                    "runs[0].finished_at: timestamp out of range"},
      MalformedCase{"finished_far_future",
                    [now](Batch& b) {
                      R(b).mutable_finished_at()->set_seconds(
                          absl::ToUnixSeconds(now + absl::Hours(48)));
                    },
                    "runs[0].finished_at: more than a day in the future"},
      MalformedCase{
          "bad_nanos",
          [now](Batch& b) { R(b).mutable_started_at()->set_nanos(-1); },
          "runs[0].started_at: timestamp out of range"},
      MalformedCase{"finished_before_started",
                    [now](Batch& b) {
                      R(b).mutable_finished_at()->set_seconds(
                          absl::ToUnixSeconds(now) - 3600);
                    },
                    "runs[0].finished_at: before started_at"},
      MalformedCase{"kind_unset", [now](Batch& b) { T(b).set_kind({}); },
                    "runs[0].tests[0].kind: must be set"},
      MalformedCase{"kind_unknown",
                    [now](Batch& b) {
                      T(b).set_kind(static_cast<v6scope::v1::TestKind>(999));
                    },
                    "runs[0].tests[0].kind: unknown enum value 999"},
      MalformedCase{"outcome_unset", [now](Batch& b) { T(b).set_outcome({}); },
                    "runs[0].tests[0].outcome: must be set"},
      MalformedCase{"family_unknown",
                    [now](Batch& b) {
                      T(b).set_family(
                          static_cast<v6scope::v1::AddressFamily>(7));
                    },
                    "runs[0].tests[0].family"},
      MalformedCase{"long_target",
                    [now](Batch& b) { T(b).set_target(std::string(256, 'a')); },
                    "runs[0].tests[0].target: longer than 255"},
      MalformedCase{
          "long_detail",
          [now](Batch& b) { T(b).set_error_detail(std::string(300, 'x')); },
          "runs[0].tests[0].error_detail"},
      MalformedCase{
          "phase_after_total",
          [now](Batch& b) { T(b).mutable_timings()->set_first_byte_us(6000); },
          "runs[0].tests[0].timings.first_byte_us: exceeds total_us"},
      MalformedCase{"total_huge",
                    [now](Batch& b) {
                      T(b).mutable_timings()->set_total_us(700'000'000);
                    },
                    "timings.total_us"},
      MalformedCase{"bad_used_address",
                    [now](Batch& b) { T(b).set_used_address("not-an-ip"); },
                    "runs[0].tests[0].used_address: not an IP"},
      MalformedCase{
          "bad_resolved",
          [now](Batch& b) { T(b).add_resolved_addresses("300.1.1.1"); },
          "runs[0].tests[0].resolved_addresses[1]"},
      MalformedCase{"too_many_resolved",
                    [now](Batch& b) {
                      for (int i = 0; i < 16; ++i) {
                        T(b).add_resolved_addresses("11.0.2.1");
                      }
                    },
                    "resolved_addresses: more than 16"},
      MalformedCase{"bad_dns_server",
                    [now](Batch& b) { T(b).set_dns_server("::g"); },
                    "tests[0].dns_server"},
      MalformedCase{"http_status",
                    [now](Batch& b) { T(b).set_http_status(99); },
                    "tests[0].http_status"},
      MalformedCase{"rcode", [now](Batch& b) { T(b).set_dns_rcode(5000); },
                    "tests[0].dns_rcode"},
      MalformedCase{"too_many_tests",
                    [now](Batch& b) {
                      for (int i = 0; i < 64; ++i) *R(b).add_tests() = T(b);
                    },
                    "runs[0].tests: more than 64"},
      MalformedCase{"untruncated_v4",
                    [now](Batch& b) {
                      R(b).mutable_public_addresses()->set_v4_prefix(
                          "11.0.2.7/32");
                    },
                    "public_addresses.v4_prefix"},
      MalformedCase{"host_bits_v6",
                    [now](Batch& b) {
                      R(b).mutable_public_addresses()->set_v6_prefix(
                          "3ffe:1::1/48");
                    },
                    "public_addresses.v6_prefix"},
      MalformedCase{"v6_as_v4",
                    [now](Batch& b) {
                      R(b).mutable_public_addresses()->set_v4_prefix(
                          "3ffe:1::/48");
                    },
                    "public_addresses.v4_prefix"},
      MalformedCase{"score",
                    [now](Batch& b) { R(b).mutable_verdict()->set_score(11); },
                    "verdict.score: above 10"},
      MalformedCase{"cause_dup",
                    [now](Batch& b) {
                      R(b).mutable_verdict()->add_root_causes(
                          v6scope::v1::SLOW_V6);
                    },
                    "verdict.root_causes[1]: duplicate"},
      MalformedCase{"cause_unknown",
                    [now](Batch& b) {
                      R(b).mutable_verdict()->add_root_causes(
                          static_cast<v6scope::v1::RootCause>(77));
                    },
                    "verdict.root_causes[1]: unknown enum value 77"},
      MalformedCase{"capability_unknown",
                    [now](Batch& b) {
                      R(b).mutable_verdict()->set_capability(
                          static_cast<v6scope::v1::Capability>(42));
                    },
                    "verdict.capability"},
      MalformedCase{
          "inventory",
          [now](Batch& b) { R(b).mutable_inventory()->set_v4_private(100000); },
          "runs[0].inventory"},
      MalformedCase{
          "probe_version",
          [now](Batch& b) { R(b).set_probe_version(std::string(65, 'v')); },
          "runs[0].probe_version"},
      MalformedCase{"seq_passes_int64",
                    [now](Batch& b) {
                      b.set_first_seq(uint64_t{INT64_MAX});
                      *b.add_runs() = ValidRun(now);
                    },
                    "first_seq: the batch's sequence numbers would pass"},
      MalformedCase{"seq_uint64_max",
                    [now](Batch& b) { b.set_first_seq(UINT64_MAX); },
                    "first_seq: the batch's sequence numbers would pass"},
      MalformedCase{"target_not_a_host",
                    [now](Batch& b) { T(b).set_target("bad host.example"); },
                    "runs[0].tests[0].target: neither a host name"},
      MalformedCase{
          "target_url_control",
          [now](Batch& b) { T(b).set_target("https://x.example/\n"); },
          "runs[0].tests[0].target: URL byte 18"},
      MalformedCase{"target_label_too_long",
                    [now](Batch& b) {
                      T(b).set_target(std::string(64, 'a') + ".example");
                    },
                    "runs[0].tests[0].target"},
      MalformedCase{"detail_newline",
                    [now](Batch& b) {
                      T(b).set_error_detail("refused\nlevel=error forged");
                    },
                    "runs[0].tests[0].error_detail: control character"},
      MalformedCase{"detail_c1_control",
                    [now](Batch& b) {
                      T(b).set_error_detail(
                          "x\xc2\x9b"
                          "31m");
                    },
                    "runs[0].tests[0].error_detail: control character"},
      MalformedCase{
          "bytes_received",
          [now](Batch& b) { T(b).set_bytes_received(uint64_t{1} << 41); },
          "runs[0].tests[0].bytes_received: above 1 TiB"},
      MalformedCase{"resolved_too_long",
                    [now](Batch& b) {
                      T(b).set_resolved_addresses(0, std::string(100, '1'));
                    },
                    "runs[0].tests[0].resolved_addresses[0]: not an IP"},
      MalformedCase{
          "target_set_long",
          [now](Batch& b) { R(b).set_target_set(std::string(65, 't')); },
          "runs[0].target_set: longer than 64"},
      MalformedCase{"target_set_not_ascii",
                    [now](Batch& b) { R(b).set_target_set("caf\xc3\xa9"); },
                    "runs[0].target_set: byte 3 is not printable ASCII"},
      MalformedCase{"probe_version_control",
                    [now](Batch& b) { R(b).set_probe_version("1.0\t"); },
                    "runs[0].probe_version: byte 3"},
      MalformedCase{"methodology_version",
                    [now](Batch& b) {
                      R(b).mutable_verdict()->set_methodology_version(
                          std::string(17, '1'));
                    },
                    "runs[0].verdict.methodology_version: longer than 16"},
      MalformedCase{
          "nat64_huge",
          [now](Batch& b) { R(b).set_nat64_prefix(std::string(1 << 20, 'f')); },
          "runs[0].nat64_prefix: not an IPv6 prefix"},
      MalformedCase{"nat64_v4",
                    [now](Batch& b) { R(b).set_nat64_prefix("11.0.2.0/24"); },
                    "runs[0].nat64_prefix: not an IPv6 prefix"},
      MalformedCase{"nat64_length",
                    [now](Batch& b) { R(b).set_nat64_prefix("64:ff9b::/95"); },
                    "runs[0].nat64_prefix: length not one of"},
      MalformedCase{"nat64_host_bits",
                    [now](Batch& b) { R(b).set_nat64_prefix("64:ff9b::1/96"); },
                    "runs[0].nat64_prefix"},
      MalformedCase{"v6_prefix_huge",
                    [now](Batch& b) {
                      R(b).mutable_public_addresses()->set_v6_prefix(
                          std::string(4096, '2'));
                    },
                    "runs[0].public_addresses.v6_prefix: too long"},
      MalformedCase{"explanations_too_many",
                    [now](Batch& b) {
                      for (int i = 0; i < 16; ++i) {
                        auto* e = R(b).mutable_verdict()->add_explanations();
                        e->set_label("SLOW_V6");
                        e->set_text("again");
                      }
                    },
                    "runs[0].verdict.explanations: more than 17"},
      MalformedCase{"explanation_label_long",
                    [now](Batch& b) { Why(b).set_label(std::string(33, 'A')); },
                    "runs[0].verdict.explanations[0].label: longer than 32"},
      MalformedCase{"explanation_label_not_ascii",
                    [now](Batch& b) { Why(b).set_label("V6_\xc3\xa9"); },
                    "runs[0].verdict.explanations[0].label"},
      MalformedCase{"explanation_label_newline",
                    [now](Batch& b) { Why(b).set_label("V6\nFORGED"); },
                    "runs[0].verdict.explanations[0].label"},
      MalformedCase{"explanation_text_long",
                    [now](Batch& b) { Why(b).set_text(std::string(401, 'x')); },
                    "runs[0].verdict.explanations[0].text: longer than 400"},
      MalformedCase{"explanation_text_newline",
                    [now](Batch& b) { Why(b).set_text("one\ntwo"); },
                    "runs[0].verdict.explanations[0].text"},
      MalformedCase{"explanation_text_cr",
                    [now](Batch& b) { Why(b).set_text("one\rtwo"); },
                    "runs[0].verdict.explanations[0].text"},
      MalformedCase{"explanation_text_line_separator",
                    [now](Batch& b) { Why(b).set_text("one\xe2\x80\xa8two"); },
                    "runs[0].verdict.explanations[0].text: contains a line "
                    "break"},
      MalformedCase{
          "inventory_special_huge",
          [now](Batch& b) { R(b).mutable_inventory()->set_v6_special(5000); },
          "runs[0].inventory: an address count exceeds"},
      MalformedCase{"dropped",
                    [now](Batch& b) { b.set_dropped_runs(uint64_t{1} << 62); },
                    "dropped_runs"}};
}

}  // namespace v6scope::collector::ingest::testing
