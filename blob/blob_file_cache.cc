#include "blob/blob_file_cache.h"

#include "lib/filename.h"
#include "lib/util/coding.h"

namespace lode {

namespace {

using ReaderPtr = std::shared_ptr<BlobFileReader>;

void DeleteReader(const Slice& /*key*/, void* value) { delete static_cast<ReaderPtr*>(value); }

}  // namespace

BlobFileCache::BlobFileCache(Env* env, std::string dbname, size_t max_open_files)
    : env_(env), dbname_(std::move(dbname)), cache_(NewLRUCache(max_open_files)) {}

Status BlobFileCache::Get(uint64_t file_number, std::shared_ptr<BlobFileReader>* reader) {
  char key_buf[8];
  EncodeFixed64(key_buf, file_number);
  const Slice key(key_buf, sizeof(key_buf));
  if (Cache::Handle* h = cache_->Lookup(key)) {
    *reader = *static_cast<ReaderPtr*>(cache_->Value(h));
    cache_->Release(h);
    return Status::OK();
  }
  std::lock_guard<std::mutex> l(open_mu_[file_number % kOpenStripes]);
  if (Cache::Handle* h = cache_->Lookup(key)) {  // another thread opened it
    *reader = *static_cast<ReaderPtr*>(cache_->Value(h));
    cache_->Release(h);
    return Status::OK();
  }
  {
    std::lock_guard<std::mutex> g(growing_mu_);
    auto it = growing_.find(file_number);
    if (it != growing_.end()) {
      *reader = it->second;
      return Status::OK();
    }
  }
  std::unique_ptr<BlobFileReader> r;
  const std::string fname = BlobFileName(dbname_, file_number);
  Status s = BlobFileReader::Open(env_, fname, file_number, &r);
  // Readers are asked for blob files that indexes point at: a missing one is
  // damage, and must not read as "key not found".
  if (s.IsNotFound()) return Status::Corruption(fname, "referenced blob file is missing");
  if (!s.ok()) return s;
  auto* value = new ReaderPtr(std::move(r));
  *reader = *value;
  cache_->Release(cache_->Insert(key, value, 1, &DeleteReader));
  return Status::OK();
}

void BlobFileCache::Evict(uint64_t file_number) {
  char key_buf[8];
  EncodeFixed64(key_buf, file_number);
  cache_->Erase(Slice(key_buf, sizeof(key_buf)));
}

Status BlobFileCache::AddGrowing(uint64_t file_number) {
  std::unique_ptr<BlobFileReader> r;
  Status s = BlobFileReader::OpenGrowing(env_, BlobFileName(dbname_, file_number), file_number, &r);
  if (!s.ok()) return s;
  std::lock_guard<std::mutex> g(growing_mu_);
  growing_[file_number] = std::move(r);
  return Status::OK();
}

void BlobFileCache::RemoveGrowing(uint64_t file_number) {
  std::lock_guard<std::mutex> g(growing_mu_);
  growing_.erase(file_number);
}

}  // namespace lode
