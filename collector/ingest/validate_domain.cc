#include "collector/ingest/validate_domain.h"

#include <cstdint>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "collector/ingest/field_checks.h"
#include "common/text/text_rules.h"
#include "google/protobuf/timestamp.pb.h"

namespace v6scope::collector::ingest {
namespace {

using text::TextRule;
using v6scope::v1::AddressProbe;
using v6scope::v1::DomainCheck;
using v6scope::v1::NameAddresses;
using v6scope::v1::WebFetch;

constexpr size_t kMaxHostName = 253;
constexpr int kMaxCnameChain = 8;
constexpr int kMaxAddresses = 16;
constexpr int kMaxNameServers = 16;
constexpr int kMaxSoaProbes = 8;
constexpr int kMaxMail = 16;
constexpr int kMaxWebFetches = 8;
constexpr int kMaxHops = 10;
constexpr size_t kMaxUrl = 1024;
constexpr size_t kMaxDetail = 255;
constexpr size_t kMaxTitle = 200;
constexpr uint64_t kMaxSeq = INT64_MAX;  // The store keeps seq as int64.
constexpr uint64_t kMaxDroppedResults = 1'000'000'000'000;

absl::Status CheckHost(const Path& path, const std::string& name) {
  if (name.empty() || IsHostName(name, false)) return absl::OkStatus();
  return Bad(path, absl::StrCat("\"", text::Printable(name.substr(0, 64)),
                                "\" is not a host name"));
}

// At most 16 address literals.
absl::Status CheckAddresses(
    const Path& path,
    const google::protobuf::RepeatedPtrField<std::string>& list) {
  if (list.size() > kMaxAddresses) {
    return Bad(path, absl::StrCat("more than ", kMaxAddresses, " addresses"));
  }
  for (int i = 0; i < list.size(); ++i) {
    absl::Status s = CheckAddress(path.At(i), list.Get(i));
    if (!s.ok()) return s;
  }
  return absl::OkStatus();
}

absl::Status CheckName(const Path& path, const NameAddresses& n) {
  absl::Status s = CheckHost(path.Field("name"), n.name());
  const Path chain = path.Field("cname_chain");
  if (s.ok() && n.cname_chain_size() > kMaxCnameChain) {
    s = Bad(chain, absl::StrCat("more than ", kMaxCnameChain, " names"));
  }
  for (int i = 0; s.ok() && i < n.cname_chain_size(); ++i) {
    s = CheckHost(chain.At(i), n.cname_chain(i));
  }
  if (s.ok()) s = CheckAddresses(path.Field("a"), n.a());
  if (s.ok()) s = CheckAddresses(path.Field("aaaa"), n.aaaa());
  if (s.ok()) {
    s = CheckAddresses(path.Field("aaaa_synthesized"), n.aaaa_synthesized());
  }
  if (s.ok()) {
    s = CheckEnum(path.Field("a_outcome"), n.a_outcome(),
                  v6scope::v1::Outcome_IsValid, true);
  }
  if (s.ok()) {
    s = CheckEnum(path.Field("aaaa_outcome"), n.aaaa_outcome(),
                  v6scope::v1::Outcome_IsValid, true);
  }
  return s;
}

absl::Status CheckProbe(const Path& path, const AddressProbe& p) {
  absl::Status s = CheckAddress(path.Field("address"), p.address());
  if (s.ok()) {
    s = CheckEnum(path.Field("family"), p.family(),
                  v6scope::v1::AddressFamily_IsValid, true);
  }
  if (s.ok()) {
    s = CheckEnum(path.Field("outcome"), p.outcome(),
                  v6scope::v1::Outcome_IsValid, true);
  }
  if (s.ok()) {
    s = CheckText(path.Field("detail"), p.detail(), kMaxDetail,
                  TextRule::kUtf8Line);
  }
  return s;
}

// An http(s) URL of printable ASCII, at most 1024 bytes; empty if allowed.
absl::Status CheckUrl(const Path& path, const std::string& url,
                      bool may_be_empty) {
  if (url.empty() && may_be_empty) return absl::OkStatus();
  absl::Status s = CheckText(path, url, kMaxUrl, TextRule::kPrintableAscii);
  if (!s.ok()) return s;
  if (!absl::StartsWithIgnoreCase(url, "http://") &&
      !absl::StartsWithIgnoreCase(url, "https://")) {
    return Bad(path, "not an http(s) URL");
  }
  return absl::OkStatus();
}

absl::Status CheckStatus(const Path& path, uint32_t status, bool may_be_0) {
  if ((status == 0 && may_be_0) || (status >= 100 && status <= 599)) {
    return absl::OkStatus();
  }
  return Bad(path, may_be_0 ? "not 0 or 100..599" : "not 100..599");
}

absl::Status CheckHops(const Path& path, const WebFetch& w) {
  if (w.hops_size() > kMaxHops) {
    return Bad(path, absl::StrCat("more than ", kMaxHops, " hops"));
  }
  for (int i = 0; i < w.hops_size(); ++i) {
    const v6scope::v1::RedirectHop& hop = w.hops(i);
    const Path at = path.At(i);
    absl::Status s = CheckUrl(at.Field("url"), hop.url(), false);
    if (s.ok()) s = CheckStatus(at.Field("status"), hop.status(), false);
    if (s.ok() && !hop.address().empty()) {
      s = CheckAddress(at.Field("address"), hop.address());
    }
    if (!s.ok()) return s;
  }
  return absl::OkStatus();
}

absl::Status CheckFetch(const Path& path, const WebFetch& w) {
  absl::Status s = CheckUrl(path.Field("start_url"), w.start_url(), false);
  if (s.ok()) {
    s = CheckEnum(path.Field("family"), w.family(),
                  v6scope::v1::AddressFamily_IsValid, false);
  }
  if (s.ok()) {
    s = CheckEnum(path.Field("outcome"), w.outcome(),
                  v6scope::v1::Outcome_IsValid, false);
  }
  if (s.ok()) {
    s = CheckText(path.Field("error_detail"), w.error_detail(), kMaxDetail,
                  TextRule::kUtf8Line);
  }
  if (s.ok()) s = CheckHops(path.Field("hops"), w);
  if (s.ok()) s = CheckUrl(path.Field("final_url"), w.final_url(), true);
  if (s.ok()) s = CheckStatus(path.Field("status"), w.status(), true);
  if (s.ok()) {
    s = CheckText(path.Field("title"), w.title(), kMaxTitle,
                  TextRule::kUtf8Line);
  }
  return s;
}

absl::Status CheckNameServers(const Path& path, const DomainCheck& c) {
  if (c.name_servers_size() > kMaxNameServers) {
    return Bad(path, absl::StrCat("more than ", kMaxNameServers));
  }
  for (int i = 0; i < c.name_servers_size(); ++i) {
    const v6scope::v1::NameServerCheck& ns = c.name_servers(i);
    const Path at = path.At(i);
    absl::Status s = CheckName(at.Field("host"), ns.host());
    const Path soa = at.Field("soa");
    if (s.ok() && ns.soa_size() > kMaxSoaProbes) {
      s = Bad(soa, absl::StrCat("more than ", kMaxSoaProbes));
    }
    for (int k = 0; s.ok() && k < ns.soa_size(); ++k) {
      s = CheckProbe(soa.At(k), ns.soa(k));
    }
    if (!s.ok()) return s;
  }
  return absl::OkStatus();
}

absl::Status CheckMailAndWeb(const Path& path, const DomainCheck& c) {
  const Path mail = path.Field("mail");
  if (c.mail_size() > kMaxMail) {
    return Bad(mail, absl::StrCat("more than ", kMaxMail));
  }
  for (int i = 0; i < c.mail_size(); ++i) {
    absl::Status s = CheckName(mail.At(i).Field("host"), c.mail(i).host());
    if (!s.ok()) return s;
  }
  const Path web = path.Field("web");
  if (c.web_size() > kMaxWebFetches) {
    return Bad(web, absl::StrCat("more than ", kMaxWebFetches));
  }
  for (int i = 0; i < c.web_size(); ++i) {
    absl::Status s = CheckFetch(web.At(i), c.web(i));
    if (!s.ok()) return s;
  }
  return absl::OkStatus();
}

absl::Status CheckStartedAt(const Path& path, const DomainCheck& c) {
  if (!c.has_started_at()) return absl::OkStatus();
  const google::protobuf::Timestamp& ts = c.started_at();
  // The RFC 3339 range that google.protobuf.Timestamp allows.
  if (ts.seconds() < -62135596800 || ts.seconds() > 253402300799 ||
      ts.nanos() < 0 || ts.nanos() > 999999999) {
    return Bad(path, "timestamp out of range");
  }
  return absl::OkStatus();
}

absl::Status CheckDomainCheck(const Path& path, const DomainCheck& c) {
  if (!IsHostName(c.domain(), true)) {
    return Bad(path.Field("domain"),
               absl::StrCat("\"", text::Printable(c.domain().substr(0, 64)),
                            "\" is not a lower-case host name"));
  }
  absl::Status s = CheckStartedAt(path.Field("started_at"), c);
  if (s.ok()) s = CheckName(path.Field("apex"), c.apex());
  if (s.ok()) s = CheckName(path.Field("www"), c.www());
  if (s.ok()) s = CheckNameServers(path.Field("name_servers"), c);
  if (s.ok()) {
    s = CheckEnum(path.Field("ns_outcome"), c.ns_outcome(),
                  v6scope::v1::Outcome_IsValid, true);
  }
  if (s.ok()) {
    s = CheckEnum(path.Field("mx_outcome"), c.mx_outcome(),
                  v6scope::v1::Outcome_IsValid, true);
  }
  if (s.ok()) s = CheckMailAndWeb(path, c);
  if (s.ok())
    s = CheckNat64Prefix(path.Field("nat64_prefix"), c.nat64_prefix());
  return s;
}

// "a-" and 16 hex digits (proto/probe_service.proto, Assignment).
bool IsAssignmentId(absl::string_view id) {
  if (id.size() != 18 || !absl::StartsWith(id, "a-")) return false;
  for (char ch : id.substr(2)) {
    if (!absl::ascii_isxdigit(static_cast<unsigned char>(ch))) return false;
  }
  return true;
}

absl::Status CheckResult(const Path& path, const v6scope::v1::DomainResult& r) {
  if (!IsAssignmentId(r.assignment_id())) {
    return Bad(
        path.Field("assignment_id"),
        absl::StrCat("\"", text::Printable(r.assignment_id().substr(0, 64)),
                     "\" is not \"a-\" and 16 hex digits"));
  }
  if (!r.has_check()) return Bad(path.Field("check"), "must be set");
  return CheckDomainCheck(path.Field("check"), r.check());
}

}  // namespace

// One pass over the bytes (no split): this runs for every name of every
// result the collector ingests.
bool IsHostName(absl::string_view name, bool lower_only) {
  if (name.empty() || name.size() > kMaxHostName) return false;
  size_t label = 0;  // Bytes of the current label so far.
  for (char ch : name) {
    if (ch == '.') {
      if (label == 0) return false;  // An empty label.
      label = 0;
      continue;
    }
    const bool ok = (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
                    ch == '-' || ch == '_' ||
                    (!lower_only && ch >= 'A' && ch <= 'Z');
    if (!ok || ++label > 63) return false;
  }
  return label > 0;  // Not ending in a dot.
}

absl::Status ValidateDomainBatch(const v6scope::v1::DomainBatch& batch) {
  const Path results("results");
  if (batch.first_seq() == 0) {
    return Bad(Path("first_seq"), "must be at least 1");
  }
  if (batch.results_size() == 0) return Bad(results, "empty batch");
  if (batch.results_size() > kMaxDomainResultsPerBatch) {
    return Bad(results, absl::StrCat("more than ", kMaxDomainResultsPerBatch,
                                     " results in one batch"));
  }
  if (batch.first_seq() > kMaxSeq ||
      batch.first_seq() - 1 > kMaxSeq - batch.results_size()) {
    return Bad(Path("first_seq"),
               "the batch's sequence numbers would pass 2^63-1");
  }
  if (batch.dropped_results() > kMaxDroppedResults) {
    return Bad(Path("dropped_results"), "implausibly large");
  }
  for (int i = 0; i < batch.results_size(); ++i) {
    absl::Status s = CheckResult(results.At(i), batch.results(i));
    if (!s.ok()) return s;
  }
  return absl::OkStatus();
}

}  // namespace v6scope::collector::ingest
