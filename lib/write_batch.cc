// WriteBatch: the public batch. Its representation (also the payload of a
// WAL record) is handled by WriteBatchInternal; see doc/wal_format.md.
#include "lode/write_batch.h"

#include "lib/write_batch_internal.h"

namespace lode {

namespace {

// Adapts the public handler; blob indexes are engine-internal values that a
// user handler cannot tell from user values, so they are refused.
class PublicHandlerAdapter final : public WriteBatchInternal::Handler {
 public:
  explicit PublicHandlerAdapter(WriteBatch::Handler* h) : h_(h) {}
  Status Put(const Slice& key, const Slice& value) override {
    h_->Put(key, value);
    return Status::OK();
  }
  Status Delete(const Slice& key) override {
    h_->Delete(key);
    return Status::OK();
  }
  Status PutBlobIndex(const Slice&, const Slice&) override {
    return Status::NotSupported(
        "write batch: a blob index record cannot be handed to WriteBatch::Handler");
  }

 private:
  WriteBatch::Handler* h_;
};

}  // namespace

WriteBatch::WriteBatch() { Clear(); }

void WriteBatch::Clear() {
  rep_.clear();
  rep_.resize(WriteBatchInternal::kHeaderSize);
}

size_t WriteBatch::Count() const { return WriteBatchInternal::Count(this); }

void WriteBatch::Put(const Slice& key, const Slice& value) {
  WriteBatchInternal::AddRecord(this, kTypeValue, key, &value);
}

void WriteBatch::Delete(const Slice& key) {
  WriteBatchInternal::AddRecord(this, kTypeDeletion, key, nullptr);
}

void WriteBatch::Append(const WriteBatch& source) { WriteBatchInternal::Append(this, &source); }

Status WriteBatch::Iterate(Handler* handler) const {
  PublicHandlerAdapter adapter(handler);
  return WriteBatchInternal::Iterate(this, &adapter);
}

}  // namespace lode
