#include "probe/campaign/assignment_file.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "common/fs/files.h"
#include "probe/spool/crc32c.h"

namespace v6scope::probe::campaign {
namespace {

constexpr absl::string_view kMagic = "V6A1";
constexpr size_t kHeaderBytes = 12;

void Put32(std::string* out, uint32_t v) {
  for (int i = 0; i < 4; ++i) out->push_back(static_cast<char>(v >> (8 * i)));
}
uint32_t Get32(absl::string_view s) {
  uint32_t v = 0;
  for (int i = 0; i < 4; ++i) {
    v |= uint32_t{static_cast<unsigned char>(s[i])} << (8 * i);
  }
  return v;
}

}  // namespace

absl::Status WriteAssignmentFile(const std::string& path,
                                 const v6scope::v1::Assignment& assignment) {
  const std::string payload = assignment.SerializeAsString();
  std::string out(kMagic);
  Put32(&out, static_cast<uint32_t>(payload.size()));
  Put32(&out, spool::Crc32c(payload));
  out += payload;
  return fs::WriteFileAtomically(path, out, 0600);
}

absl::StatusOr<v6scope::v1::Assignment> ReadAssignmentFile(
    const std::string& path) {
  absl::StatusOr<std::string> text = fs::ReadFile(path);
  if (!text.ok()) return text.status();
  const absl::string_view s = *text;
  if (s.size() < kHeaderBytes || s.substr(0, 4) != kMagic) {
    return absl::DataLossError(absl::StrCat("no assignment header in ", path));
  }
  const absl::string_view payload = s.substr(kHeaderBytes);
  if (Get32(s.substr(4)) != payload.size()) {
    return absl::DataLossError(
        absl::StrCat("length mismatch in ", path, " (truncated?)"));
  }
  if (Get32(s.substr(8)) != spool::Crc32c(payload)) {
    return absl::DataLossError(absl::StrCat("bad CRC in ", path));
  }
  v6scope::v1::Assignment a;
  if (!a.ParseFromString(std::string(payload))) {
    return absl::DataLossError(absl::StrCat("unparsable assignment in ", path));
  }
  return a;
}

}  // namespace v6scope::probe::campaign
