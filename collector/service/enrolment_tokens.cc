#include "collector/service/enrolment_tokens.h"

#include <cctype>
#include <string>

#include "absl/strings/str_cat.h"
#include "common/crypto/secrets.h"
#include "common/log/log.h"
#include "google/protobuf/util/time_util.h"

namespace v6scope::collector::service {
namespace {

using google::protobuf::util::TimeUtil;

constexpr absl::Duration kDefaultTokenLifetime = absl::Hours(24 * 7);

bool IsValidOrg(const std::string& org) {
  if (org.empty() || org.size() > 64) return false;
  for (char c : org) {
    if (!(isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' ||
          c == '-')) {
      return false;
    }
  }
  return true;
}

// The requested expiry, checked before any conversion: a Timestamp outside
// 0001-01-01..9999-12-31 (or with invalid nanos) would overflow the
// microsecond arithmetic and be stored as a wrong expiry.
absl::StatusOr<absl::Time> TokenExpiry(
    const v6scope::v1::CreateEnrolmentTokenRequest& req, absl::Time now) {
  if (!req.has_expires_at()) return now + kDefaultTokenLifetime;
  const google::protobuf::Timestamp& ts = req.expires_at();
  if (ts.seconds() > TimeUtil::kTimestampMaxSeconds || ts.nanos() < 0 ||
      ts.nanos() > 999'999'999) {
    return absl::InvalidArgumentError(
        "expires_at: after 9999-12-31T23:59:59Z or not a valid timestamp");
  }
  const absl::Time expires =
      absl::FromUnixSeconds(ts.seconds()) + absl::Nanoseconds(ts.nanos());
  if (expires <= now) {
    return absl::InvalidArgumentError("expires_at: must be in the future");
  }
  return expires;
}

}  // namespace

absl::StatusOr<v6scope::v1::CreateEnrolmentTokenResponse> IssueEnrolmentToken(
    const v6scope::v1::CreateEnrolmentTokenRequest& req,
    store::ProbeRegistry& registry, absl::Time now) {
  if (!IsValidOrg(req.org())) {
    return absl::InvalidArgumentError(
        "org: must be 1..64 characters of [A-Za-z0-9._-]");
  }
  absl::StatusOr<absl::Time> expires = TokenExpiry(req, now);
  if (!expires.ok()) return expires.status();
  absl::StatusOr<std::string> secret = crypto::RandomHex(16);
  if (!secret.ok()) return secret.status();
  const std::string token = absl::StrCat("et-", *secret);
  store::EnrolmentTokenRecord record;
  record.token_hash = crypto::Sha256Hex(token);
  record.org = req.org();
  record.created_at = now;
  record.expires_at = *expires;
  record.collector_vantage = req.collector_vantage();
  absl::Status s = registry.AddEnrolmentToken(record);
  if (!s.ok()) return s;
  v6scope::v1::CreateEnrolmentTokenResponse resp;
  resp.set_token(token);
  *resp.mutable_expires_at() =
      TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(*expires));
  log::Info("token.created", {{"org", req.org()},
                              {"expires", absl::FormatTime(*expires)},
                              {"collector_vantage", req.collector_vantage()}});
  return resp;
}

}  // namespace v6scope::collector::service
