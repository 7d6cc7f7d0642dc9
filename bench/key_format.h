// KeyFormat: the keys of lode_bench, key number n as a zero-padded decimal of
// exactly key_size bytes ("0000000000000042"), so byte order is numeric
// order. A missing key has the same length and its last byte replaced by
// '.', which sorts inside the key range but matches no written key.
// Immutable; any thread.
#ifndef LODE_BENCH_KEY_FORMAT_H_
#define LODE_BENCH_KEY_FORMAT_H_

#include <cstdint>
#include <string>

#include "lode/slice.h"
#include "lode/status.h"

namespace lode::bench {

class KeyFormat {
 public:
  explicit KeyFormat(int key_size) : key_size_(static_cast<size_t>(key_size)) {}

  // InvalidArgument if key numbers [0, num) do not fit in key_size digits
  // (one spare digit is needed for missing keys) or key_size is not positive.
  static Status Check(int key_size, int64_t num);

  size_t key_size() const { return key_size_; }
  void Format(uint64_t n, std::string* out) const;
  void FormatMissing(uint64_t n, std::string* out) const;
  // Key number of a key Format made; false for any other key.
  bool Parse(const Slice& key, uint64_t* n) const;

 private:
  size_t key_size_;
};

}  // namespace lode::bench

#endif  // LODE_BENCH_KEY_FORMAT_H_
