// The table's bloom filter: one filter over the USER keys of the whole table.
//
// Layout of the filter block contents:
//   +---------------------------------+----------------------+
//   | bit array (num_bytes, >= 8)     | num_probes (1 byte)  |
//   +---------------------------------+----------------------+
// Key k sets bits (h1 + i*h2) mod (8*num_bytes) for i in [0, num_probes),
// where h = XXH3_64(k), h1 = low 32 bits, h2 = high 32 bits (double hashing).
//
// BloomFilterBuilder is used by one thread. BloomFilterReader is immutable
// and thread-safe; it keeps a view of the bytes, which the owner keeps alive.
#ifndef LODE_TABLE_BLOOM_FILTER_H_
#define LODE_TABLE_BLOOM_FILTER_H_

#include <cstdint>
#include <string>
#include <vector>

#include "lode/slice.h"

namespace lode {

// Two layouts (doc/table_format.md, "Filter block"); both end with the probe
// count, the blocked one with a marker byte after it:
//   kBlocked: every probe of a key falls in one 64-byte block (one cache
//             line), so a lookup costs one cache miss instead of one per
//             probe. What the builder writes.
//   kPlain:   probes spread over the whole bit array (tables written before
//             the blocked layout); still read.
enum class BloomLayout { kPlain, kBlocked };

// The byte that ends a blocked filter; never a valid plain probe count.
inline constexpr unsigned char kBlockedBloomMarker = 0xB1;
inline constexpr size_t kBloomBlockBytes = 64;

class BloomFilterBuilder {
 public:
  // REQUIRES: bits_per_key > 0
  explicit BloomFilterBuilder(int bits_per_key, BloomLayout layout = BloomLayout::kBlocked);

  // Adds a user key; a repeat of the previous key is ignored, so the versions
  // of one key cost one entry.
  void AddKey(const Slice& user_key);
  size_t num_keys() const { return hashes_.size(); }
  // Appends the filter bytes to *dst.
  void Finish(std::string* dst);

 private:
  const int bits_per_key_;
  const BloomLayout layout_;
  std::vector<uint64_t> hashes_;
  std::string last_key_;
  bool has_last_ = false;
};

class BloomFilterReader {
 public:
  // Keeps a view of contents (a blocked filter is read fastest when contents
  // start on a 64-byte boundary); a malformed filter (too short, bad probe
  // count, a blocked array that is not whole blocks) matches every key, so a
  // damaged filter costs reads, never results.
  explicit BloomFilterReader(const Slice& contents);

  // False only if user_key was certainly not added.
  bool KeyMayMatch(const Slice& user_key) const;
  // Whether the contents parsed as a filter.
  bool valid() const { return valid_; }
  BloomLayout layout() const { return layout_; }

 private:
  Slice bits_;
  BloomLayout layout_ = BloomLayout::kPlain;
  uint64_t num_blocks_ = 0;  // kBlocked
  int num_probes_ = 0;
  bool valid_ = false;
};

}  // namespace lode

#endif  // LODE_TABLE_BLOOM_FILTER_H_
