// BlobFileReader: reads blobs out of one finished blob file by BlobIndex.
//
// Open checks the header and the footer, so an unfinished or damaged file is
// refused up front. Each GetBlob is one positioned read of the record (header,
// key, stored value), checked against the index and the caller's key.
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
  // Opens file_name and checks its header (including that it names
  // file_number) and footer. A file without a valid footer is Corruption
  // naming the file. On failure *reader is unchanged.
  static Status Open(Env* env, const std::string& file_name, uint64_t file_number,
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

  // Reads and checks the record of index into *buf; *stored points at its
  // value bytes (inside *buf or the file's own memory).
  Status ReadRecord(const Slice& user_key, const BlobIndex& index, bool verify_checksum,
                    std::string* buf, Slice* stored) const;

  std::unique_ptr<RandomAccessFile> file_;
  const std::string file_name_;
  const uint64_t file_number_;
  const uint64_t file_size_;
  BlobLogHeader header_;
  BlobLogFooter footer_;
};

}  // namespace lode

#endif  // LODE_BLOB_BLOB_FILE_READER_H_
