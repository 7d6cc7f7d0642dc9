// WriteTimeBlobs: write-time separation (Options::blob_write_time_separation)
// for one memtable. The leader of a write group appends each large Put value
// to this memtable's blob files before the WAL record, and the WAL stores
// only the blob index. The flush that writes the memtable out finishes the
// files and gives the table the indexes, so each large value reaches the
// disk once. doc/write_time_separation.md.
//
// Two ways to keep the memtable's side. Index-only (a BlobFileCache given):
// the memtable holds the blob index, as the WAL does, and reads find the
// value through the cache, where each file is registered as growing from
// its creation until the memtable is gone (ReadPin). Value-keeping (no
// cache; encrypted files cannot be read before they are closed): the
// memtable holds the value itself and the index is remembered here under
// the entry's sequence, for the flush.
//
// Ownership: DBImpl keeps one next to mem_ and one next to imm_. Threads:
// the write group leader calls Separate and Flush (one at a time: the writer
// queue orders them); after the memtable switch only the flush job uses it.
// The DB mutex hands it over.
#ifndef LODE_LIB_WRITE_TIME_BLOBS_H_
#define LODE_LIB_WRITE_TIME_BLOBS_H_

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "blob/blob_file_builder.h"
#include "blob/blob_file_cache.h"
#include "lib/dbformat.h"
#include "lode/iterator.h"
#include "lode/status.h"
#include "lode/write_batch.h"

namespace lode {

// The separation settings of one write group, read from the live options.
struct BlobSeparation {
  uint64_t min_blob_size = 4096;  // UINT64_MAX: separate nothing
  uint64_t blob_file_size = 256 << 20;
  Compression compression = Compression::kLZ4;
};

class WriteTimeBlobs {
 public:
  // read_through: index-only, with files readable through it (it must
  // outlive every ReadPin); nullptr: value-keeping.
  WriteTimeBlobs(const BlobFileBuilderOptions& options, BlobFileCache* read_through);
  // Closes an unfinished file without a footer and keeps every file: a WAL
  // may still name them (Finish was not called or failed).
  ~WriteTimeBlobs();
  WriteTimeBlobs(const WriteTimeBlobs&) = delete;
  WriteTimeBlobs& operator=(const WriteTimeBlobs&) = delete;

  // Writes every Put value of batch that is at least how.min_blob_size to the
  // blob files and sets *wal_batch to what the WAL stores: batch with those
  // values replaced by their blob indexes (same sequence, same count). That
  // is also what an index-only memtable takes; a value-keeping one takes
  // batch, and each index is remembered under its entry's sequence.
  // REQUIRES: batch's sequence is set. On failure the files' state is
  // unknown and every later call fails: the caller must stop writing.
  Status Separate(const WriteBatch& batch, const BlobSeparation& how, WriteBatch* wal_batch);

  // Hands the bytes written so far to the OS, so they are on disk whenever
  // the WAL record that follows is; sync: to stable storage (with the
  // directory entry of a new file), before a synced WAL record.
  Status Flush(bool sync);

  // The encoded blob index written for the memtable entry with sequence
  // seq, or nullptr if its value stayed inline.
  const std::string* Find(SequenceNumber seq) const;

  // Footers, sync, close; appends one entry per file to *added. The files
  // stay pending outputs of the caller until a version edit installs them.
  Status Finish(std::vector<BlobFileAdditionInfo>* added);

  // Bytes in this memtable's blob files so far (on disk, in no version yet).
  uint64_t BytesWritten() const { return builder_.BytesWritten(); }

  bool index_only() const { return growing_ != nullptr; }
  // Uncompressed bytes of the values an index-only memtable left here (0 if
  // value-keeping): what it would hold with them, so that it fills, and is
  // flushed, at the same pace either way.
  uint64_t ValueBytes() const { return value_bytes_.load(std::memory_order_relaxed); }
  // Index-only: keeps the files readable through the cache while held (the
  // memtable holds it: MemTable::SetPin); null if value-keeping.
  std::shared_ptr<const void> ReadPin() const { return growing_; }

  // Every blob file number this memtable's writes created.
  const std::vector<uint64_t>& created_files() const { return builder_.created_files(); }

 private:
  // The files registered with the cache as growing; unregisters them when
  // the last holder lets go.
  struct GrowingFiles {
    BlobFileCache* cache = nullptr;
    std::vector<uint64_t> numbers;
    ~GrowingFiles();
  };
  // Registers the files Separate created since the last call.
  Status RegisterNewFiles();

  BlobFileBuilder builder_;
  std::shared_ptr<GrowingFiles> growing_;                  // null: value-keeping
  std::unordered_map<SequenceNumber, std::string> index_;  // sequence -> encoded BlobIndex
  std::atomic<uint64_t> value_bytes_{0};
  bool finished_ = false;
};

// An iterator over a memtable (mem_iter, owned) that shows each entry whose
// value went to a blob file at write time as kTypeBlobIndex with that index:
// what the flush writes into the table. blobs must outlive it.
Iterator* NewWriteTimeBlobIterator(Iterator* mem_iter, const WriteTimeBlobs* blobs);

}  // namespace lode

#endif  // LODE_LIB_WRITE_TIME_BLOBS_H_
