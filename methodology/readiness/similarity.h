// The same-site test of readiness 1 (docs/methodology.md §13.3): whether
// the home page fetched over IPv6 is the site fetched over IPv4. Pure
// functions of the two fetches; thread-safe.
#ifndef V6SCOPE_METHODOLOGY_READINESS_SIMILARITY_H_
#define V6SCOPE_METHODOLOGY_READINESS_SIMILARITY_H_

#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"
#include "proto/readiness.pb.h"

namespace v6scope::methodology::readiness {

// The largest Hamming distance between the two bodies' 64-bit SimHashes
// that still counts as the same content. Each bit of a SimHash differs
// with probability angle/pi between the pages' word vectors (Charikar
// 2002), so 16 bits (a quarter) is an angle of pi/4, a cosine similarity
// of about 0.71. A dynamic home page fetched twice seconds apart (cosine
// 0.9: mean distance 9.2) exceeds it about once in 130 fetches; unrelated
// pages (independent bits: mean 32) fall under it about once in 26,000.
// Pages built on one template (cosine 0.5) fall under it one time in ten,
// which is why the title and the size are tested too. The 3 bits of
// near-duplicate crawling would call every news-style front page a
// different site.
inline constexpr int kMaxSimHashDistance = 16;

// Number of differing bits.
int SimHashDistance(uint64_t a, uint64_t b);
// The smaller body is at least half the larger (2 * min >= max); two
// bodies cut by the probe's cap count as equal.
bool SizesSimilar(const v6scope::v1::WebFetch& a,
                  const v6scope::v1::WebFetch& b);
// Trimmed, inner whitespace runs collapsed to one space, ASCII lower case.
std::string NormalizedTitle(absl::string_view title);

struct SiteComparison {
  bool same = true;
  // What differs, in a fixed order ("status 200 vs 404; title ..."), empty
  // when the same. At most a few hundred bytes of printable ASCII.
  std::string difference;
};

// Same site: the same status class, the same final host, equal
// normalized titles, SimHash distance at most kMaxSimHashDistance and
// similar sizes. Each catches what the others miss: the status a broken
// backend, the host a redirect elsewhere, the title a default or parked
// page, the SimHash other text under the same title, the size a stub or
// an empty body (whose SimHash says nothing).
SiteComparison CompareSites(const v6scope::v1::WebFetch& v4,
                            const v6scope::v1::WebFetch& v6);

}  // namespace v6scope::methodology::readiness

#endif  // V6SCOPE_METHODOLOGY_READINESS_SIMILARITY_H_
