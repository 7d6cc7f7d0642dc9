// Cache: a sharded LRU map from keys to reference-counted values, charged by
// size. Used for table blocks, open table readers and blobs.
//
// Thread-safe. An entry stays alive while a Handle to it is held, even after
// it is evicted or erased; its deleter runs when the last reference goes.
#ifndef LODE_LIB_UTIL_CACHE_H_
#define LODE_LIB_UTIL_CACHE_H_

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>

#include "lode/slice.h"

namespace lode {

class Cache {
 public:
  struct Handle;  // opaque
  using Deleter = void (*)(const Slice& key, void* value);

  virtual ~Cache() = default;

  // Inserts key -> value with the given charge, replacing an older entry of the
  // same key. Returns a handle the caller must Release.
  virtual Handle* Insert(const Slice& key, void* value, size_t charge, Deleter deleter) = 0;
  // nullptr if absent; otherwise a handle the caller must Release.
  virtual Handle* Lookup(const Slice& key) = 0;
  virtual void Release(Handle* handle) = 0;
  virtual void* Value(Handle* handle) = 0;
  virtual void Erase(const Slice& key) = 0;
  // A fresh id, to prefix keys of one client sharing the cache.
  virtual uint64_t NewId() = 0;
  virtual size_t TotalCharge() const = 0;
  virtual size_t Capacity() const = 0;
};

// capacity 0 gives a cache that keeps nothing once released.
std::shared_ptr<Cache> NewLRUCache(size_t capacity);

}  // namespace lode

#endif  // LODE_LIB_UTIL_CACHE_H_
