#include "collector/store/readiness_rollup_codec.h"

#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "collector/store/varint.h"

namespace v6scope::collector::store {
namespace {

std::vector<uint64_t> Flat(const ServiceCounts& counts) {
  std::vector<uint64_t> flat;
  for (const aggregate::readiness::StateCounts& s : counts) {
    flat.insert(flat.end(), s.begin(), s.end());
  }
  return flat;
}

bool Unflat(const std::vector<uint64_t>& flat, ServiceCounts* counts) {
  const size_t states = aggregate::readiness::kStateCount;
  if (flat.size() != counts->size() * states) return false;
  for (size_t i = 0; i < flat.size(); ++i) {
    (*counts)[i / states][i % states] = flat[i];
  }
  return true;
}

}  // namespace

std::string EncodeCountsBlob(const ServiceCounts& counts) {
  std::string out;
  for (uint64_t v : Flat(counts)) PutVarint(v, &out);
  return out;
}

bool DecodeCountsBlob(absl::string_view blob, ServiceCounts* counts) {
  std::vector<uint64_t> flat;
  while (!blob.empty()) {
    uint64_t v = 0;
    if (!GetVarint(&blob, &v)) return false;
    flat.push_back(v);
  }
  return Unflat(flat, counts);
}

std::string EncodeAsnsBlob(const std::vector<uint32_t>& asns) {
  std::string out;
  uint32_t previous = 0;
  for (uint32_t asn : asns) {
    PutVarint(asn - previous, &out);
    previous = asn;
  }
  return out;
}

bool DecodeAsnsBlob(absl::string_view blob, std::vector<uint32_t>* asns) {
  asns->clear();
  uint64_t previous = 0;
  while (!blob.empty()) {
    uint64_t delta = 0;
    if (!GetVarint(&blob, &delta)) return false;
    previous += delta;
    if (previous > UINT32_MAX) return false;
    asns->push_back(static_cast<uint32_t>(previous));
  }
  return true;
}

std::string CountsArrayLiteral(const ServiceCounts& counts) {
  return absl::StrCat("{", absl::StrJoin(Flat(counts), ","), "}");
}

std::string AsnsArrayLiteral(const std::vector<uint32_t>& asns) {
  return absl::StrCat("{", absl::StrJoin(asns, ","), "}");
}

bool ParseJoinedCounts(absl::string_view text, ServiceCounts* counts) {
  std::vector<uint64_t> flat;
  for (absl::string_view part : absl::StrSplit(text, ',', absl::SkipEmpty())) {
    uint64_t v = 0;
    if (!absl::SimpleAtoi(part, &v)) return false;
    flat.push_back(v);
  }
  return Unflat(flat, counts);
}

bool ParseJoinedAsns(absl::string_view text, std::vector<uint32_t>* asns) {
  asns->clear();
  for (absl::string_view part : absl::StrSplit(text, ',', absl::SkipEmpty())) {
    uint32_t v = 0;
    if (!absl::SimpleAtoi(part, &v)) return false;
    asns->push_back(v);
  }
  return true;
}

}  // namespace v6scope::collector::store
