#include "cli/read_key.h"

#include <utility>

#include "absl/strings/str_cat.h"

namespace v6scope::cli {
namespace {

// Process-wide: the CLI makes one command's calls, all with the same key.
std::string& Key() {
  static std::string* key = new std::string();
  return *key;
}

}  // namespace

void SetReadKey(std::string key) { Key() = std::move(key); }

void AddReadKey(grpc::ClientContext& context) {
  if (!Key().empty()) {
    context.AddMetadata("authorization", absl::StrCat("Bearer ", Key()));
  }
}

}  // namespace v6scope::cli
