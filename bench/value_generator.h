// ValueGenerator: makes values that say which key they belong to and
// compress to about --compression_ratio, and checks values read back.
//
// Layout of a value of size >= 16 bytes (integers little-endian):
//
//   +-----------+----------+--------------------------------+---------------+
//   | key (8 B) | size (4) | offset:20 | ratio permille:10  | body          |
//   |           |          | | 2 unused bits (4 B)          | (size - 16 B) |
//   +-----------+----------+--------------------------------+---------------+
//
// The body is size - 16 bytes of a 1 MiB pool, read from `offset` and wrapping
// around. The pool depends only on the ratio: 100-byte chunks whose first
// round(100 * ratio) bytes are random printable characters, repeated to fill
// the chunk (what db_bench does), so LZ4 shrinks it to about the ratio.
// A value shorter than 16 bytes is the first `size` bytes of the header with
// offset and ratio 0. Verify rebuilds the expected bytes, also for values
// written with another ratio.
//
// Thread-safe: Generate and Verify may run on many threads at once.
#ifndef LODE_BENCH_VALUE_GENERATOR_H_
#define LODE_BENCH_VALUE_GENERATOR_H_

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <random>
#include <string>

#include "lode/slice.h"

namespace lode::bench {

class ValueGenerator {
 public:
  static constexpr size_t kHeaderSize = 16;
  static constexpr size_t kPoolSize = 1 << 20;

  // REQUIRES: 0 <= compression_ratio <= 1 (clamped otherwise).
  explicit ValueGenerator(double compression_ratio);

  // Sets *value to a size-byte value for key number key; rng picks the offset.
  void Generate(uint64_t key, size_t size, std::mt19937_64* rng, std::string* value) const;

  // True if value is exactly what Generate produces for key number key.
  bool Verify(uint64_t key, const Slice& value) const;

 private:
  static std::string MakePool(int permille);
  // The pool for a ratio (this generator's own, or one built on demand).
  const std::string& Pool(int permille) const;
  static void EncodeHeader(uint64_t key, uint32_t size, uint32_t offset, int permille, char* out);

  int permille_;
  std::string pool_;
  mutable std::mutex mu_;
  mutable std::map<int, std::unique_ptr<std::string>> other_pools_;  // GUARDED_BY(mu_)
};

}  // namespace lode::bench

#endif  // LODE_BENCH_VALUE_GENERATOR_H_
