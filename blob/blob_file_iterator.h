// BlobFileIterator: walks every record of one finished blob file in file
// order, verifying each record's checksum, and at the end the footer's blob
// count, blob bytes and records checksum. Used by `lode verify`,
// `lode dump-blob`, GC checks and tests.
//
// Damage stops the walk: Valid() turns false and status() is Corruption
// naming the file and the record's offset. A walk that ends with status() OK
// has seen every record the footer promised, unchanged.
//
// Not thread-safe; one thread per iterator. key() / stored_value() point into
// the iterator's buffer and stay valid until the next Next() or SeekToFirst().
#ifndef LODE_BLOB_BLOB_FILE_ITERATOR_H_
#define LODE_BLOB_BLOB_FILE_ITERATOR_H_

#include <cstdint>
#include <memory>
#include <string>

#include "blob/blob_index.h"
#include "blob/blob_log_format.h"
#include "lode/env.h"
#include "lode/slice.h"
#include "lode/status.h"

namespace lode {

class ChecksumStream;

class BlobFileIterator {
 public:
  // Opens file_name, checks header (naming file_number) and footer. On
  // failure *iter is unchanged. readahead: bytes fetched per file read.
  static Status Open(Env* env, const std::string& file_name, uint64_t file_number,
                     std::unique_ptr<BlobFileIterator>* iter, size_t readahead = 1 << 20);
  ~BlobFileIterator();
  BlobFileIterator(const BlobFileIterator&) = delete;
  BlobFileIterator& operator=(const BlobFileIterator&) = delete;

  // Positions at the first record (restarts the walk).
  void SeekToFirst();
  bool Valid() const { return valid_; }
  // REQUIRES: Valid()
  void Next();

  // REQUIRES: Valid()
  Slice key() const { return key_; }
  Slice stored_value() const { return stored_; }
  // The index that locates this record (what a table would hold).
  const BlobIndex& index() const { return index_; }
  uint64_t record_offset() const { return record_offset_; }
  // The user value (decompresses the stored bytes into *value).
  Status GetValue(std::string* value) const;

  // OK while walking and after a clean end; otherwise the damage found.
  Status status() const { return status_; }

  const BlobLogHeader& header() const { return header_; }
  const BlobLogFooter& footer() const { return footer_; }
  uint64_t file_size() const { return file_size_; }

 private:
  BlobFileIterator(std::unique_ptr<RandomAccessFile> file, std::string file_name,
                   uint64_t file_number, uint64_t file_size, size_t readahead);
  // Makes [offset, offset + n) available in buf_; returns a pointer to it.
  Status Fetch(uint64_t offset, uint64_t n, const char** data);
  // Reads the record at pos_, or checks the footer totals at the end.
  void ParseRecord();
  void SetCorruption(uint64_t offset, const std::string& what);

  std::unique_ptr<RandomAccessFile> file_;
  const std::string file_name_;
  const uint64_t file_number_;
  const uint64_t file_size_;
  const uint64_t records_end_;  // offset of the footer
  const size_t readahead_;
  BlobLogHeader header_;
  BlobLogFooter footer_;

  std::string buf_;  // file bytes [buf_offset_, buf_offset_ + buf_.size())
  uint64_t buf_offset_ = 0;
  uint64_t pos_ = 0;  // offset of the next record to parse
  bool valid_ = false;
  Status status_;
  Slice key_;
  Slice stored_;
  BlobIndex index_;
  uint64_t record_offset_ = 0;
  uint64_t seen_count_ = 0;
  uint64_t seen_bytes_ = 0;
  std::unique_ptr<ChecksumStream> records_stream_;
};

}  // namespace lode

#endif  // LODE_BLOB_BLOB_FILE_ITERATOR_H_
