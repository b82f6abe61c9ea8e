// What the readiness check keeps of a home page's body: its <title> and a
// 64-bit SimHash of its words, so the same site fetched over IPv4 and
// IPv6 can be told from a different one without keeping either body.
//
// SimHash (Charikar 2002), as written here: tokens are the maximal runs of
// ASCII letters and digits, lower-cased (other bytes, UTF-8 included,
// separate tokens); each token's 64-bit FNV-1a hash votes +1 per set bit
// and -1 per clear bit, every token once per occurrence; bit i of the
// result is set when its vote is positive. No tokens: 0. Near-identical
// pages differ in few bits (HammingDistance).
#ifndef V6SCOPE_PROBE_READINESS_PAGE_DIGEST_H_
#define V6SCOPE_PROBE_READINESS_PAGE_DIGEST_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"

namespace v6scope::probe::readiness {

// 64-bit FNV-1a of `bytes`.
uint64_t Fnv1a64(absl::string_view bytes);

uint64_t SimHash(absl::string_view body);

int HammingDistance(uint64_t a, uint64_t b);

// Text of the first <title>...</title> (tag matched case-insensitively,
// attributes allowed), whitespace runs collapsed to one space, trimmed,
// cleaned to a UTF-8 line of at most 200 bytes; "" if none.
std::string ExtractTitle(absl::string_view body);

// SimHash and ExtractTitle of a body fed in pieces as it arrives, keeping
// none of it: the token in progress, the votes, and at most kMaxTitleSpan
// bytes from "<title" on. The same results as the functions on the whole
// body, except a title whose tag and text span more than kMaxTitleSpan
// bytes (cut there, as if the body ended).
class PageDigest {
 public:
  static constexpr size_t kMaxTitleSpan = 4096;

  void Add(absl::string_view piece);
  uint64_t simhash() const;
  std::string title() const;
  uint64_t bytes() const { return bytes_; }

 private:
  void AddTitle(absl::string_view piece);

  uint64_t bytes_ = 0;
  std::array<int64_t, 64> votes_{};
  bool any_ = false;
  bool in_token_ = false;
  uint64_t token_ = 0;  // FNV-1a of the token so far.
  // Before the title: the last bytes that may start "<title"; after: the
  // title's span from "<title" on, until "</title" or the span's bound.
  enum class TitleState { kSearching, kInTitle, kDone };
  TitleState title_state_ = TitleState::kSearching;
  std::string title_span_;
};

}  // namespace v6scope::probe::readiness

#endif  // V6SCOPE_PROBE_READINESS_PAGE_DIGEST_H_
