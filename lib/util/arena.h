// Arena: bump allocation for the memtable; everything is freed at once.
//
// Allocate is not thread-safe (the memtable's single writer calls it);
// MemoryUsage may be read from any thread.
#ifndef LODE_LIB_UTIL_ARENA_H_
#define LODE_LIB_UTIL_ARENA_H_

#include <atomic>
#include <cstddef>
#include <memory>
#include <vector>

namespace lode {

class Arena {
 public:
  Arena() = default;
  Arena(const Arena&) = delete;
  Arena& operator=(const Arena&) = delete;

  char* Allocate(size_t bytes);
  // Memory aligned to alignof(max_align_t) at least 8.
  char* AllocateAligned(size_t bytes);
  size_t MemoryUsage() const { return usage_.load(std::memory_order_relaxed); }

 private:
  static constexpr size_t kBlockSize = 64 << 10;
  char* AllocateFallback(size_t bytes);
  char* NewBlock(size_t bytes);

  char* ptr_ = nullptr;
  size_t remaining_ = 0;
  std::vector<std::unique_ptr<char[]>> blocks_;
  std::atomic<size_t> usage_{0};
};

inline char* Arena::Allocate(size_t bytes) {
  if (bytes <= remaining_) {
    char* r = ptr_;
    ptr_ += bytes;
    remaining_ -= bytes;
    return r;
  }
  return AllocateFallback(bytes);
}

}  // namespace lode

#endif  // LODE_LIB_UTIL_ARENA_H_
