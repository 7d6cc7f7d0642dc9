#include "lib/memtable.h"

#include <cassert>
#include <cstring>

#include "lib/util/coding.h"

namespace lode {

namespace {

// Decodes a length-prefixed slice written by the memtable itself (so trusted).
Slice DecodeLengthPrefixed(const char* p) {
  uint32_t len = 0;
  const char* q = GetVarint32Ptr(p, p + 5, &len);
  return Slice(q, len);
}

}  // namespace

int MemTable::EntryComparator::operator()(const char* a, const char* b) const {
  return icmp.Compare(DecodeLengthPrefixed(a), DecodeLengthPrefixed(b));
}

MemTable::MemTable(const InternalKeyComparator& cmp)
    : comparator_(cmp), table_(comparator_, &arena_) {}

MemTable::~MemTable() { assert(refs_.load() == 0); }

void MemTable::Ref() { refs_.fetch_add(1, std::memory_order_relaxed); }

void MemTable::Unref() {
  const int before = refs_.fetch_sub(1, std::memory_order_acq_rel);
  assert(before >= 1);
  if (before == 1) delete this;
}

size_t MemTable::ApproximateMemoryUsage() const { return arena_.MemoryUsage(); }

void MemTable::Add(SequenceNumber seq, ValueType type, const Slice& key, const Slice& value) {
  assert(seq <= kMaxSequenceNumber);
  const size_t ikey_len = key.size() + 8;
  const size_t encoded_len =
      VarintLength(ikey_len) + ikey_len + VarintLength(value.size()) + value.size();
  char* buf = arena_.Allocate(encoded_len);
  char* p = EncodeVarint32(buf, static_cast<uint32_t>(ikey_len));
  memcpy(p, key.data(), key.size());
  p += key.size();
  EncodeFixed64(p, PackSequenceAndType(seq, type));
  p += 8;
  p = EncodeVarint32(p, static_cast<uint32_t>(value.size()));
  memcpy(p, value.data(), value.size());
  assert(p + value.size() == buf + encoded_len);
  table_.Insert(buf);

  num_entries_.fetch_add(1, std::memory_order_relaxed);
  if (type == kTypeDeletion) num_deletes_.fetch_add(1, std::memory_order_relaxed);
  // Only the single writer changes first_sequence_: load and store suffice.
  const SequenceNumber first = first_sequence_.load(std::memory_order_relaxed);
  if (first == 0 || seq < first) first_sequence_.store(seq, std::memory_order_relaxed);
}

bool MemTable::Get(const LookupKey& key, std::string* value, ValueType* type) const {
  Table::Iterator it(&table_);
  // The lookup key has the highest trailer for its sequence, so Seek lands on
  // the newest entry for the user key with sequence <= it.
  it.Seek(key.memtable_key().data());
  if (!it.Valid()) return false;
  const Slice ikey = DecodeLengthPrefixed(it.key());
  if (comparator_.icmp.user_comparator()->Compare(ExtractUserKey(ikey), key.user_key()) != 0) {
    return false;
  }
  const ValueType t = static_cast<ValueType>(ExtractTrailer(ikey) & 0xff);
  switch (t) {
    case kTypeValue:
    case kTypeBlobIndex: {
      const Slice v = DecodeLengthPrefixed(ikey.data() + ikey.size());
      value->assign(v.data(), v.size());
      *type = t;
      return true;
    }
    case kTypeDeletion:
      *type = t;
      return true;
  }
  assert(false);  // Add stores only known types
  return false;
}

// Iterates the skiplist; Seek takes an internal key and length-prefixes it.
class MemTable::MemTableIterator final : public Iterator {
 public:
  explicit MemTableIterator(const Table* table) : iter_(table) {}

  bool Valid() const override { return iter_.Valid(); }
  void SeekToFirst() override { iter_.SeekToFirst(); }
  void SeekToLast() override { iter_.SeekToLast(); }
  void Seek(const Slice& target) override {
    seek_key_.clear();
    PutVarint32(&seek_key_, static_cast<uint32_t>(target.size()));
    seek_key_.append(target.data(), target.size());
    iter_.Seek(seek_key_.data());
  }
  void Next() override { iter_.Next(); }
  void Prev() override { iter_.Prev(); }
  Slice key() const override { return DecodeLengthPrefixed(iter_.key()); }
  Slice value() const override {
    const Slice k = DecodeLengthPrefixed(iter_.key());
    return DecodeLengthPrefixed(k.data() + k.size());
  }
  Status status() const override { return Status::OK(); }

 private:
  Table::Iterator iter_;
  std::string seek_key_;  // length-prefixed copy of the Seek target
};

Iterator* MemTable::NewIterator() { return new MemTableIterator(&table_); }

}  // namespace lode
