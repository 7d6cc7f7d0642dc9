// BlobSource: resolves an encoded BlobIndex to the user value, through an
// optional cache of blob values (keyed by file number and offset) and the
// BlobFileCache of open readers. The engine's Get and iterators call it.
//
// Owns nothing but its share of blob_cache; file_cache must outlive it.
// Thread-safe.
#ifndef LODE_BLOB_BLOB_SOURCE_H_
#define LODE_BLOB_BLOB_SOURCE_H_

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>

#include "blob/blob_file_cache.h"
#include "blob/blob_index.h"
#include "blob/pinned_blob.h"
#include "lib/util/cache.h"
#include "lode/options.h"
#include "lode/slice.h"
#include "lode/status.h"

namespace lode {

class BlobSource {
 public:
  // blob_cache may be null (no value caching); it may be shared with other
  // users, whose keys this source's unique prefix keeps apart.
  BlobSource(BlobFileCache* file_cache, std::shared_ptr<Cache> blob_cache);
  BlobSource(const BlobSource&) = delete;
  BlobSource& operator=(const BlobSource&) = delete;

  // Sets *value to the user value that encoded_blob_index locates, checking
  // it belongs to user_key. A cache hit costs no I/O; a miss reads the file
  // (BlobFileReader::GetBlob) and caches the value if ro.fill_cache.
  // Corruption on a malformed index or damaged record; *value then unspecified.
  Status GetBlob(const ReadOptions& ro, const Slice& user_key, const Slice& encoded_blob_index,
                 std::string* value);
  // The same with a decoded index.
  Status GetBlob(const ReadOptions& ro, const Slice& user_key, const BlobIndex& index,
                 std::string* value);
  // The same; on a cache miss the record comes from *prefetched (bytes of
  // the blob file a scan read ahead) when it holds it, checked as a file
  // read is (BlobFileReader::GetBlob). prefetched may be null.
  Status GetBlob(const ReadOptions& ro, const Slice& user_key, const BlobIndex& index,
                 std::string* value, const BlobFileReader::Prefetched* prefetched);

  // The iterator's path, without copies of the value. GetCached: if the
  // blob cache holds the value, pins it in *value and returns true (with *s
  // Corruption if the cached entry is not user_key's); false on a miss.
  // ReadBlob: reads the record from the file (or *prefetched, which may be
  // null), checked as GetBlob does; caches it if ro.fill_cache and leaves it
  // pinned in *value, else owned by *value. *value is reset first.
  bool GetCached(const Slice& user_key, const BlobIndex& index, PinnedBlob* value, Status* s);
  // open_reader, if not null, is an open reader of the index's file that
  // the caller holds (saves a BlobFileCache lookup).
  Status ReadBlob(const ReadOptions& ro, const Slice& user_key, const BlobIndex& index,
                  PinnedBlob* value, const BlobFileReader::Prefetched* prefetched,
                  const BlobFileReader* open_reader = nullptr);

  BlobFileCache* file_cache() const { return file_cache_; }
  // Values served from the blob cache / read from files, since construction.
  uint64_t cache_hits() const { return cache_hits_.load(std::memory_order_relaxed); }
  uint64_t file_reads() const { return file_reads_.load(std::memory_order_relaxed); }

 private:
  // True (with *s set) if the cache holds index's value; *h is then pinned
  // when *s is OK.
  bool LookupCached(const Slice& user_key, const BlobIndex& index, Cache::Handle** h, Status* s);
  // Whether a value read for ro is to be put in the blob cache.
  bool WillCache(const ReadOptions& ro, const Slice& user_key, const BlobIndex& index) const;
  // Sets *reader to open_reader when it is of index's file, else to a
  // reader from the file cache, which *held keeps open.
  Status ReaderFor(const BlobIndex& index, const BlobFileReader* open_reader,
                   std::shared_ptr<BlobFileReader>* held, const BlobFileReader** reader);
  // Pins the value of the cache entry h in *value (which takes over h).
  void PinCached(Cache::Handle* h, PinnedBlob* value);
  // Reads the value from its file straight into a new cache entry and
  // inserts it; *h is the pinned entry. REQUIRES: WillCache.
  Status ReadIntoCache(const ReadOptions& ro, const Slice& user_key, const BlobIndex& index,
                       const BlobFileReader::Prefetched* prefetched, Cache::Handle** h,
                       const BlobFileReader* open_reader = nullptr);

  BlobFileCache* const file_cache_;
  const std::shared_ptr<Cache> blob_cache_;
  const uint64_t cache_id_;  // prefix of this source's keys in blob_cache_
  std::atomic<uint64_t> cache_hits_{0};
  std::atomic<uint64_t> file_reads_{0};
};

}  // namespace lode

#endif  // LODE_BLOB_BLOB_SOURCE_H_
