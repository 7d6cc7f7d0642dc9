// BlobFileReader: reads blobs out of one finished blob file by BlobIndex.
//
// Open checks the header and the footer, so an unfinished or damaged file is
// refused up front. Each GetBlob is one positioned read of the record (header,
// key, stored value), checked against the index and the caller's key; a
// caller that scans may read many records at once (ReadAhead) and hand the
// bytes back to GetBlob, which checks them the same way.
//
// Thread-safe: after Open, any number of threads may call the const methods
// concurrently (RandomAccessFile reads are). Readers are shared through
// BlobFileCache.
#ifndef LODE_BLOB_BLOB_FILE_READER_H_
#define LODE_BLOB_BLOB_FILE_READER_H_

#include <cstdint>
#include <memory>
#include <string>

#include "blob/blob_index.h"
#include "blob/blob_log_format.h"
#include "lode/env.h"
#include "lode/options.h"
#include "lode/slice.h"
#include "lode/status.h"

namespace lode {

class BlobFileReader {
 public:
  // Bytes of file file_number that a caller read ahead (ReadAhead): data
  // holds the file's bytes [offset, offset + data.size()). The caller owns
  // the memory.
  struct Prefetched {
    uint64_t file_number = 0;
    uint64_t offset = 0;
    Slice data;
  };

  // Opens file_name and checks its header (including that it names
  // file_number) and footer. A file without a valid footer is Corruption
  // naming the file. On failure *reader is unchanged.
  static Status Open(Env* env, const std::string& file_name, uint64_t file_number,
                     std::unique_ptr<BlobFileReader>* reader);

  // Opens a blob file that may have no footer yet: one written at write
  // time (Options::blob_write_time_separation) whose WAL recovery replays.
  // Checks the header only; every byte after it counts as the record area,
  // and each GetBlob still checks its record against the index, the key
  // and the record checksum. footer() is then all zeros.
  static Status OpenUnfinished(Env* env, const std::string& file_name, uint64_t file_number,
                               std::unique_ptr<BlobFileReader>* reader);

  // Opens a blob file this process is still appending to (a write-time file
  // whose memtable holds only blob indexes), before any of its bytes need to
  // be on disk: the header is not read, and the record area is unbounded, as
  // the file grows. Each GetBlob checks its record against the index, the key
  // and the record checksum; a record not written yet is a short read
  // (Corruption). header() and footer() are all zeros.
  static Status OpenGrowing(Env* env, const std::string& file_name, uint64_t file_number,
                            std::unique_ptr<BlobFileReader>* reader);

  BlobFileReader(const BlobFileReader&) = delete;
  BlobFileReader& operator=(const BlobFileReader&) = delete;

  // Reads the blob `index` locates and returns its user value in *value.
  // Checks that the range lies inside the record area, that the record's key
  // is user_key and its sizes and compression are the index's, and (if
  // ro.verify_checksums) the record checksum; then decompresses. Any
  // mismatch is Corruption naming the file and the offset; *value is then
  // empty.
  // ro.fill_cache is for BlobSource; this class caches nothing.
  Status GetBlob(const ReadOptions& ro, const Slice& user_key, const BlobIndex& index,
                 std::string* value) const;
  // The same, but the record's bytes are taken from *prefetched, without
  // I/O, when it is of this file and holds the whole record; otherwise the
  // file is read. Every check above applies either way. prefetched may be
  // null.
  Status GetBlob(const ReadOptions& ro, const Slice& user_key, const BlobIndex& index,
                 std::string* value, const Prefetched* prefetched) const;

  // The checks of an index before any I/O (the index's range lies in the
  // record area, its compression is known, its sizes are plausible), so
  // that a caller can check a damaged index before it allocates
  // index.uncompressed_size bytes for it. Corruption naming the file.
  Status CheckIndex(const Slice& user_key, const BlobIndex& index) const;

  // The same, into out, which must hold index.uncompressed_size bytes (the
  // value's size, checked against the record): the value is decompressed
  // (or copied) straight there, so a caller that allocates the final home of
  // the value (a cache entry) pays no zero-filling and no second copy. The
  // record is read into a per-thread scratch buffer that is kept between
  // calls. On failure the bytes of out are unspecified.
  // REQUIRES: CheckIndex(user_key, index) returned OK (the caller made it
  // before allocating out).
  Status GetBlobInto(const ReadOptions& ro, const Slice& user_key, const BlobIndex& index,
                     char* out, const Prefetched* prefetched) const;

  // Sets [*begin, *end) to the file range of the record `index` locates for
  // user_key (record header, key, stored value). Corruption naming the file
  // if that range cannot lie inside the record area, as GetBlob would
  // report.
  Status RecordExtent(const Slice& user_key, const BlobIndex& index, uint64_t* begin,
                      uint64_t* end) const;

  // Reads up to n bytes at offset, clipped to the record area, in one read
  // into scratch (which must hold n bytes) and describes them in *out. For
  // readahead: the bytes are unchecked until GetBlob checks each record.
  Status ReadAhead(uint64_t offset, size_t n, char* scratch, Prefetched* out) const;

  // As GetBlob but returns the stored bytes without decompressing them, for
  // relocation (BlobFileBuilder::AddRelocated). Their compression and
  // uncompressed size are index.compression / index.uncompressed_size, which
  // were checked against the record. Always verifies the checksum: a copy
  // gets a fresh checksum, so it must not launder damaged bytes.
  Status ReadStored(const Slice& user_key, const BlobIndex& index, std::string* stored) const;

  // Readahead hint for [offset, offset + n) (scans resolving many blobs).
  void Prefetch(uint64_t offset, size_t n) const { file_->Prefetch(offset, n); }

  const std::string& file_name() const { return file_name_; }
  uint64_t file_number() const { return file_number_; }
  uint64_t file_size() const { return file_size_; }
  uint64_t blob_count() const { return footer_.blob_count; }
  uint64_t blob_bytes() const { return footer_.blob_bytes; }
  const BlobLogHeader& header() const { return header_; }
  const BlobLogFooter& footer() const { return footer_; }

 private:
  BlobFileReader(std::unique_ptr<RandomAccessFile> file, std::string file_name,
                 uint64_t file_number, uint64_t file_size);

  // Opens file_name and checks its header; Open and OpenUnfinished go on
  // from here.
  static Status OpenHeader(Env* env, const std::string& file_name, uint64_t file_number,
                           uint64_t min_size, std::unique_ptr<BlobFileReader>* reader);

  // Reads and checks the record of index into *buf, or takes it from
  // *prefetched when that holds it; *stored points at its value bytes
  // (inside *buf, *prefetched or the file's own memory). *buf is resized to
  // the record's size, or only grown if grow_only (a reused scratch buffer).
  Status ReadRecord(const Slice& user_key, const BlobIndex& index, bool verify_checksum,
                    const Prefetched* prefetched, std::string* buf, Slice* stored,
                    bool grow_only = false) const;

  std::unique_ptr<RandomAccessFile> file_;
  const std::string file_name_;
  const uint64_t file_number_;
  const uint64_t file_size_;
  uint64_t records_end_ = 0;  // end of the record area: the footer, or the file's end
  BlobLogHeader header_;
  BlobLogFooter footer_;
};

}  // namespace lode

#endif  // LODE_BLOB_BLOB_FILE_READER_H_
