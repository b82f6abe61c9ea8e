// Fuzzes the text-format config parser with the three messages operators
// write by hand (collector config, probe config, target set): whatever the
// bytes, parsing returns a status and never crashes.
#include <cstddef>
#include <cstdint>
#include <string>

#include "common/config/text_proto.h"
#include "proto/config.pb.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  v6scope::v1::CollectorConfig collector;
  v6scope::v1::ProbeConfig probe;
  v6scope::v1::TargetSet targets;
  // The result is not checked: only a crash, leak or UB is a finding.
  (void)v6scope::config::ParseTextProto(text, "fuzz", &collector);
  (void)v6scope::config::ParseTextProto(text, "fuzz", &probe);
  (void)v6scope::config::ParseTextProto(text, "fuzz", &targets);
  return 0;
}
