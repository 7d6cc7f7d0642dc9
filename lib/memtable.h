// MemTable: the in-memory write buffer, a skiplist of internal keys.
//
// Reference counted: whoever keeps a MemTable (the DB as mem or imm, an
// iterator, a Get in flight) holds a Ref; the last Unref deletes it. Ref and
// Unref may be called from any thread.
//
// Threads: Add is called by one writer at a time (the caller serialises
// writers); Get, NewIterator, iterators and the counters may be used from any
// thread concurrently with that writer, without locks.
//
// Each entry is one arena allocation:
//   varint32(internal key length) | user key | fixed64(seq << 8 | type)
//   | varint32(value length) | value
#ifndef LODE_LIB_MEMTABLE_H_
#define LODE_LIB_MEMTABLE_H_

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>

#include "lib/dbformat.h"
#include "lib/skiplist.h"
#include "lib/util/arena.h"
#include "lode/iterator.h"

namespace lode {

class MemTable {
 public:
  // cmp is copied; its user comparator must outlive the memtable.
  // Starts with no reference: the creator calls Ref.
  explicit MemTable(const InternalKeyComparator& cmp);
  MemTable(const MemTable&) = delete;
  MemTable& operator=(const MemTable&) = delete;

  void Ref();
  // Deletes the memtable when the count reaches zero.
  void Unref();

  // Bytes held by the memtable's arena (grows in 64 KiB steps).
  size_t ApproximateMemoryUsage() const;

  // An iterator over internal keys: key() is the internal key, value() the
  // value (an encoded blob index for kTypeBlobIndex, empty for deletions).
  // Seek takes an internal key (REQUIRES: at least 8 bytes). status() is
  // always OK. The caller deletes it; the memtable must outlive it (hold a Ref).
  Iterator* NewIterator();

  // Adds an entry. REQUIRES: no entry with the same user key and sequence
  // exists; one writer at a time.
  void Add(SequenceNumber seq, ValueType type, const Slice& key, const Slice& value);

  // Looks up the newest entry for key.user_key() with sequence <= the
  // sequence of key. Returns true and sets *type: kTypeValue or
  // kTypeBlobIndex with *value set, or kTypeDeletion (*value untouched).
  // Returns false if the memtable has no such entry.
  bool Get(const LookupKey& key, std::string* value, ValueType* type) const;

  // Keeps pin alive as long as the memtable: what its blob indexes point at
  // while it can be read (WriteTimeBlobs::ReadPin). Set before any reader.
  void SetPin(std::shared_ptr<const void> pin) { pin_ = std::move(pin); }

  uint64_t NumEntries() const { return num_entries_.load(std::memory_order_relaxed); }
  uint64_t NumDeletes() const { return num_deletes_.load(std::memory_order_relaxed); }
  // The smallest sequence added (0 if empty).
  SequenceNumber FirstSequence() const { return first_sequence_.load(std::memory_order_relaxed); }

 private:
  // Orders arena entries (length-prefixed internal keys) by internal key.
  struct EntryComparator {
    InternalKeyComparator icmp;
    explicit EntryComparator(const InternalKeyComparator& c) : icmp(c) {}
    int operator()(const char* a, const char* b) const;
  };
  using Table = SkipList<const char*, EntryComparator>;
  class MemTableIterator;

  ~MemTable();  // only Unref deletes

  const EntryComparator comparator_;
  std::atomic<int> refs_{0};
  Arena arena_;
  Table table_;
  std::shared_ptr<const void> pin_;
  std::atomic<uint64_t> num_entries_{0};
  std::atomic<uint64_t> num_deletes_{0};
  std::atomic<SequenceNumber> first_sequence_{0};
};

}  // namespace lode

#endif  // LODE_LIB_MEMTABLE_H_
