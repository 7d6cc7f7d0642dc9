// Internal keys: user_key | fixed64(sequence << 8 | type).
//
// Entries sort by user key ascending, then by sequence descending (newest
// first), then by type descending. Snapshots are sequence numbers.
#ifndef LODE_LIB_DBFORMAT_H_
#define LODE_LIB_DBFORMAT_H_

#include <cstdint>
#include <string>

#include "lib/util/coding.h"
#include "lib/util/comparator.h"
#include "lode/slice.h"

namespace lode {

using SequenceNumber = uint64_t;
// Sequence numbers use 56 bits so that sequence and type pack into 8 bytes.
constexpr SequenceNumber kMaxSequenceNumber = (uint64_t{1} << 56) - 1;

// Persisted in tables and the WAL: values are frozen, retired ones stay here.
enum ValueType : uint8_t {
  kTypeDeletion = 0x0,
  kTypeValue = 0x1,
  kTypeBlobIndex = 0x2,  // the value is an encoded BlobIndex (blob/blob_index.h)
  // 0x3 reserved: kTypeRangeDeletion; 0x4 reserved: kTypeMerge
};
// The type used to build seek keys: the highest type sorts first at one sequence.
constexpr ValueType kValueTypeForSeek = kTypeBlobIndex;

inline bool IsKnownValueType(uint8_t t) { return t <= kTypeBlobIndex; }

inline uint64_t PackSequenceAndType(SequenceNumber seq, ValueType t) { return (seq << 8) | t; }

struct ParsedInternalKey {
  Slice user_key;
  SequenceNumber sequence = 0;
  ValueType type = kTypeValue;
  ParsedInternalKey() = default;
  ParsedInternalKey(const Slice& u, SequenceNumber s, ValueType t)
      : user_key(u), sequence(s), type(t) {}
  std::string DebugString() const;
};

inline size_t InternalKeyEncodingLength(const ParsedInternalKey& k) {
  return k.user_key.size() + 8;
}
void AppendInternalKey(std::string* result, const ParsedInternalKey& key);
// False if internal_key is malformed (too short or an unknown type).
bool ParseInternalKey(const Slice& internal_key, ParsedInternalKey* result);

// REQUIRES: internal_key.size() >= 8
inline Slice ExtractUserKey(const Slice& internal_key) {
  return Slice(internal_key.data(), internal_key.size() - 8);
}
inline uint64_t ExtractTrailer(const Slice& internal_key) {
  return DecodeFixed64(internal_key.data() + internal_key.size() - 8);
}

// Orders internal keys: user key by the user comparator, then trailer descending.
class InternalKeyComparator final : public Comparator {
 public:
  explicit InternalKeyComparator(const Comparator* user) : user_(user) {}
  int Compare(const Slice& a, const Slice& b) const override;
  const char* Name() const override { return "lode.InternalKeyComparator"; }
  void FindShortestSeparator(std::string* start, const Slice& limit) const override;
  void FindShortSuccessor(std::string* key) const override;
  const Comparator* user_comparator() const { return user_; }

 private:
  const Comparator* user_;
};

// An owned internal key (table bounds, compaction pointers).
class InternalKey {
 public:
  InternalKey() = default;  // empty: invalid
  InternalKey(const Slice& user_key, SequenceNumber s, ValueType t) {
    AppendInternalKey(&rep_, ParsedInternalKey(user_key, s, t));
  }
  bool DecodeFrom(const Slice& s) {
    rep_.assign(s.data(), s.size());
    return !rep_.empty();
  }
  Slice Encode() const { return rep_; }
  Slice user_key() const { return ExtractUserKey(rep_); }
  bool empty() const { return rep_.empty(); }
  void Clear() { rep_.clear(); }
  std::string DebugString() const;

 private:
  std::string rep_;
};

// A key for looking up user_key as of sequence s in the memtable and tables:
//   varint32(internal key length) | user_key | fixed64(s << 8 | kValueTypeForSeek)
class LookupKey {
 public:
  LookupKey(const Slice& user_key, SequenceNumber s);
  LookupKey(const LookupKey&) = delete;
  LookupKey& operator=(const LookupKey&) = delete;
  Slice memtable_key() const { return Slice(rep_.data(), rep_.size()); }
  Slice internal_key() const { return Slice(rep_.data() + kstart_, rep_.size() - kstart_); }
  Slice user_key() const { return Slice(rep_.data() + kstart_, rep_.size() - kstart_ - 8); }

 private:
  std::string rep_;
  size_t kstart_ = 0;
};

}  // namespace lode

#endif  // LODE_LIB_DBFORMAT_H_
