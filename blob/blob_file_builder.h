// BlobFileBuilder: what a flush or compaction uses to separate large values.
// It decides inline-or-blob against min_blob_size, writes separated values
// into blob files it creates (rolling over to a new file once one reaches
// blob_file_size), and hands back the encoded BlobIndex to store in the table.
//
// Lifecycle: Add / AddRelocated ..., then exactly one of Finish or Abandon.
// Files get numbers from options.new_file_number (the DB's counter); the
// caller registers them as pending outputs and, after Finish, records the
// BlobFileAdditionInfo in its version edit. If anything fails, the caller
// calls Abandon, which deletes every file this builder created.
//
// Not thread-safe: one thread drives a builder.
#ifndef LODE_BLOB_BLOB_FILE_BUILDER_H_
#define LODE_BLOB_BLOB_FILE_BUILDER_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "lode/env.h"
#include "lode/options.h"
#include "lode/slice.h"
#include "lode/status.h"

namespace lode {

class BlobFileWriter;

// The immutable facts of one finished blob file, for the version edit.
struct BlobFileAdditionInfo {
  uint64_t file_number = 0;
  uint64_t blob_count = 0;
  uint64_t blob_bytes = 0;  // sum of stored value bytes (= sum of index sizes)
  uint64_t file_size = 0;
  uint64_t records_checksum = 0;  // the footer's checksum of the record checksums
};

struct BlobFileBuilderOptions {
  Env* env = nullptr;
  std::string dbname;
  uint64_t min_blob_size = 4096;  // values at least this long are separated
  // A file is finished once it reaches this size, so it may exceed it by
  // one record.
  uint64_t blob_file_size = 256 << 20;
  Compression compression = Compression::kLZ4;
  // Background writers (flush, GC) start the device writing every this many
  // bytes (WritableFile::StartWriteback), so a finished file's sync, and
  // the syncs of other files meanwhile (a flush's, the foreground's WAL),
  // do not queue behind a whole file's dirty pages. 0: never (the write
  // path's own files, where the call would hold up the writer).
  uint64_t writeback_bytes = 0;
  // The DB's file number counter; the caller registers each number it hands
  // out as a pending output.
  std::function<uint64_t()> new_file_number;
};

// BlobFileBuilderOptions::writeback_bytes of flush and GC outputs.
constexpr uint64_t kBackgroundWritebackBytes = 1 << 20;

class BlobFileBuilder {
 public:
  explicit BlobFileBuilder(const BlobFileBuilderOptions& options);
  // REQUIRES: Finish or Abandon called. (If not, abandons, deleting files.)
  ~BlobFileBuilder();
  BlobFileBuilder(const BlobFileBuilder&) = delete;
  BlobFileBuilder& operator=(const BlobFileBuilder&) = delete;

  // If value.size() >= min_blob_size: writes it to the current blob file,
  // sets *blob_index to the encoded BlobIndex and *separated = true.
  // Otherwise sets *separated = false and writes nothing. After a failure
  // every later call returns the same status.
  Status Add(const Slice& user_key, const Slice& value, std::string* blob_index, bool* separated);

  // Copies an existing stored blob (GC relocation) into the current output
  // file without recompressing it; sets *blob_index (encoded). Always
  // separates, whatever min_blob_size says now.
  Status AddRelocated(const Slice& user_key, const Slice& stored, Compression c,
                      uint64_t uncompressed_size, std::string* blob_index);

  // Finishes (footer, sync, close) every file, syncs the directory, and
  // appends one entry per created file to *added. On failure the caller
  // must Abandon.
  Status Finish(std::vector<BlobFileAdditionInfo>* added);

  // Changes the threshold, the file size and the compression for later
  // Adds (SetOptions on a live DB). A new compression finishes the current
  // file, whose header names the old one.
  Status Reconfigure(uint64_t min_blob_size, uint64_t blob_file_size, Compression compression);

  // Hands what Add wrote so far to the OS (sync: to stable storage, and the
  // directory too when a file was created since the last such sync), so a
  // WAL record may point at it. For write-time separation.
  Status FlushFile(bool sync);

  // Closes the current file without a footer and keeps every file this
  // builder created: for write-time separation at close, when the WAL still
  // names the files and recovery reads them. Ends the builder like Abandon.
  void Detach();

  // Closes and deletes every file this builder created, finished or not:
  // also after a successful Finish, for a job whose later step (table write,
  // manifest append) failed. Never once a version edit naming them is
  // installed. Safe to call twice.
  void Abandon();

  // Numbers of every file created so far (finished or not; also those
  // Abandon deleted), in order.
  const std::vector<uint64_t>& created_files() const { return created_files_; }
  // Bytes written to every file so far: the finished ones and the current one.
  uint64_t BytesWritten() const;

 private:
  Status OpenFileIfNeeded();
  // After each record: starts writeback when writeback_bytes more are
  // written, finishes the file when it is full.
  Status AfterRecord();
  // Footer, sync, close of the current file (if any), remembered for Finish.
  Status FinishCurrentFile();

  BlobFileBuilderOptions options_;
  std::unique_ptr<BlobFileWriter> writer_;  // current output, or null
  std::vector<uint64_t> created_files_;
  std::vector<BlobFileAdditionInfo> finished_;
  Status status_;                // first failure, sticky
  bool done_ = false;            // Finish, Abandon or Detach called
  size_t dir_synced_files_ = 0;  // created_files_ whose names FlushFile(sync) made durable
  uint64_t writeback_at_ = 0;    // the current file's size at its last StartWriteback
};

}  // namespace lode

#endif  // LODE_BLOB_BLOB_FILE_BUILDER_H_
