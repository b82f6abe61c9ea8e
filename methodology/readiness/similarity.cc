#include "methodology/readiness/similarity.h"

#include <algorithm>
#include <bitset>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"
#include "methodology/readiness/addresses.h"
#include "methodology/readiness/text.h"
#include "proto/readiness.pb.h"

namespace v6scope::methodology::readiness {
namespace {

using v6scope::v1::WebFetch;

// Titles quoted in a difference: enough to recognise a default page.
constexpr size_t kMaxTitle = 40;

std::string Quoted(absl::string_view title) {
  return absl::StrCat("\"", Clean(title, kMaxTitle), "\"");
}

}  // namespace

int SimHashDistance(uint64_t a, uint64_t b) {
  return static_cast<int>(std::bitset<64>(a ^ b).count());
}

bool SizesSimilar(const WebFetch& a, const WebFetch& b) {
  if (a.body_truncated() && b.body_truncated()) return true;
  const uint64_t low = std::min(a.body_bytes(), b.body_bytes());
  const uint64_t high = std::max(a.body_bytes(), b.body_bytes());
  // Bodies are capped far below 2^63, so 2 * low cannot overflow.
  return 2 * low >= high;
}

std::string NormalizedTitle(absl::string_view title) {
  std::string out;
  bool space = false;
  for (char c : absl::StripAsciiWhitespace(title)) {
    if (absl::ascii_isspace(static_cast<unsigned char>(c))) {
      space = true;
      continue;
    }
    if (space) out.push_back(' ');
    space = false;
    out.push_back(absl::ascii_tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

SiteComparison CompareSites(const WebFetch& v4, const WebFetch& v6) {
  std::vector<std::string> diffs;
  if (v4.status() / 100 != v6.status() / 100) {
    diffs.push_back(absl::StrCat("status ", v4.status(), " vs ", v6.status()));
  }
  const std::string host4 = HostOfUrl(v4.final_url());
  const std::string host6 = HostOfUrl(v6.final_url());
  if (host4 != host6) {
    diffs.push_back(
        absl::StrCat("final host ", Clean(host4), " vs ", Clean(host6)));
  }
  if (NormalizedTitle(v4.title()) != NormalizedTitle(v6.title())) {
    diffs.push_back(
        absl::StrCat("title ", Quoted(v4.title()), " vs ", Quoted(v6.title())));
  }
  const int distance = SimHashDistance(v4.body_simhash(), v6.body_simhash());
  if (distance > kMaxSimHashDistance) {
    diffs.push_back(absl::StrCat("content ", distance,
                                 " of 64 SimHash bits "
                                 "apart (at most ",
                                 kMaxSimHashDistance, ")"));
  }
  if (!SizesSimilar(v4, v6)) {
    diffs.push_back(absl::StrCat("size ", v4.body_bytes(), " vs ",
                                 v6.body_bytes(), " bytes"));
  }
  return SiteComparison{diffs.empty(), absl::StrJoin(diffs, "; ")};
}

}  // namespace v6scope::methodology::readiness
