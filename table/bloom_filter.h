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

class BloomFilterBuilder {
 public:
  // REQUIRES: bits_per_key > 0
  explicit BloomFilterBuilder(int bits_per_key);

  // Adds a user key; a repeat of the previous key is ignored, so the versions
  // of one key cost one entry.
  void AddKey(const Slice& user_key);
  size_t num_keys() const { return hashes_.size(); }
  // Appends the filter bytes to *dst.
  void Finish(std::string* dst);

 private:
  const int bits_per_key_;
  std::vector<uint64_t> hashes_;
  std::string last_key_;
  bool has_last_ = false;
};

class BloomFilterReader {
 public:
  // Keeps a view of contents; a malformed filter (too short, bad probe count)
  // matches every key, so a damaged filter costs reads, never results.
  explicit BloomFilterReader(const Slice& contents);

  // False only if user_key was certainly not added.
  bool KeyMayMatch(const Slice& user_key) const;
  // Whether the contents parsed as a filter.
  bool valid() const { return valid_; }

 private:
  Slice bits_;
  int num_probes_ = 0;
  bool valid_ = false;
};

}  // namespace lode

#endif  // LODE_TABLE_BLOOM_FILTER_H_
