#include "collector/enrich/fuzz/fuzz_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cstdlib>
#include <string>

#include "absl/strings/str_cat.h"
#include "common/log/log.h"

namespace v6scope::collector::enrich::fuzz {
namespace {

const std::string& ScratchPath() {
  static const std::string* path = [] {
    const char* tmp = std::getenv("TMPDIR");
    return new std::string(absl::StrCat(tmp != nullptr ? tmp : "/tmp",
                                        "/v6scope-enrich-fuzz.", ::getpid()));
  }();
  return *path;
}

}  // namespace

absl::StatusOr<DataFile> ReadAsDataFile(const uint8_t* data, size_t size) {
  const std::string& path = ScratchPath();
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  if (fd < 0) std::abort();  // The harness itself is broken: stop loudly.
  size_t done = 0;
  while (done < size) {
    const ssize_t n = ::write(fd, data + done, size - done);
    if (n <= 0) std::abort();
    done += static_cast<size_t>(n);
  }
  ::close(fd);
  return ReadDataFile(path);
}

const std::vector<net::IpAddress>& ProbeAddresses() {
  static const std::vector<net::IpAddress>* addresses = [] {
    auto* out = new std::vector<net::IpAddress>();
    for (const char* literal :
         {"0.0.0.0", "1.1.1.1", "10.0.0.1", "193.0.0.1", "255.255.255.255",
          "::", "::1", "2001:db8::1", "2001:67c:2e8::1", "2a00::1",
          "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "::ffff:1.2.3.4"}) {
      out->push_back(*net::IpAddress::Parse(literal));
    }
    return out;
  }();
  return *addresses;
}

bool BuildTablesFor(size_t size) { return size % 8 == 0; }

void SilenceLogs() {
  const int fd = ::open("/dev/null", O_WRONLY | O_CLOEXEC);
  if (fd >= 0) log::SetOutputFd(fd);
}

}  // namespace v6scope::collector::enrich::fuzz
