// Random: a small, seeded, deterministic generator (xorshift64*) for tests,
// skiplist heights and workload generation. Not for cryptography.
#ifndef LODE_LIB_UTIL_RANDOM_H_
#define LODE_LIB_UTIL_RANDOM_H_

#include <cstdint>

namespace lode {

class Random {
 public:
  explicit Random(uint64_t seed) : state_(seed ? seed : 0x9E3779B97F4A7C15ull) {}
  uint64_t Next64() {
    state_ ^= state_ >> 12;
    state_ ^= state_ << 25;
    state_ ^= state_ >> 27;
    return state_ * 0x2545F4914F6CDD1Dull;
  }
  uint32_t Next() { return static_cast<uint32_t>(Next64() >> 32); }
  // Uniform in [0, n). REQUIRES: n > 0
  uint64_t Uniform(uint64_t n) { return Next64() % n; }
  // True with probability 1/n. REQUIRES: n > 0
  bool OneIn(uint64_t n) { return Uniform(n) == 0; }
  // Skewed: picks base uniformly in [0, max_log], then a value in [0, 2^base).
  uint64_t Skewed(int max_log) { return Uniform(uint64_t{1} << Uniform(max_log + 1)); }

 private:
  uint64_t state_;
};

}  // namespace lode

#endif  // LODE_LIB_UTIL_RANDOM_H_
