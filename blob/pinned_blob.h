// PinnedBlob: one resolved blob value for a reader that wants its bytes
// without a copy. The bytes are either pinned in the blob cache (a held
// cache handle) or owned by the PinnedBlob itself.
//
// BlobSource fills it; the holder reads data() until Reset or destruction,
// which release the pin. The cache it pins must outlive it (BlobSource's
// cache does: iterators end before their DB). Not thread-safe: one holder.
#ifndef LODE_BLOB_PINNED_BLOB_H_
#define LODE_BLOB_PINNED_BLOB_H_

#include <cstddef>
#include <memory>

#include "lib/util/cache.h"
#include "lode/slice.h"

namespace lode {

class PinnedBlob {
 public:
  PinnedBlob() = default;
  ~PinnedBlob() { Reset(); }
  PinnedBlob(const PinnedBlob&) = delete;
  PinnedBlob& operator=(const PinnedBlob&) = delete;

  // The value's bytes; empty after Reset.
  Slice data() const { return data_; }
  bool pinned() const { return handle_ != nullptr; }

  // Releases the pin, if any, and empties data(). Keeps the capacity of the
  // owned buffer for the next value.
  void Reset();

  // Pins handle of cache (the caller's reference passes to this object) and
  // points data() at bytes, which must live as long as the cache entry.
  void Pin(Cache* cache, Cache::Handle* handle, const Slice& bytes);
  // Room for an owned value of n bytes (not zero-filled; reused from the
  // previous value when it is large enough); call SetOwned(n) once it holds
  // the value. Releases any pin.
  char* AllocateOwned(size_t n);
  void SetOwned(size_t n) { data_ = Slice(owned_.get(), n); }

 private:
  Cache* cache_ = nullptr;
  Cache::Handle* handle_ = nullptr;
  Slice data_;
  std::unique_ptr<char[]> owned_;
  size_t owned_capacity_ = 0;
};

}  // namespace lode

#endif  // LODE_BLOB_PINNED_BLOB_H_
