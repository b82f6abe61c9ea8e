#include "common/crypto/secret_file.h"

#include <fstream>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"

namespace v6scope::crypto {
namespace {

// Far above any v6scope secret; bounds what a wrong path can make us read.
constexpr size_t kMaxSecretBytes = 4096;

absl::StatusOr<std::string> FirstLine(std::istream& in,
                                      const std::string& what) {
  std::string line;
  line.reserve(128);
  char c;
  while (in.get(c) && c != '\n') {
    if (line.size() == kMaxSecretBytes) {
      return absl::InvalidArgumentError(
          absl::StrCat(what, ": longer than ", kMaxSecretBytes, " bytes"));
    }
    line.push_back(c);
  }
  if (in.bad())
    return absl::UnavailableError(absl::StrCat(what, ": read error"));
  std::string secret(absl::StripAsciiWhitespace(line));
  if (secret.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(what, ": empty"));
  }
  return secret;
}

}  // namespace

absl::StatusOr<std::string> ReadSecret(const std::string& path,
                                       std::istream& stdin_stream) {
  if (path == "-") return FirstLine(stdin_stream, "standard input");
  std::ifstream file(path);
  if (!file) {
    return absl::NotFoundError(absl::StrCat("cannot open ", path));
  }
  return FirstLine(file, path);
}

}  // namespace v6scope::crypto
