// ValueSizeDistribution: how big each generated value is.
//
//   fixed                  every value is --value_size bytes
//   uniform:MIN:MAX        uniform in [MIN, MAX]
//   mix:SIZE@WEIGHT,...    SIZE with probability WEIGHT / sum of weights
//
// Sizes accept K/M suffixes (uniform:1K:64K, mix:100@90,16K@10). Immutable
// after Parse; Next may be called from many threads, each with its own rng.
#ifndef LODE_BENCH_VALUE_SIZE_DISTRIBUTION_H_
#define LODE_BENCH_VALUE_SIZE_DISTRIBUTION_H_

#include <cstddef>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "lode/status.h"

namespace lode::bench {

class ValueSizeDistribution {
 public:
  // Parses spec; fixed_size is the size for "fixed". InvalidArgument on a
  // malformed spec, a negative or zero-weight entry, or MIN > MAX.
  static Status Parse(const std::string& spec, size_t fixed_size, ValueSizeDistribution* out);

  size_t Next(std::mt19937_64* rng) const;
  size_t MaxSize() const;
  double MeanSize() const;
  std::string ToString() const;

 private:
  enum class Kind { kFixed, kUniform, kMix };
  Kind kind_ = Kind::kFixed;
  size_t min_ = 0;                    // fixed size, or uniform MIN
  size_t max_ = 0;                    // uniform MAX
  std::vector<size_t> sizes_;         // mix
  std::vector<uint64_t> cumulative_;  // mix: running sum of weights
};

}  // namespace lode::bench

#endif  // LODE_BENCH_VALUE_SIZE_DISTRIBUTION_H_
