#include "lib/wal_blob_resolver.h"

#include <functional>

#include "blob/blob_file_reader.h"
#include "blob/blob_index.h"
#include "lib/filename.h"
#include "lib/write_batch_internal.h"

namespace lode {

namespace {

// Finds out whether a batch holds any blob index, without copying it.
class IndexDetector final : public WriteBatchInternal::Handler {
 public:
  Status Put(const Slice&, const Slice&) override { return Status::OK(); }
  Status Delete(const Slice&) override { return Status::OK(); }
  Status PutBlobIndex(const Slice&, const Slice&) override {
    found = true;
    return Status::OK();
  }
  bool found = false;
};

// Copies a batch, reading each blob index's value back.
class Resolver final : public WriteBatchInternal::Copier {
 public:
  using ReaderFn = std::function<Status(uint64_t, const BlobFileReader**)>;
  Resolver(ReaderFn reader, WriteBatch* out) : Copier(out), reader_(std::move(reader)) {}

  Status PutBlobIndex(const Slice& key, const Slice& blob_index) override {
    BlobIndex index;
    Status s = index.DecodeFrom(blob_index);
    if (!s.ok()) return Status::Corruption("WAL blob index: " + s.message());
    const BlobFileReader* reader = nullptr;
    s = reader_(index.file_number, &reader);
    if (!s.ok()) return s;
    const uint64_t size = reader->file_size();
    if (index.size > size || index.offset > size - index.size) {
      return Status::NotFound(reader->file_name(), "blob at offset " +
                                                       std::to_string(index.offset) +
                                                       " lies beyond the end of the file (" +
                                                       std::to_string(size) + " bytes)");
    }
    s = reader->GetBlob(ReadOptions(), key, index, &value_);
    if (!s.ok()) return s;
    return Copier::Put(key, value_);
  }

 private:
  const ReaderFn reader_;
  std::string value_;
};

}  // namespace

WalBlobResolver::WalBlobResolver(Env* env, std::string dbname)
    : env_(env), dbname_(std::move(dbname)) {}

WalBlobResolver::~WalBlobResolver() = default;

Status WalBlobResolver::Reader(uint64_t number, const BlobFileReader** reader) {
  auto it = readers_.find(number);
  if (it == readers_.end()) {
    const std::string fname = BlobFileName(dbname_, number);
    if (!env_->FileExists(fname)) {
      return Status::NotFound(fname, "named by the WAL but missing");
    }
    uint64_t size = 0;
    Status s = env_->GetFileSize(fname, &size);
    if (!s.ok()) return s;
    if (size < BlobLogHeader::kSize) {
      return Status::NotFound(fname, "ends before its header (" + std::to_string(size) + " bytes)");
    }
    std::unique_ptr<BlobFileReader> r;
    s = BlobFileReader::OpenUnfinished(env_, fname, number, &r);
    if (!s.ok()) return s;
    it = readers_.emplace(number, std::move(r)).first;
  }
  *reader = it->second.get();
  return Status::OK();
}

Status WalBlobResolver::Resolve(const WriteBatch& batch, WriteBatch* out, bool* resolved) {
  *resolved = false;
  IndexDetector detector;
  Status s = WriteBatchInternal::Iterate(&batch, &detector);
  if (!s.ok() || !detector.found) return s;
  out->Clear();
  Resolver resolver([this](uint64_t n, const BlobFileReader** r) { return Reader(n, r); }, out);
  s = WriteBatchInternal::Iterate(&batch, &resolver);
  if (!s.ok()) return s;
  WriteBatchInternal::SetSequence(out, WriteBatchInternal::Sequence(&batch));
  *resolved = true;
  return Status::OK();
}

}  // namespace lode
