#include "lib/util/arena.h"

#include <cstdint>

namespace lode {

char* Arena::AllocateFallback(size_t bytes) {
  if (bytes > kBlockSize / 4) return NewBlock(bytes);  // big: own block, keep the rest
  ptr_ = NewBlock(kBlockSize);
  remaining_ = kBlockSize;
  char* r = ptr_;
  ptr_ += bytes;
  remaining_ -= bytes;
  return r;
}

char* Arena::AllocateAligned(size_t bytes) {
  constexpr size_t kAlign = 8;
  size_t mod = reinterpret_cast<uintptr_t>(ptr_) & (kAlign - 1);
  size_t slop = mod == 0 ? 0 : kAlign - mod;
  if (bytes + slop <= remaining_) {
    char* r = ptr_ + slop;
    ptr_ += bytes + slop;
    remaining_ -= bytes + slop;
    return r;
  }
  return AllocateFallback(bytes);  // new blocks come from new[], which is aligned
}

char* Arena::NewBlock(size_t bytes) {
  blocks_.emplace_back(new char[bytes]);
  usage_.fetch_add(bytes + sizeof(char*), std::memory_order_relaxed);
  return blocks_.back().get();
}

}  // namespace lode
