// LiveSet: which keys of [0, num) the DB holds now and how many user bytes
// (key + value) they add up to: the denominator of space amplification.
//
// Updated after every successful Put and Delete, from many threads (each key
// slot is atomic; two threads writing the same key at once may leave the
// byte count off by one value, which a benchmark can live with).
#ifndef LODE_BENCH_LIVE_SET_H_
#define LODE_BENCH_LIVE_SET_H_

#include <atomic>
#include <cstdint>
#include <memory>

namespace lode::bench {

class LiveSet {
 public:
  explicit LiveSet(uint64_t num)
      : num_(num), sizes_(std::make_unique<std::atomic<uint32_t>[]>(num)) {}

  // REQUIRES: key < num. bytes = key size + value size (> 0).
  void OnPut(uint64_t key, uint32_t bytes) { Set(key, bytes); }
  void OnDelete(uint64_t key) { Set(key, 0); }

  uint64_t num() const { return num_; }
  uint64_t live_keys() const { return live_keys_.load(std::memory_order_relaxed); }
  uint64_t live_bytes() const { return live_bytes_.load(std::memory_order_relaxed); }

 private:
  void Set(uint64_t key, uint32_t bytes) {
    const uint32_t old = sizes_[key].exchange(bytes, std::memory_order_relaxed);
    live_bytes_.fetch_add(uint64_t{bytes} - old, std::memory_order_relaxed);  // wraps back
    if (old == 0 && bytes != 0) live_keys_.fetch_add(1, std::memory_order_relaxed);
    if (old != 0 && bytes == 0) live_keys_.fetch_sub(1, std::memory_order_relaxed);
  }

  const uint64_t num_;
  std::unique_ptr<std::atomic<uint32_t>[]> sizes_;
  std::atomic<uint64_t> live_keys_{0};
  std::atomic<uint64_t> live_bytes_{0};
};

}  // namespace lode::bench

#endif  // LODE_BENCH_LIVE_SET_H_
