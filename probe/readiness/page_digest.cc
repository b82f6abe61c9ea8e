#include "probe/readiness/page_digest.h"

#include <algorithm>
#include <array>
#include <bitset>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "common/text/text_rules.h"

namespace v6scope::probe::readiness {
namespace {

constexpr uint64_t kFnvOffset = 14695981039346656037ull;
constexpr uint64_t kFnvPrime = 1099511628211ull;
constexpr size_t kMaxTitle = 200;

uint64_t Fnv1aLower(absl::string_view bytes) {
  uint64_t hash = kFnvOffset;
  for (char c : bytes) {
    hash ^= static_cast<uint8_t>(absl::ascii_tolower(static_cast<uint8_t>(c)));
    hash *= kFnvPrime;
  }
  return hash;
}

// Position of `needle` in `hay` from `from`, ASCII case-insensitively.
size_t FindNoCase(absl::string_view hay, absl::string_view needle,
                  size_t from) {
  for (size_t i = from; i + needle.size() <= hay.size(); ++i) {
    if (absl::EqualsIgnoreCase(hay.substr(i, needle.size()), needle)) return i;
  }
  return absl::string_view::npos;
}

}  // namespace

uint64_t Fnv1a64(absl::string_view bytes) {
  uint64_t hash = kFnvOffset;
  for (char c : bytes) {
    hash ^= static_cast<uint8_t>(c);
    hash *= kFnvPrime;
  }
  return hash;
}

uint64_t SimHash(absl::string_view body) {
  std::array<int64_t, 64> votes{};
  bool any = false;
  size_t i = 0;
  while (i < body.size()) {
    if (!absl::ascii_isalnum(static_cast<uint8_t>(body[i]))) {
      ++i;
      continue;
    }
    size_t end = i;
    while (end < body.size() &&
           absl::ascii_isalnum(static_cast<uint8_t>(body[end]))) {
      ++end;
    }
    const uint64_t hash = Fnv1aLower(body.substr(i, end - i));
    for (int bit = 0; bit < 64; ++bit) votes[bit] += (hash >> bit) & 1 ? 1 : -1;
    any = true;
    i = end;
  }
  uint64_t result = 0;
  for (int bit = 0; any && bit < 64; ++bit) {
    if (votes[bit] > 0) result |= uint64_t{1} << bit;
  }
  return result;
}

int HammingDistance(uint64_t a, uint64_t b) {
  return static_cast<int>(std::bitset<64>(a ^ b).count());
}

std::string ExtractTitle(absl::string_view body) {
  size_t open = FindNoCase(body, "<title", 0);
  while (open != absl::string_view::npos) {
    const char next = open + 6 < body.size() ? body[open + 6] : '\0';
    if (next == '>' || absl::ascii_isspace(static_cast<uint8_t>(next))) break;
    open = FindNoCase(body, "<title", open + 6);  // e.g. <titles>.
  }
  if (open == absl::string_view::npos) return "";
  const size_t start = body.find('>', open);
  if (start == absl::string_view::npos) return "";
  size_t close = FindNoCase(body, "</title", start + 1);
  if (close == absl::string_view::npos) close = body.size();
  std::string text;
  for (char c : body.substr(start + 1, close - start - 1)) {
    const bool space = absl::ascii_isspace(static_cast<uint8_t>(c));
    if (space && (text.empty() || text.back() == ' ')) continue;
    text.push_back(space ? ' ' : c);
  }
  if (!text.empty() && text.back() == ' ') text.pop_back();
  return text::CleanUtf8Line(text, kMaxTitle);
}

void PageDigest::Add(absl::string_view piece) {
  bytes_ += piece.size();
  for (char c : piece) {
    const uint8_t u = static_cast<uint8_t>(c);
    if (absl::ascii_isalnum(u)) {
      if (!in_token_) token_ = kFnvOffset;
      in_token_ = true;
      token_ ^= static_cast<uint8_t>(absl::ascii_tolower(u));
      token_ *= kFnvPrime;
      continue;
    }
    if (!in_token_) continue;
    in_token_ = false;
    any_ = true;
    for (int bit = 0; bit < 64; ++bit)
      votes_[bit] += (token_ >> bit) & 1 ? 1 : -1;
  }
  AddTitle(piece);
}

// The opening tag is looked for in what is carried over plus the piece;
// only the last 6 bytes (a "<title" whose next byte has not come yet, or
// part of one) are carried to the next piece.
void PageDigest::AddTitle(absl::string_view piece) {
  if (title_state_ == TitleState::kDone) return;
  if (title_state_ == TitleState::kSearching) {
    title_span_.append(piece.data(), piece.size());
    size_t open = FindNoCase(title_span_, "<title", 0);
    while (open != absl::string_view::npos && open + 6 < title_span_.size()) {
      const uint8_t next = static_cast<uint8_t>(title_span_[open + 6]);
      if (next == '>' || absl::ascii_isspace(next)) break;
      open = FindNoCase(title_span_, "<title", open + 6);
    }
    if (open == absl::string_view::npos || open + 6 >= title_span_.size()) {
      const size_t keep = std::min<size_t>(title_span_.size(), 6);
      title_span_.erase(0, title_span_.size() - keep);
      return;
    }
    title_span_.erase(0, open);
    title_state_ = TitleState::kInTitle;
  } else {
    title_span_.append(piece.data(), piece.size());
  }
  const size_t tag_end = title_span_.find('>');
  if ((tag_end != std::string::npos &&
       FindNoCase(title_span_, "</title", tag_end + 1) != std::string::npos) ||
      title_span_.size() >= kMaxTitleSpan) {
    title_span_.resize(std::min(title_span_.size(), kMaxTitleSpan));
    title_state_ = TitleState::kDone;
  }
}

uint64_t PageDigest::simhash() const {
  std::array<int64_t, 64> votes = votes_;
  const bool any = any_ || in_token_;
  if (in_token_) {  // The body ended inside a token.
    for (int bit = 0; bit < 64; ++bit)
      votes[bit] += (token_ >> bit) & 1 ? 1 : -1;
  }
  uint64_t result = 0;
  for (int bit = 0; any && bit < 64; ++bit) {
    if (votes[bit] > 0) result |= uint64_t{1} << bit;
  }
  return result;
}

std::string PageDigest::title() const {
  return title_state_ == TitleState::kSearching ? ""
                                                : ExtractTitle(title_span_);
}

}  // namespace v6scope::probe::readiness
