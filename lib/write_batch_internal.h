// WriteBatchInternal: the engine's access to a WriteBatch's representation.
//
// rep := sequence (fixed64) | count (fixed32) | record*
// record := kTypeValue      varint32(klen) key varint32(vlen) value
//         | kTypeDeletion   varint32(klen) key
//         | kTypeBlobIndex  varint32(klen) key varint32(ilen) blob_index
// The tag byte is the ValueType (lib/dbformat.h). See doc/wal_format.md.
//
// Same threading as WriteBatch: one thread at a time per batch.
#ifndef LODE_LIB_WRITE_BATCH_INTERNAL_H_
#define LODE_LIB_WRITE_BATCH_INTERNAL_H_

#include <cstddef>
#include <cstdint>

#include "lib/dbformat.h"
#include "lode/slice.h"
#include "lode/status.h"
#include "lode/write_batch.h"

namespace lode {

class MemTable;

class WriteBatchInternal {
 public:
  // Bytes of the header: sequence (8) and count (4).
  static constexpr size_t kHeaderSize = 12;

  // Visits every record, blob indexes included. A handler returning a non-OK
  // status stops the iteration and that status is returned.
  class Handler {
   public:
    virtual ~Handler() = default;
    virtual Status Put(const Slice& key, const Slice& value) = 0;
    virtual Status Delete(const Slice& key) = 0;
    virtual Status PutBlobIndex(const Slice& key, const Slice& blob_index) = 0;
  };

  // A handler that appends every record it is handed to *out: the base of
  // handlers that copy a batch while changing some of its records.
  class Copier : public Handler {
   public:
    explicit Copier(WriteBatch* out) : out_(out) {}
    Status Put(const Slice& key, const Slice& value) override {
      AddRecord(out_, kTypeValue, key, &value);
      return Status::OK();
    }
    Status Delete(const Slice& key) override {
      AddRecord(out_, kTypeDeletion, key, nullptr);
      return Status::OK();
    }
    Status PutBlobIndex(const Slice& key, const Slice& blob_index) override {
      WriteBatchInternal::PutBlobIndex(out_, key, blob_index);
      return Status::OK();
    }

   protected:
    WriteBatch* const out_;
  };

  static uint32_t Count(const WriteBatch* b);
  static void SetCount(WriteBatch* b, uint32_t n);

  // The sequence number of the first record.
  static SequenceNumber Sequence(const WriteBatch* b);
  static void SetSequence(WriteBatch* b, SequenceNumber seq);

  // The whole representation (what the WAL stores).
  static Slice Contents(const WriteBatch* b) { return Slice(b->rep_); }
  static size_t ByteSize(const WriteBatch* b) { return b->rep_.size(); }

  // Replaces b's representation; Corruption if contents is shorter than the
  // header (records are checked when iterated). On failure b is unchanged.
  static Status SetContents(WriteBatch* b, const Slice& contents);

  // Appends one record with the given tag; value is nullptr for deletions.
  // REQUIRES: value != nullptr unless tag == kTypeDeletion.
  static void AddRecord(WriteBatch* b, ValueType tag, const Slice& key, const Slice* value);

  // Adds a record whose value is an encoded blob index (write-time
  // separation writes the value to a blob file first).
  static void PutBlobIndex(WriteBatch* b, const Slice& key, const Slice& blob_index);

  // Appends src's records to dst; dst keeps its sequence.
  static void Append(WriteBatch* dst, const WriteBatch* src);

  // Calls handler (nullptr: none) for every record in order. Corruption on malformed
  // contents (bad tag, truncated record, count mismatch); records before the
  // damage have been handed to handler.
  static Status Iterate(const WriteBatch* b, Handler* handler);

  // Checks that every record parses and the count matches, without side
  // effects.
  static Status Validate(const WriteBatch* b);

  // Applies every record to mem with consecutive sequence numbers starting
  // at Sequence(b). Validates first, so a malformed batch changes nothing
  // (Corruption). REQUIRES: the caller is mem's only writer.
  static Status InsertInto(const WriteBatch* b, MemTable* mem);
};

}  // namespace lode

#endif  // LODE_LIB_WRITE_BATCH_INTERNAL_H_
