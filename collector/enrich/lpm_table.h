// Longest-prefix match over one address family (or the 32-bit ASN space),
// built once and immutable afterwards.
//
// Structure: the nested prefixes are flattened at build time into the
// disjoint address intervals they induce, each labelled with its most
// specific covering prefix (or none). A lookup is a binary search for the
// last interval starting at or below the address, narrowed first by a
// 65,536-entry index on the top 16 bits, so it touches a handful of cache
// lines: ~1 M CAIDA IPv4 intervals give ~15 per /16 bucket, i.e. 4 steps.
// Why not a trie or DIR-24-8: see docs/attribution.md ("Lookup structure").
//
// Entries are numbered in the order they were added and carry a payload
// (what the prefix maps to) stored beside the prefix itself.
//
// Thread-safety: a built table is immutable; any number of threads may
// look up concurrently without locks.
#ifndef V6SCOPE_COLLECTOR_ENRICH_LPM_TABLE_H_
#define V6SCOPE_COLLECTOR_ENRICH_LPM_TABLE_H_

#include <sys/mman.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <numeric>
#include <utility>
#include <vector>

#include "absl/numeric/int128.h"
#include "common/net/ip_address.h"

namespace v6scope::collector::enrich {

// Width and bit arithmetic of a key type: uint32_t (IPv4, ASNs) or
// absl::uint128 (IPv6).
template <typename Key>
struct KeyTraits;

template <>
struct KeyTraits<uint32_t> {
  static constexpr int kBits = 32;
  static constexpr uint32_t kMax = ~uint32_t{0};
  // The bits after the first `length` (0..32), all ones.
  static uint32_t HostMask(int length) {
    return length >= kBits ? 0 : kMax >> length;
  }
  static uint32_t Bucket(uint32_t key) { return key >> 16; }
  static uint32_t BucketStart(uint32_t bucket) { return bucket << 16; }
};

template <>
struct KeyTraits<absl::uint128> {
  static constexpr int kBits = 128;
  static absl::uint128 Max() { return absl::Uint128Max(); }
  static absl::uint128 HostMask(int length) {
    return length >= kBits ? absl::uint128(0) : absl::Uint128Max() >> length;
  }
  static uint32_t Bucket(absl::uint128 key) {
    return static_cast<uint32_t>(absl::Uint128High64(key) >> 48);
  }
  static absl::uint128 BucketStart(uint32_t bucket) {
    return absl::MakeUint128(uint64_t{bucket} << 48, 0);
  }
};

// Keys of addresses, numerically ordered like the addresses.
inline uint32_t V4Key(const net::IpAddress& address) {
  const auto& b = address.bytes();
  return uint32_t{b[0]} << 24 | uint32_t{b[1]} << 16 | uint32_t{b[2]} << 8 |
         uint32_t{b[3]};
}
inline absl::uint128 V6Key(const net::IpAddress& address) {
  const auto& b = address.bytes();
  uint64_t high = 0;
  uint64_t low = 0;
  for (int i = 0; i < 8; ++i) high = high << 8 | b[i];
  for (int i = 8; i < 16; ++i) low = low << 8 | b[i];
  return absl::MakeUint128(high, low);
}
inline net::IpAddress V4Address(uint32_t key) {
  return net::IpAddress::FromV4Bytes(
      {static_cast<uint8_t>(key >> 24), static_cast<uint8_t>(key >> 16),
       static_cast<uint8_t>(key >> 8), static_cast<uint8_t>(key)});
}
inline net::IpAddress V6Address(absl::uint128 key) {
  std::array<uint8_t, net::IpAddress::kV6Size> bytes{};
  uint64_t high = absl::Uint128High64(key);
  uint64_t low = absl::Uint128Low64(key);
  for (int i = 7; i >= 0; --i, high >>= 8) bytes[i] = high & 0xff;
  for (int i = 15; i >= 8; --i, low >>= 8) bytes[i] = low & 0xff;
  return net::IpAddress::FromV6Bytes(bytes);
}

// What an entry carries when the caller keeps its payload elsewhere.
struct NoPayload {};

// Allocator for the big lookup arrays: blocks of 2 MiB and more come from
// mmap, 2 MiB-aligned and marked MADV_HUGEPAGE, so that random lookups over
// tens of MiB do not miss the TLB on nearly every access (the kernel's
// transparent huge pages are usually "madvise"-only). Smaller blocks come
// from operator new. Out of memory aborts, as operator new would.
template <typename T>
struct HugePageAllocator {
  using value_type = T;
  static constexpr size_t kHugePage = size_t{2} << 20;

  HugePageAllocator() = default;
  template <typename U>
  HugePageAllocator(const HugePageAllocator<U>&) {}  // NOLINT: rebinding.

  T* allocate(size_t n) {
    const size_t bytes = n * sizeof(T);
    if (bytes < kHugePage) return static_cast<T*>(::operator new(bytes));
    // Map one huge page more than needed, then unmap the slop around the
    // 2 MiB-aligned part.
    const size_t size = Rounded(bytes);
    void* p = mmap(nullptr, size + kHugePage, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) {
      std::fprintf(stderr, "lpm_table: out of memory mapping %zu bytes\n",
                   size);
      std::abort();
    }
    const uintptr_t raw = reinterpret_cast<uintptr_t>(p);
    const uintptr_t aligned = (raw + kHugePage - 1) & ~(kHugePage - 1);
    if (aligned > raw) munmap(p, aligned - raw);
    const uintptr_t end = raw + size + kHugePage;
    if (end > aligned + size) {
      munmap(reinterpret_cast<void*>(aligned + size), end - (aligned + size));
    }
    void* block = reinterpret_cast<void*>(aligned);
    madvise(block, size, MADV_HUGEPAGE);  // Advisory: failure is fine.
    return static_cast<T*>(block);
  }
  void deallocate(T* p, size_t n) {
    const size_t bytes = n * sizeof(T);
    if (bytes < kHugePage) {
      ::operator delete(p);
    } else {
      munmap(p, Rounded(bytes));
    }
  }
  friend bool operator==(const HugePageAllocator&, const HugePageAllocator&) {
    return true;
  }
  friend bool operator!=(const HugePageAllocator&, const HugePageAllocator&) {
    return false;
  }

 private:
  static size_t Rounded(size_t bytes) {
    return (bytes + kHugePage - 1) / kHugePage * kHugePage;
  }
};

template <typename Key, typename Payload = NoPayload>
class LpmTable {
 public:
  using Traits = KeyTraits<Key>;
  static constexpr uint32_t kNone = ~uint32_t{0};

  // One prefix and what it maps to; stored together so that a lookup
  // touches one cache line for both.
  struct Entry {
    Key start;
    uint32_t parent;  // The longest other entry containing this one; kNone.
    uint8_t length;
    Payload payload;
  };

  // Collects prefixes, then builds the table. Load-time only.
  class Builder {
   public:
    // Adds start/length and returns its entry number. Host bits of `start`
    // are cleared. If the same prefix is added again, the later entry wins
    // and the earlier is never matched.
    uint32_t Add(Key start, int length, Payload payload = Payload()) {
      length = std::clamp(length, 0, Traits::kBits);
      entries_.push_back({start & ~Traits::HostMask(length), kNone,
                          static_cast<uint8_t>(length), std::move(payload)});
      return static_cast<uint32_t>(entries_.size() - 1);
    }
    size_t size() const { return entries_.size(); }
    LpmTable Build() &&;

   private:
    std::vector<Entry, HugePageAllocator<Entry>> entries_;
  };

  // A table without prefixes: every lookup gives kNone.
  LpmTable() : intervals_{{Key(0), kNone}}, bucket_first_(kBuckets + 1, 0) {}

  // Entry number of the longest prefix containing `key`, or kNone.
  uint32_t Lookup(Key key) const {
    const uint32_t bucket = Traits::Bucket(key);
    const auto first = intervals_.begin() + bucket_first_[bucket];
    const auto last = intervals_.begin() + bucket_first_[bucket + 1] + 1;
    // first->start <= key always holds.
    const auto it = std::upper_bound(
        first + 1, last, key,
        [](const Key& k, const Interval& i) { return k < i.start; });
    return (it - 1)->entry;
  }

  // Entry number of the longest prefix that contains all of start/length
  // (a /24 or /48 that probes report), or kNone.
  uint32_t LookupCovering(Key start, int length) const {
    uint32_t e = Lookup(start);
    while (e != kNone && entries_[e].length > length) e = entries_[e].parent;
    return e;
  }

  size_t size() const { return entries_.size(); }
  size_t interval_count() const { return intervals_.size(); }
  const Entry& entry(uint32_t e) const { return entries_[e]; }
  uint32_t parent(uint32_t e) const { return entries_[e].parent; }
  // Heap bytes held.
  size_t MemoryBytes() const {
    return entries_.capacity() * sizeof(Entry) +
           intervals_.capacity() * sizeof(Interval) +
           bucket_first_.capacity() * sizeof(uint32_t);
  }

 private:
  static constexpr uint32_t kBuckets = 1u << 16;

  // [start, next interval's start) maps to `entry` (or kNone).
  struct Interval {
    Key start;
    uint32_t entry;
  };

  Key End(uint32_t e) const {
    return entries_[e].start | Traits::HostMask(entries_[e].length);
  }
  // Starts a new interval at `from` labelled `value`, merging with the
  // previous one when the label is the same, replacing it when it would be
  // empty (it started at `from` too).
  void Emit(Key from, uint32_t value);
  void Flatten(const std::vector<uint32_t>& order);
  void IndexBuckets();

  std::vector<Entry, HugePageAllocator<Entry>> entries_;  // By entry number.
  // Disjoint intervals covering the whole key space, in order.
  std::vector<Interval, HugePageAllocator<Interval>> intervals_;
  // bucket_first_[b]: the interval containing the first key of bucket b;
  // bucket_first_[kBuckets] = the last interval.
  std::vector<uint32_t> bucket_first_;
};

template <typename Key, typename Payload>
LpmTable<Key, Payload> LpmTable<Key, Payload>::Builder::Build() && {
  LpmTable table;
  table.entries_ = std::move(entries_);
  const auto& entries = table.entries_;
  std::vector<uint32_t> order(entries.size());
  std::iota(order.begin(), order.end(), 0u);
  // Containers before what they contain; equal prefixes by entry number.
  std::sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
    if (entries[a].start != entries[b].start) {
      return entries[a].start < entries[b].start;
    }
    if (entries[a].length != entries[b].length) {
      return entries[a].length < entries[b].length;
    }
    return a < b;
  });
  // Of equal prefixes keep the last added.
  std::vector<uint32_t> kept;
  kept.reserve(order.size());
  for (size_t i = 0; i < order.size(); ++i) {
    const bool shadowed =
        i + 1 < order.size() &&
        entries[order[i]].start == entries[order[i + 1]].start &&
        entries[order[i]].length == entries[order[i + 1]].length;
    if (!shadowed) kept.push_back(order[i]);
  }
  table.Flatten(kept);
  table.IndexBuckets();
  return table;
}

template <typename Key, typename Payload>
void LpmTable<Key, Payload>::Emit(Key from, uint32_t value) {
  if (!intervals_.empty() && intervals_.back().start == from) {
    intervals_.back().entry = value;
    const size_t n = intervals_.size();
    if (n >= 2 && intervals_[n - 2].entry == value) intervals_.pop_back();
    return;
  }
  if (!intervals_.empty() && intervals_.back().entry == value) return;
  intervals_.push_back({from, value});
}

// One sweep in address order with a stack of the prefixes containing the
// current point (prefixes nest or are disjoint, never overlap partially).
template <typename Key, typename Payload>
void LpmTable<Key, Payload>::Flatten(const std::vector<uint32_t>& order) {
  intervals_.clear();
  intervals_.reserve(order.size() * 2 + 1);
  Emit(Key(0), kNone);
  std::vector<uint32_t> stack;
  // Pops the innermost open prefix; the point after its end belongs to
  // the next one out (or to none).
  auto close_top = [&]() -> bool {
    const Key end = End(stack.back());
    stack.pop_back();
    if (end == ~Key(0)) return false;  // Reached the end of the key space.
    Emit(end + 1, stack.empty() ? kNone : stack.back());
    return true;
  };
  for (uint32_t e : order) {
    const Key start = entries_[e].start;
    while (!stack.empty() && End(stack.back()) < start) close_top();
    entries_[e].parent = stack.empty() ? kNone : stack.back();
    Emit(start, e);
    stack.push_back(e);
  }
  while (!stack.empty() && close_top()) {
  }
  intervals_.shrink_to_fit();
}

template <typename Key, typename Payload>
void LpmTable<Key, Payload>::IndexBuckets() {
  bucket_first_.assign(kBuckets + 1, 0);
  size_t interval = 0;
  for (uint32_t bucket = 0; bucket < kBuckets; ++bucket) {
    const Key first_key = Traits::BucketStart(bucket);
    while (interval + 1 < intervals_.size() &&
           intervals_[interval + 1].start <= first_key) {
      ++interval;
    }
    bucket_first_[bucket] = static_cast<uint32_t>(interval);
  }
  bucket_first_[kBuckets] = static_cast<uint32_t>(intervals_.size() - 1);
}

}  // namespace v6scope::collector::enrich

#endif  // V6SCOPE_COLLECTOR_ENRICH_LPM_TABLE_H_
