#include "blob/blob_source.h"

#include "blob/blob_log_format.h"
#include "lib/filename.h"
#include "lib/util/coding.h"

namespace lode {

namespace {

// The key is kept with the value so that a hit is checked like a file read:
// an index pointing at another key's blob is Corruption, never its bytes.
struct CachedBlob {
  std::string user_key;
  std::string value;
};

void DeleteValue(const Slice& /*key*/, void* value) { delete static_cast<CachedBlob*>(value); }

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

bool BlobSource::IsCached(const BlobIndex& index) const {
  if (blob_cache_ == nullptr) return false;
  char key_buf[24];
  Cache::Handle* h = blob_cache_->Lookup(CacheKey(cache_id_, index, key_buf));
  if (h == nullptr) return false;
  blob_cache_->Release(h);
  return true;
}

Status BlobSource::GetBlob(const ReadOptions& ro, const Slice& user_key, const BlobIndex& index,
                           std::string* value) {
  return GetBlob(ro, user_key, index, value, nullptr);
}

Status BlobSource::GetBlob(const ReadOptions& ro, const Slice& user_key, const BlobIndex& index,
                           std::string* value, const BlobFileReader::Prefetched* prefetched) {
  char key_buf[24];
  const Slice cache_key = CacheKey(cache_id_, index, key_buf);
  if (blob_cache_ != nullptr) {
    if (Cache::Handle* h = blob_cache_->Lookup(cache_key)) {
      const auto* cached = static_cast<const CachedBlob*>(blob_cache_->Value(h));
      if (Slice(cached->user_key) != user_key || cached->value.size() != index.uncompressed_size) {
        blob_cache_->Release(h);
        return BlobCorruption(
            BlobFileName(file_cache_->dbname(), index.file_number), index.offset,
            "cached blob's key does not match the index (" + index.DebugString() + ")");
      }
      value->assign(cached->value);
      blob_cache_->Release(h);
      cache_hits_.fetch_add(1, std::memory_order_relaxed);
      return Status::OK();
    }
  }
  std::shared_ptr<BlobFileReader> reader;
  Status s = file_cache_->Get(index.file_number, &reader);
  if (!s.ok()) return s;
  s = reader->GetBlob(ro, user_key, index, value, prefetched);
  if (!s.ok()) return s;
  file_reads_.fetch_add(1, std::memory_order_relaxed);
  const size_t charge = value->size() + user_key.size() + sizeof(CachedBlob);
  // A value larger than the whole cache would only flush it.
  if (blob_cache_ != nullptr && ro.fill_cache && charge <= blob_cache_->Capacity()) {
    blob_cache_->Release(blob_cache_->Insert(cache_key, new CachedBlob{user_key.ToString(), *value},
                                             charge, &DeleteValue));
  }
  return Status::OK();
}

}  // namespace lode
