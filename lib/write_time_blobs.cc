#include "lib/write_time_blobs.h"

#include "lib/write_batch_internal.h"

namespace lode {

namespace {

// Copies a batch record by record, writing large values to the blob files;
// counts sequences to remember each index under its entry's.
class Separator final : public WriteBatchInternal::Copier {
 public:
  // index: where to remember each index (value-keeping), or null.
  Separator(BlobFileBuilder* builder, std::unordered_map<SequenceNumber, std::string>* index,
            std::atomic<uint64_t>* value_bytes, SequenceNumber seq, WriteBatch* out)
      : Copier(out), builder_(builder), index_(index), value_bytes_(value_bytes), seq_(seq) {}

  Status Put(const Slice& key, const Slice& value) override {
    bool separated = false;
    Status s = builder_->Add(key, value, &blob_index_, &separated);
    if (!s.ok()) return s;
    if (separated) {
      if (index_ != nullptr) {
        (*index_)[seq_] = blob_index_;
      } else {
        value_bytes_->fetch_add(value.size(), std::memory_order_relaxed);
      }
      s = Copier::PutBlobIndex(key, blob_index_);
    } else {
      s = Copier::Put(key, value);
    }
    seq_++;
    return s;
  }
  Status Delete(const Slice& key) override {
    seq_++;
    return Copier::Delete(key);
  }
  Status PutBlobIndex(const Slice& key, const Slice& blob_index) override {
    seq_++;
    return Copier::PutBlobIndex(key, blob_index);
  }

 private:
  BlobFileBuilder* const builder_;
  std::unordered_map<SequenceNumber, std::string>* const index_;
  std::atomic<uint64_t>* const value_bytes_;
  SequenceNumber seq_;
  std::string blob_index_;
};

}  // namespace

WriteTimeBlobs::WriteTimeBlobs(const BlobFileBuilderOptions& options, BlobFileCache* read_through)
    : builder_(options) {
  if (read_through != nullptr) {
    growing_ = std::make_shared<GrowingFiles>();
    growing_->cache = read_through;
  }
}

WriteTimeBlobs::GrowingFiles::~GrowingFiles() {
  for (uint64_t n : numbers) cache->RemoveGrowing(n);
}

Status WriteTimeBlobs::RegisterNewFiles() {
  const std::vector<uint64_t>& created = builder_.created_files();
  // Only the write leader adds; readers reach the files through the cache.
  for (size_t i = growing_->numbers.size(); i < created.size(); i++) {
    Status s = growing_->cache->AddGrowing(created[i]);
    if (!s.ok()) return s;
    growing_->numbers.push_back(created[i]);
  }
  return Status::OK();
}

WriteTimeBlobs::~WriteTimeBlobs() {
  if (!finished_) builder_.Detach();
}

Status WriteTimeBlobs::Separate(const WriteBatch& batch, const BlobSeparation& how,
                                WriteBatch* wal_batch) {
  wal_batch->Clear();
  Status s = builder_.Reconfigure(how.min_blob_size, how.blob_file_size, how.compression);
  if (!s.ok()) return s;
  const SequenceNumber seq = WriteBatchInternal::Sequence(&batch);
  Separator separator(&builder_, index_only() ? nullptr : &index_, &value_bytes_, seq, wal_batch);
  s = WriteBatchInternal::Iterate(&batch, &separator);
  WriteBatchInternal::SetSequence(wal_batch, seq);
  // Before the memtable can name a new file, so that no read of it misses.
  if (s.ok() && index_only()) s = RegisterNewFiles();
  return s;
}

Status WriteTimeBlobs::Flush(bool sync) { return builder_.FlushFile(sync); }

const std::string* WriteTimeBlobs::Find(SequenceNumber seq) const {
  auto it = index_.find(seq);
  return it == index_.end() ? nullptr : &it->second;
}

Status WriteTimeBlobs::Finish(std::vector<BlobFileAdditionInfo>* added) {
  Status s = builder_.Finish(added);
  if (s.ok()) finished_ = true;
  return s;
}

namespace {

class WriteTimeBlobIterator final : public Iterator {
 public:
  WriteTimeBlobIterator(Iterator* mem_iter, const WriteTimeBlobs* blobs)
      : iter_(mem_iter), blobs_(blobs) {}

  bool Valid() const override { return iter_->Valid(); }
  void SeekToFirst() override {
    iter_->SeekToFirst();
    Update();
  }
  void SeekToLast() override {
    iter_->SeekToLast();
    Update();
  }
  void Seek(const Slice& target) override {
    iter_->Seek(target);
    Update();
  }
  void Next() override {
    iter_->Next();
    Update();
  }
  void Prev() override {
    iter_->Prev();
    Update();
  }
  Slice key() const override { return index_ != nullptr ? Slice(key_) : iter_->key(); }
  Slice value() const override { return index_ != nullptr ? Slice(*index_) : iter_->value(); }
  Status status() const override { return iter_->status(); }

 private:
  // Looks up the entry under the cursor; only Puts can have been separated.
  void Update() {
    index_ = nullptr;
    if (!iter_->Valid()) return;
    ParsedInternalKey ikey;
    if (!ParseInternalKey(iter_->key(), &ikey) || ikey.type != kTypeValue) return;
    index_ = blobs_->Find(ikey.sequence);
    if (index_ == nullptr) return;
    key_.clear();
    AppendInternalKey(&key_, ParsedInternalKey(ikey.user_key, ikey.sequence, kTypeBlobIndex));
  }

  std::unique_ptr<Iterator> iter_;
  const WriteTimeBlobs* const blobs_;
  const std::string* index_ = nullptr;  // the current entry's blob index, if separated
  std::string key_;                     // its internal key, retyped as a blob index
};

}  // namespace

Iterator* NewWriteTimeBlobIterator(Iterator* mem_iter, const WriteTimeBlobs* blobs) {
  return new WriteTimeBlobIterator(mem_iter, blobs);
}

}  // namespace lode
