#include "lib/write_batch_internal.h"

#include <string>

#include "lib/memtable.h"
#include "lib/util/coding.h"

namespace lode {

namespace {

constexpr size_t kSequenceOffset = 0;
constexpr size_t kCountOffset = 8;

Status BatchCorruption(const std::string& what, size_t offset) {
  return Status::Corruption("write batch: " + what + " at offset " + std::to_string(offset));
}

// Parses the records of rep, handing each to handler; handler may be nullptr
// (validation only). Checks every length before using it.
Status ParseRecords(const std::string& rep, WriteBatchInternal::Handler* handler) {
  if (rep.size() < WriteBatchInternal::kHeaderSize) {
    return BatchCorruption("representation shorter than its header", 0);
  }
  const uint32_t expected = DecodeFixed32(rep.data() + kCountOffset);
  Slice input(rep);
  input.remove_prefix(WriteBatchInternal::kHeaderSize);
  uint32_t found = 0;
  while (!input.empty()) {
    const size_t offset = rep.size() - input.size();
    const uint8_t tag = static_cast<uint8_t>(input[0]);
    input.remove_prefix(1);
    Slice key, value;
    Status s;
    switch (tag) {
      case kTypeValue:
      case kTypeBlobIndex:
        if (!GetLengthPrefixedSlice(&input, &key) || !GetLengthPrefixedSlice(&input, &value)) {
          return BatchCorruption(
              tag == kTypeValue ? "truncated put record" : "truncated blob index record", offset);
        }
        if (handler != nullptr) {
          s = tag == kTypeValue ? handler->Put(key, value) : handler->PutBlobIndex(key, value);
        }
        break;
      case kTypeDeletion:
        if (!GetLengthPrefixedSlice(&input, &key)) {
          return BatchCorruption("truncated delete record", offset);
        }
        if (handler != nullptr) s = handler->Delete(key);
        break;
      default:
        return BatchCorruption("unknown record tag " + std::to_string(tag), offset);
    }
    if (!s.ok()) return s;
    found++;
  }
  if (found != expected) {
    return BatchCorruption("count is " + std::to_string(expected) + " but " +
                               std::to_string(found) + " records were found",
                           rep.size());
  }
  return Status::OK();
}

// Applies records to a memtable with consecutive sequence numbers.
class MemTableInserter final : public WriteBatchInternal::Handler {
 public:
  MemTableInserter(SequenceNumber seq, MemTable* mem) : seq_(seq), mem_(mem) {}
  Status Put(const Slice& key, const Slice& value) override {
    mem_->Add(seq_++, kTypeValue, key, value);
    return Status::OK();
  }
  Status Delete(const Slice& key) override {
    mem_->Add(seq_++, kTypeDeletion, key, Slice());
    return Status::OK();
  }
  Status PutBlobIndex(const Slice& key, const Slice& blob_index) override {
    mem_->Add(seq_++, kTypeBlobIndex, key, blob_index);
    return Status::OK();
  }

 private:
  SequenceNumber seq_;
  MemTable* mem_;
};

}  // namespace

uint32_t WriteBatchInternal::Count(const WriteBatch* b) {
  return DecodeFixed32(b->rep_.data() + kCountOffset);
}

void WriteBatchInternal::SetCount(WriteBatch* b, uint32_t n) {
  EncodeFixed32(&b->rep_[kCountOffset], n);
}

SequenceNumber WriteBatchInternal::Sequence(const WriteBatch* b) {
  return DecodeFixed64(b->rep_.data() + kSequenceOffset);
}

void WriteBatchInternal::SetSequence(WriteBatch* b, SequenceNumber seq) {
  EncodeFixed64(&b->rep_[kSequenceOffset], seq);
}

Status WriteBatchInternal::SetContents(WriteBatch* b, const Slice& contents) {
  if (contents.size() < kHeaderSize) {
    return BatchCorruption("representation of " + std::to_string(contents.size()) +
                               " bytes is shorter than its header",
                           0);
  }
  b->rep_.assign(contents.data(), contents.size());
  return Status::OK();
}

void WriteBatchInternal::AddRecord(WriteBatch* b, ValueType tag, const Slice& key,
                                   const Slice* value) {
  SetCount(b, Count(b) + 1);
  b->rep_.push_back(static_cast<char>(tag));
  PutLengthPrefixedSlice(&b->rep_, key);
  if (value != nullptr) PutLengthPrefixedSlice(&b->rep_, *value);
}

void WriteBatchInternal::PutBlobIndex(WriteBatch* b, const Slice& key, const Slice& blob_index) {
  AddRecord(b, kTypeBlobIndex, key, &blob_index);
}

void WriteBatchInternal::Append(WriteBatch* dst, const WriteBatch* src) {
  SetCount(dst, Count(dst) + Count(src));
  dst->rep_.append(src->rep_.data() + kHeaderSize, src->rep_.size() - kHeaderSize);
}

Status WriteBatchInternal::Iterate(const WriteBatch* b, Handler* handler) {
  return ParseRecords(b->rep_, handler);
}

Status WriteBatchInternal::Validate(const WriteBatch* b) { return ParseRecords(b->rep_, nullptr); }

Status WriteBatchInternal::InsertInto(const WriteBatch* b, MemTable* mem) {
  Status s = Validate(b);
  if (!s.ok()) return s;
  const SequenceNumber first = Sequence(b);
  const uint32_t n = Count(b);
  if (n > 0 && (first > kMaxSequenceNumber || kMaxSequenceNumber - first < n - 1)) {
    return Status::Corruption("write batch: sequence " + std::to_string(first) + " + " +
                              std::to_string(n) + " records overflows the sequence space");
  }
  MemTableInserter inserter(first, mem);
  return ParseRecords(b->rep_, &inserter);
}

}  // namespace lode
