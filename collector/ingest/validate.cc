#include "collector/ingest/validate.h"

#include <cstdint>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "collector/ingest/field_checks.h"
#include "common/net/ip_address.h"
#include "common/text/text_rules.h"
#include "google/protobuf/timestamp.pb.h"

namespace v6scope::collector::ingest {
namespace {

using text::TextRule;

using v6scope::v1::Run;
using v6scope::v1::TestResult;

constexpr size_t kMaxTarget = 255;
constexpr size_t kMaxDetail = 255;
constexpr size_t kMaxShortString = 64;
constexpr int kMaxResolved = 16;
constexpr int kMaxRootCauses = 16;
// One explanation per label: the capability and at most 16 root causes.
constexpr int kMaxExplanations = 17;
constexpr size_t kMaxExplanationLabel = 32;
constexpr size_t kMaxExplanationText = 400;
constexpr uint32_t kMaxPhaseUs = 600'000'000;  // 10 minutes.
constexpr uint32_t kMaxInventoryCount = 4096;
constexpr uint64_t kMaxDroppedRuns = 1'000'000'000'000;
constexpr size_t kMaxMethodologyVersion = 16;
// 1 TiB: far above any test object, far below overflow in sums.
constexpr uint64_t kMaxBytesReceived = uint64_t{1} << 40;
constexpr uint64_t kMaxSeq = INT64_MAX;  // The store keeps seq as int64.
// 2000-01-01T00:00:00Z: no run of this software is older.
constexpr int64_t kEarliestRunSeconds = 946684800;
// A finished_at may be later than started_at's skew allows (a long test
// on a drifting clock), but not beyond a day from now.
constexpr absl::Duration kMaxFinishedAhead = absl::Hours(24);

// A run's time: a valid google.protobuf.Timestamp, not before 2000-01-01
// and not after `latest`.
absl::StatusOr<absl::Time> CheckTimestamp(const Path& path,
                                          const google::protobuf::Timestamp& ts,
                                          absl::Time latest) {
  // RFC 3339 range that google.protobuf.Timestamp allows.
  if (ts.seconds() < -62135596800 || ts.seconds() > 253402300799 ||
      ts.nanos() < 0 || ts.nanos() > 999999999) {
    return Bad(path, "timestamp out of range");
  }
  if (ts.seconds() < kEarliestRunSeconds) {
    return Bad(path, "before 2000-01-01");
  }
  const absl::Time t =
      absl::FromUnixSeconds(ts.seconds()) + absl::Nanoseconds(ts.nanos());
  if (t > latest) return Bad(path, "more than a day in the future");
  return t;
}

absl::Status ValidateTimings(const Path& path, const v6scope::v1::Timings& t) {
  const uint32_t phases[] = {t.dns_us(), t.connect_us(), t.tls_us(),
                             t.first_byte_us()};
  const char* names[] = {"dns_us", "connect_us", "tls_us", "first_byte_us"};
  if (t.total_us() > kMaxPhaseUs) {
    return Bad(path.Field("total_us"), "more than 10 minutes");
  }
  for (int i = 0; i < 4; ++i) {
    if (phases[i] > t.total_us()) {
      return Bad(path.Field(names[i]), "exceeds total_us");
    }
  }
  return absl::OkStatus();
}

absl::Status ValidateTestEnums(const Path& path, const TestResult& t) {
  absl::Status s = CheckEnum(path.Field("kind"), t.kind(),
                             v6scope::v1::TestKind_IsValid, false);
  if (s.ok()) {
    s = CheckEnum(path.Field("family"), t.family(),
                  v6scope::v1::AddressFamily_IsValid, true);
  }
  if (s.ok()) {
    s = CheckEnum(path.Field("used_family"), t.used_family(),
                  v6scope::v1::AddressFamily_IsValid, true);
  }
  if (s.ok()) {
    s = CheckEnum(path.Field("outcome"), t.outcome(),
                  v6scope::v1::Outcome_IsValid, false);
  }
  return s;
}

absl::Status ValidateTestAddresses(const Path& path, const TestResult& t) {
  const Path resolved = path.Field("resolved_addresses");
  if (t.resolved_addresses_size() > kMaxResolved) {
    return Bad(resolved,
               absl::StrCat("more than ", kMaxResolved, " addresses"));
  }
  for (int i = 0; i < t.resolved_addresses_size(); ++i) {
    absl::Status s = CheckAddress(resolved.At(i), t.resolved_addresses(i));
    if (!s.ok()) return s;
  }
  if (!t.used_address().empty()) {
    absl::Status s = CheckAddress(path.Field("used_address"), t.used_address());
    if (!s.ok()) return s;
  }
  if (!t.dns_server().empty()) {
    return CheckAddress(path.Field("dns_server"), t.dns_server());
  }
  return absl::OkStatus();
}

absl::Status ValidateTest(const Path& path, const TestResult& t) {
  absl::Status s = ValidateTestEnums(path, t);
  if (s.ok()) {
    s = CheckText(path.Field("target"), t.target(), kMaxTarget,
                  TextRule::kTarget);
  }
  if (s.ok()) {
    s = CheckText(path.Field("error_detail"), t.error_detail(), kMaxDetail,
                  TextRule::kUtf8Line);
  }
  if (s.ok()) s = ValidateTimings(path.Field("timings"), t.timings());
  if (s.ok()) s = ValidateTestAddresses(path, t);
  if (!s.ok()) return s;
  if (t.http_status() != 0 &&
      (t.http_status() < 100 || t.http_status() > 599)) {
    return Bad(path.Field("http_status"), "not 0 or 100..599");
  }
  if (t.dns_rcode() > 4095) return Bad(path.Field("dns_rcode"), "above 4095");
  if (t.bytes_received() > kMaxBytesReceived) {
    return Bad(path.Field("bytes_received"), "above 1 TiB");
  }
  return absl::OkStatus();
}

absl::Status ValidateInventory(const Path& path,
                               const v6scope::v1::AddressInventory& inv) {
  const uint32_t counts[] = {inv.v6_global_native(), inv.v6_6to4(),
                             inv.v6_teredo(),        inv.v6_ula(),
                             inv.v6_link_local(),    inv.v4_public(),
                             inv.v4_private(),       inv.v4_shared(),
                             inv.v4_special(),       inv.v6_special()};
  for (uint32_t c : counts) {
    if (c > kMaxInventoryCount) {
      return Bad(path,
                 absl::StrCat("an address count exceeds ", kMaxInventoryCount));
    }
  }
  return absl::OkStatus();
}

absl::Status ValidatePublicAddresses(const Path& path,
                                     const v6scope::v1::PublicAddresses& pub) {
  if (pub.v4_prefix().size() > kMaxPrefixText) {
    return Bad(path.Field("v4_prefix"), "too long for a prefix");
  }
  if (pub.v6_prefix().size() > kMaxPrefixText) {
    return Bad(path.Field("v6_prefix"), "too long for a prefix");
  }
  if (!pub.v4_prefix().empty()) {
    absl::Status s = net::ValidateTruncatedPrefix(pub.v4_prefix(), false);
    if (!s.ok()) return Bad(path.Field("v4_prefix"), s.message());
  }
  if (!pub.v6_prefix().empty()) {
    absl::Status s = net::ValidateTruncatedPrefix(pub.v6_prefix(), true);
    if (!s.ok()) return Bad(path.Field("v6_prefix"), s.message());
  }
  return absl::OkStatus();
}

// U+2028 LINE SEPARATOR and U+2029 PARAGRAPH SEPARATOR: line breaks that
// kUtf8Line (which refuses CR, LF and NEL as control characters) lets by.
bool HasUnicodeLineBreak(const std::string& s) {
  return absl::StrContains(s, "\xE2\x80\xA8") ||
         absl::StrContains(s, "\xE2\x80\xA9");
}

absl::Status ValidateExplanations(const Path& path,
                                  const v6scope::v1::Verdict& v) {
  if (v.explanations_size() > kMaxExplanations) {
    return Bad(path, absl::StrCat("more than ", kMaxExplanations));
  }
  for (int i = 0; i < v.explanations_size(); ++i) {
    const v6scope::v1::Explanation& e = v.explanations(i);
    const Path at = path.At(i);
    absl::Status s = CheckText(at.Field("label"), e.label(),
                               kMaxExplanationLabel, TextRule::kPrintableAscii);
    if (s.ok()) {
      s = CheckText(at.Field("text"), e.text(), kMaxExplanationText,
                    TextRule::kUtf8Line);
    }
    if (s.ok() && HasUnicodeLineBreak(e.text())) {
      s = Bad(at.Field("text"), "contains a line break");
    }
    if (!s.ok()) return s;
  }
  return absl::OkStatus();
}

absl::Status ValidateVerdict(const Path& path, const v6scope::v1::Verdict& v) {
  absl::Status s = CheckEnum(path.Field("capability"), v.capability(),
                             v6scope::v1::Capability_IsValid, true);
  if (!s.ok()) return s;
  const Path causes = path.Field("root_causes");
  if (v.root_causes_size() > kMaxRootCauses) {
    return Bad(causes, absl::StrCat("more than ", kMaxRootCauses));
  }
  for (int i = 0; i < v.root_causes_size(); ++i) {
    s = CheckEnum(causes.At(i), v.root_causes(i),
                  v6scope::v1::RootCause_IsValid, false);
    if (!s.ok()) return s;
    for (int j = 0; j < i; ++j) {
      if (v.root_causes(j) == v.root_causes(i)) {
        return Bad(causes.At(i), "duplicate");
      }
    }
  }
  if (v.score() > 10) return Bad(path.Field("score"), "above 10");
  s = CheckText(path.Field("methodology_version"), v.methodology_version(),
                kMaxMethodologyVersion, TextRule::kPrintableAscii);
  if (!s.ok()) return s;
  return ValidateExplanations(path.Field("explanations"), v);
}

absl::Status ValidateRunTimes(const Path& path, const Run& run, absl::Time now,
                              const IngestLimits& limits) {
  const Path started_path = path.Field("started_at");
  if (!run.has_started_at()) return Bad(started_path, "must be set");
  const absl::Time latest = now + kMaxFinishedAhead;
  absl::StatusOr<absl::Time> started =
      CheckTimestamp(started_path, run.started_at(), latest);
  if (!started.ok()) return started.status();
  if (*started > now + limits.max_future_skew) {
    return Bad(started_path, "in the future beyond the allowed clock skew");
  }
  if (*started < now - limits.max_age) {
    return Bad(started_path, "older than the maximum result age");
  }
  if (run.has_finished_at()) {
    const Path finished_path = path.Field("finished_at");
    absl::StatusOr<absl::Time> finished =
        CheckTimestamp(finished_path, run.finished_at(), latest);
    if (!finished.ok()) return finished.status();
    if (*finished < *started) return Bad(finished_path, "before started_at");
  }
  return absl::OkStatus();
}

absl::Status ValidateRunStrings(const Path& path, const Run& run) {
  absl::Status s = CheckText(path.Field("target_set"), run.target_set(),
                             kMaxShortString, TextRule::kPrintableAscii);
  if (s.ok()) {
    s = CheckText(path.Field("probe_version"), run.probe_version(),
                  kMaxShortString, TextRule::kPrintableAscii);
  }
  if (s.ok())
    s = CheckNat64Prefix(path.Field("nat64_prefix"), run.nat64_prefix());
  return s;
}

absl::Status ValidateRunAt(const Path& path, const Run& run, absl::Time now,
                           const IngestLimits& limits) {
  absl::Status s = ValidateRunTimes(path, run, now, limits);
  if (s.ok()) s = ValidateInventory(path.Field("inventory"), run.inventory());
  if (s.ok()) {
    s = ValidatePublicAddresses(path.Field("public_addresses"),
                                run.public_addresses());
  }
  if (s.ok()) s = ValidateVerdict(path.Field("verdict"), run.verdict());
  if (s.ok() && run.has_attribution()) {
    s = Bad(path.Field("attribution"), "set by the collector, not by probes");
  }
  if (s.ok()) s = ValidateRunStrings(path, run);
  if (!s.ok()) return s;
  const Path tests = path.Field("tests");
  if (run.tests_size() > limits.max_tests_per_run) {
    return Bad(tests,
               absl::StrCat("more than ", limits.max_tests_per_run, " tests"));
  }
  for (int i = 0; i < run.tests_size(); ++i) {
    s = ValidateTest(tests.At(i), run.tests(i));
    if (!s.ok()) return s;
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status ValidateRun(const Run& run, absl::Time now,
                         const IngestLimits& limits) {
  return ValidateRunAt(Path("run"), run, now, limits);
}

absl::Status ValidateBatch(const v6scope::v1::Batch& batch, absl::Time now,
                           const IngestLimits& limits) {
  const Path first_seq("first_seq");
  const Path runs("runs");
  if (batch.first_seq() == 0) return Bad(first_seq, "must be at least 1");
  if (batch.runs_size() == 0) return Bad(runs, "empty batch");
  if (batch.runs_size() > limits.max_runs_per_batch) {
    return Bad(runs, absl::StrCat("more than ", limits.max_runs_per_batch,
                                  " runs in one batch"));
  }
  // The last run's seq must fit the store's signed 64-bit column: a batch
  // that would pass 2^63-1 is refused here, not failed in the store.
  if (batch.first_seq() > kMaxSeq ||
      batch.first_seq() - 1 > kMaxSeq - batch.runs_size()) {
    return Bad(first_seq, "the batch's sequence numbers would pass 2^63-1");
  }
  if (batch.dropped_runs() > kMaxDroppedRuns) {
    return Bad(Path("dropped_runs"), "implausibly large");
  }
  for (int i = 0; i < batch.runs_size(); ++i) {
    absl::Status s = ValidateRunAt(runs.At(i), batch.runs(i), now, limits);
    if (!s.ok()) return s;
  }
  return absl::OkStatus();
}

}  // namespace v6scope::collector::ingest
