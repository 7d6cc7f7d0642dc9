#include "gc/blob_relocator.h"

#include "blob/blob_file_cache.h"
#include "blob/blob_file_reader.h"
#include "blob/blob_index.h"
#include "lib/blob_accounting.h"
#include "lib/util/rate_limiter.h"

namespace lode {

BlobRelocator::BlobRelocator(const BlobFileBuilderOptions& builder_options, BlobFileCache* files,
                             std::set<uint64_t> eligible, RateLimiter* limiter)
    : builder_(builder_options), files_(files), eligible_(std::move(eligible)), limiter_(limiter) {}

BlobRelocator::~BlobRelocator() {
  if (!finished_) builder_.Abandon();
}

Status BlobRelocator::OnKeep(const ParsedInternalKey& key, const Slice& value,
                             std::string* new_value, bool* replaced) {
  *replaced = false;
  if (key.type != kTypeBlobIndex) return Status::OK();
  BlobIndex index;
  Status s = index.DecodeFrom(value);
  if (!s.ok()) return s;
  if (eligible_.count(index.file_number) == 0) return Status::OK();
  if (limiter_ != nullptr) limiter_->Request(index.size);
  std::shared_ptr<BlobFileReader> reader;
  s = files_->Get(index.file_number, &reader);
  if (s.ok()) s = reader->ReadStored(key.user_key, index, &stored_);
  if (s.ok()) {
    s = builder_.AddRelocated(key.user_key, stored_, index.compression, index.uncompressed_size,
                              new_value);
  }
  if (!s.ok()) return s;
  *replaced = true;
  stats_.blobs_relocated++;
  stats_.bytes_relocated += index.size;
  return Status::OK();
}

Status BlobRelocator::Finish(std::vector<BlobFileAddition>* added) {
  std::vector<BlobFileAdditionInfo> infos;
  Status s = builder_.Finish(&infos);
  if (!s.ok()) return s;
  finished_ = true;
  AppendBlobFileAdditions(infos, added);
  return s;
}

void BlobRelocator::Abandon() {
  builder_.Abandon();
  finished_ = true;
}

}  // namespace lode
