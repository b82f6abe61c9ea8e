#include "cli/connection_hint.h"

#include "absl/strings/str_cat.h"

namespace v6scope::cli {

std::string WithConnectionHint(const absl::Status& status, bool has_ca_file) {
  std::string line = status.ToString();
  if (status.code() != absl::StatusCode::kUnavailable || has_ca_file) {
    return line;
  }
  return absl::StrCat(
      line,
      " (if the collector uses TLS, give its CA certificate with "
      "--ca_file=PEM; a certificate from a public CA: "
      "--ca_file=/etc/ssl/certs/ca-certificates.crt, the system store)");
}

}  // namespace v6scope::cli
