// BlobFileWriter: writes ONE blob file (doc/blob_format.md): Open writes the
// header, AddBlob/AddRecord append records, Finish writes the footer, syncs
// and closes. It owns the WritableFile; it never deletes the file (it has no
// Env): after Abandon, or a failed call, whoever created the file removes it.
//
// Not thread-safe: one thread drives a writer. The first failed write makes
// the writer fail every later call with the same status.
#ifndef LODE_BLOB_BLOB_FILE_WRITER_H_
#define LODE_BLOB_BLOB_FILE_WRITER_H_

#include <cstdint>
#include <memory>
#include <string>

#include "blob/blob_index.h"
#include "lode/env.h"
#include "lode/options.h"
#include "lode/slice.h"
#include "lode/status.h"

namespace lode {

class ChecksumStream;

class BlobFileWriter {
 public:
  // compression is the file's default for AddBlob (recorded in the header).
  BlobFileWriter(std::unique_ptr<WritableFile> file, std::string file_name, uint64_t file_number,
                 Compression compression);
  ~BlobFileWriter();  // closes the file if still open (no footer)
  BlobFileWriter(const BlobFileWriter&) = delete;
  BlobFileWriter& operator=(const BlobFileWriter&) = delete;

  // Writes the header. REQUIRES: called once, before any Add.
  Status Open();

  // Appends a record for user_key holding value, LZ4-compressed when the
  // file's compression is kLZ4 and that saves enough, else raw. Sets *index
  // to locate it. REQUIRES: Open succeeded; not finished or abandoned.
  Status AddBlob(const Slice& user_key, const Slice& value, BlobIndex* index);

  // Appends a record holding bytes already stored elsewhere (compression c,
  // uncompressed_size bytes once decompressed) without recompressing them:
  // GC relocation. The caller vouches that stored decodes under c.
  // REQUIRES: as AddBlob; for kNone, uncompressed_size == stored.size().
  Status AddRecord(const Slice& user_key, const Slice& stored, Compression c,
                   uint64_t uncompressed_size, BlobIndex* index);

  // Writes the footer, syncs and closes. REQUIRES: Open succeeded, once.
  Status Finish();

  // Hands the bytes appended so far to the OS (sync: to stable storage),
  // so a reader of the unfinished file sees them: write-time separation
  // makes a WAL record point at them. REQUIRES: open, not finished.
  Status Flush(bool sync);

  // WritableFile::StartWriteback of the bytes appended so far. REQUIRES:
  // open, not finished.
  Status StartWriteback();

  // Closes the file without a footer and leaves it for the caller (an
  // unfinished write-time blob file that a WAL still names).
  void Close();

  // Closes the file without a footer; the caller deletes it.
  void Abandon();

  uint64_t file_number() const { return file_number_; }
  const std::string& file_name() const { return file_name_; }
  // Bytes written so far (the final file size after Finish).
  uint64_t FileSize() const { return offset_; }
  uint64_t BlobCount() const { return blob_count_; }
  // Sum of stored value bytes (see BlobLogFooter::blob_bytes).
  uint64_t BlobBytes() const { return blob_bytes_; }
  // The footer's records_checksum. Meaningful after Finish.
  uint64_t RecordsChecksum() const { return records_checksum_; }
  bool finished() const { return finished_; }

 private:
  // status_ if it failed, InvalidArgument if not open or already finished.
  Status CheckWritable() const;
  Status Append(const Slice& data);

  std::unique_ptr<WritableFile> file_;
  const std::string file_name_;
  const uint64_t file_number_;
  const Compression compression_;
  std::unique_ptr<ChecksumStream> records_stream_;  // over every record checksum
  Status status_;                                   // first failure, sticky
  uint64_t offset_ = 0;                             // bytes appended
  uint64_t blob_count_ = 0;
  uint64_t blob_bytes_ = 0;
  uint64_t records_checksum_ = 0;
  bool opened_ = false;
  bool finished_ = false;
  bool closed_ = false;
  std::string scratch_;  // header + key of the record being written
  std::string compressed_;
};

}  // namespace lode

#endif  // LODE_BLOB_BLOB_FILE_WRITER_H_
