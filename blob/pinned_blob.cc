#include "blob/pinned_blob.h"

#include <algorithm>
#include <cassert>

namespace lode {

void PinnedBlob::Reset() {
  if (handle_ != nullptr) {
    cache_->Release(handle_);
    handle_ = nullptr;
    cache_ = nullptr;
  }
  data_ = Slice();
}

char* PinnedBlob::AllocateOwned(size_t n) {
  Reset();
  // Grow to fit; shrink after a value far larger than this one, so one huge
  // blob does not stay allocated for good.
  if (owned_capacity_ < n || owned_capacity_ > std::max<size_t>(4 * n, 1 << 20)) {
    owned_.reset();
    owned_.reset(new char[n == 0 ? 1 : n]);
    owned_capacity_ = n;
  }
  return owned_.get();
}

void PinnedBlob::Pin(Cache* cache, Cache::Handle* handle, const Slice& bytes) {
  Reset();
  assert(cache != nullptr && handle != nullptr);
  cache_ = cache;
  handle_ = handle;
  data_ = bytes;
}

}  // namespace lode
