#include "blob/blob_source.h"

#include <cstring>

#include "blob/blob_log_format.h"
#include "lib/filename.h"
#include "lib/util/coding.h"

namespace lode {

namespace {

// A fresh buffer of n bytes (at least one).
std::unique_ptr<char[]> NewBuffer(size_t n, size_t* capacity) {
  *capacity = n == 0 ? 1 : n;
  return std::unique_ptr<char[]>(new char[*capacity]);
}

// Buffers of blob values the cache evicted on this thread, kept for the next
// values this thread reads: a reader that fills the cache evicts about as
// much as it inserts, and reusing the memory saves a malloc, a free and the
// page faults of fresh memory per value. A few buffers per thread at most.
class BufferPool {
 public:
  static constexpr int kMaxBuffers = 4;
  static constexpr size_t kMinSize = 1 << 10;  // smaller: malloc is cheap enough
  static constexpr size_t kMaxSize = 4 << 20;  // larger: do not keep them around

  // This thread's pool; nullptr once it is destroyed at thread exit (a
  // cache torn down later still frees its values, through plain delete).
  static BufferPool* Get() {
    if (gone_) return nullptr;
    thread_local BufferPool pool;
    return &pool;
  }
  ~BufferPool() { gone_ = true; }
  // A buffer of at least n bytes (at most twice that), or a new one.
  std::unique_ptr<char[]> Take(size_t n, size_t* capacity) {
    for (int i = 0; i < count_; i++) {
      if (caps_[i] >= n && caps_[i] / 2 <= n) {
        std::unique_ptr<char[]> b = std::move(bufs_[i]);
        *capacity = caps_[i];
        count_--;
        bufs_[i] = std::move(bufs_[count_]);
        caps_[i] = caps_[count_];
        return b;
      }
    }
    return NewBuffer(n, capacity);
  }
  void Give(std::unique_ptr<char[]> b, size_t capacity) {
    if (capacity < kMinSize || capacity > kMaxSize) return;  // freed
    if (count_ == kMaxBuffers) {
      // Replace the oldest-placed buffer: sizes change over time.
      bufs_[0] = std::move(b);
      caps_[0] = capacity;
      return;
    }
    bufs_[count_] = std::move(b);
    caps_[count_] = capacity;
    count_++;
  }

 private:
  std::unique_ptr<char[]> bufs_[kMaxBuffers];
  size_t caps_[kMaxBuffers] = {};
  int count_ = 0;
  static thread_local bool gone_;
};

thread_local bool BufferPool::gone_ = false;

std::unique_ptr<char[]> TakeBuffer(size_t n, size_t* capacity) {
  if (BufferPool* pool = BufferPool::Get()) return pool->Take(n, capacity);
  return NewBuffer(n, capacity);
}

void GiveBuffer(std::unique_ptr<char[]> b, size_t capacity) {
  if (BufferPool* pool = BufferPool::Get()) pool->Give(std::move(b), capacity);
}

// The key is kept with the value so that a hit is checked like a file read:
// an index pointing at another key's blob is Corruption, never its bytes.
// One buffer holds both: value bytes first, then the key.
struct CachedBlob {
  std::unique_ptr<char[]> data;  // not a std::string: filled without zeroing first
  size_t capacity = 0;
  size_t size = 0;  // of the value
  size_t key_size = 0;
  Slice value() const { return Slice(data.get(), size); }
  Slice user_key() const { return Slice(data.get() + size, key_size); }
};

void DeleteValue(const Slice& /*key*/, void* value) {
  auto* b = static_cast<CachedBlob*>(value);
  GiveBuffer(std::move(b->data), b->capacity);
  delete b;
}

}  // namespace

BlobSource::BlobSource(BlobFileCache* file_cache, std::shared_ptr<Cache> blob_cache)
    : file_cache_(file_cache),
      blob_cache_(std::move(blob_cache)),
      cache_id_(blob_cache_ != nullptr ? blob_cache_->NewId() : 0) {}

Status BlobSource::GetBlob(const ReadOptions& ro, const Slice& user_key,
                           const Slice& encoded_blob_index, std::string* value) {
  BlobIndex index;
  Status s = index.DecodeFrom(encoded_blob_index);
  if (!s.ok()) return s;
  return GetBlob(ro, user_key, index, value);
}

namespace {

// File numbers are never reused and blob files never change, so number and
// offset name one value forever.
Slice CacheKey(uint64_t cache_id, const BlobIndex& index, char (&buf)[24]) {
  EncodeFixed64(buf, cache_id);
  EncodeFixed64(buf + 8, index.file_number);
  EncodeFixed64(buf + 16, index.offset);
  return Slice(buf, sizeof(buf));
}

}  // namespace

Status BlobSource::GetBlob(const ReadOptions& ro, const Slice& user_key, const BlobIndex& index,
                           std::string* value) {
  return GetBlob(ro, user_key, index, value, nullptr);
}

bool BlobSource::LookupCached(const Slice& user_key, const BlobIndex& index, Cache::Handle** h,
                              Status* s) {
  if (blob_cache_ == nullptr) return false;
  char key_buf[24];
  *h = blob_cache_->Lookup(CacheKey(cache_id_, index, key_buf));
  if (*h == nullptr) return false;
  const auto* cached = static_cast<const CachedBlob*>(blob_cache_->Value(*h));
  if (cached->user_key() != user_key || cached->size != index.uncompressed_size) {
    blob_cache_->Release(*h);
    *h = nullptr;
    *s = BlobCorruption(BlobFileName(file_cache_->dbname(), index.file_number), index.offset,
                        "cached blob's key does not match the index (" + index.DebugString() + ")");
    return true;
  }
  cache_hits_.fetch_add(1, std::memory_order_relaxed);
  *s = Status::OK();
  return true;
}

Status BlobSource::GetBlob(const ReadOptions& ro, const Slice& user_key, const BlobIndex& index,
                           std::string* value, const BlobFileReader::Prefetched* prefetched) {
  Cache::Handle* h = nullptr;
  Status s;
  if (!LookupCached(user_key, index, &h, &s)) {
    if (!WillCache(ro, user_key, index)) {
      std::shared_ptr<BlobFileReader> reader;
      s = file_cache_->Get(index.file_number, &reader);
      if (s.ok()) s = reader->GetBlob(ro, user_key, index, value, prefetched);
      if (s.ok()) file_reads_.fetch_add(1, std::memory_order_relaxed);
      return s;
    }
    // Decompress into the cache entry, then copy out: the same bytes moved
    // as decompressing into *value and copying into the entry, without
    // zero-filling either.
    s = ReadIntoCache(ro, user_key, index, prefetched, &h);
  }
  if (s.ok()) {
    const Slice v = static_cast<const CachedBlob*>(blob_cache_->Value(h))->value();
    value->assign(v.data(), v.size());
    blob_cache_->Release(h);
  }
  return s;
}

bool BlobSource::WillCache(const ReadOptions& ro, const Slice& user_key,
                           const BlobIndex& index) const {
  // A value larger than the whole cache would only flush it.
  return blob_cache_ != nullptr && ro.fill_cache &&
         index.uncompressed_size + user_key.size() + sizeof(CachedBlob) <= blob_cache_->Capacity();
}

Status BlobSource::ReadIntoCache(const ReadOptions& ro, const Slice& user_key,
                                 const BlobIndex& index,
                                 const BlobFileReader::Prefetched* prefetched, Cache::Handle** h,
                                 const BlobFileReader* open_reader) {
  std::shared_ptr<BlobFileReader> held;
  const BlobFileReader* reader = nullptr;
  Status s = ReaderFor(index, open_reader, &held, &reader);
  if (!s.ok()) return s;
  // WillCache bounded the size by the cache's capacity; CheckIndex that the
  // index fits its file.
  s = reader->CheckIndex(user_key, index);
  if (!s.ok()) return s;
  auto cached = std::make_unique<CachedBlob>();
  cached->size = static_cast<size_t>(index.uncompressed_size);
  cached->key_size = user_key.size();
  cached->data = TakeBuffer(cached->size + user_key.size(), &cached->capacity);
  s = reader->GetBlobInto(ro, user_key, index, cached->data.get(), prefetched);
  if (!s.ok()) {
    GiveBuffer(std::move(cached->data), cached->capacity);
    return s;
  }
  file_reads_.fetch_add(1, std::memory_order_relaxed);
  if (!user_key.empty())
    memcpy(cached->data.get() + cached->size, user_key.data(), user_key.size());
  const size_t charge = cached->size + user_key.size() + sizeof(CachedBlob);
  char key_buf[24];
  *h = blob_cache_->Insert(CacheKey(cache_id_, index, key_buf), cached.release(), charge,
                           &DeleteValue);
  return Status::OK();
}

Status BlobSource::ReaderFor(const BlobIndex& index, const BlobFileReader* open_reader,
                             std::shared_ptr<BlobFileReader>* held, const BlobFileReader** reader) {
  if (open_reader != nullptr && open_reader->file_number() == index.file_number) {
    *reader = open_reader;
    return Status::OK();
  }
  Status s = file_cache_->Get(index.file_number, held);
  if (s.ok()) *reader = held->get();
  return s;
}

void BlobSource::PinCached(Cache::Handle* h, PinnedBlob* value) {
  value->Pin(blob_cache_.get(), h, static_cast<const CachedBlob*>(blob_cache_->Value(h))->value());
}

bool BlobSource::GetCached(const Slice& user_key, const BlobIndex& index, PinnedBlob* value,
                           Status* s) {
  Cache::Handle* h = nullptr;
  if (!LookupCached(user_key, index, &h, s)) return false;
  if (s->ok()) {
    PinCached(h, value);
  } else {
    value->Reset();
  }
  return true;
}

Status BlobSource::ReadBlob(const ReadOptions& ro, const Slice& user_key, const BlobIndex& index,
                            PinnedBlob* value, const BlobFileReader::Prefetched* prefetched,
                            const BlobFileReader* open_reader) {
  value->Reset();
  Status s;
  if (WillCache(ro, user_key, index)) {
    // Straight into the cache entry, which stays pinned: no copy.
    Cache::Handle* h = nullptr;
    s = ReadIntoCache(ro, user_key, index, prefetched, &h, open_reader);
    if (s.ok()) PinCached(h, value);
    return s;
  }
  std::shared_ptr<BlobFileReader> held;
  const BlobFileReader* reader = nullptr;
  s = ReaderFor(index, open_reader, &held, &reader);
  if (!s.ok()) return s;
  // A damaged index must not make us allocate: check it first.
  s = reader->CheckIndex(user_key, index);
  if (!s.ok()) return s;
  const auto n = static_cast<size_t>(index.uncompressed_size);
  s = reader->GetBlobInto(ro, user_key, index, value->AllocateOwned(n), prefetched);
  if (!s.ok()) {
    value->Reset();
    return s;
  }
  file_reads_.fetch_add(1, std::memory_order_relaxed);
  value->SetOwned(n);
  return Status::OK();
}

}  // namespace lode
