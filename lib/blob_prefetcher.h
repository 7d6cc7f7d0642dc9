// BlobPrefetcher: readahead for one iterator that resolves blob indexes.
//
// A flush or compaction writes the blobs of a blob file in key order, so a
// scan meets the records of one file at rising offsets (forward) or falling
// ones (reverse), usually back to back. The prefetcher follows up to
// kMaxStreams blob files at once (a short scan of a DB filled in random
// order meets a few records in each of many files). When a record of a file
// begins within a window of where the previous one of that file ended (or
// ends just before it began, in reverse), it reads a whole window of the file
// in one I/O and serves the following records from it; the window doubles
// from kInitialWindow while the pattern holds, up to kMaxWindow or an equal
// share of kWindowBudget among the streams in use, and falls back when it
// breaks. Windows start small because a seek followed by a few nexts uses
// little of each file, and every byte read ahead but not used is a copy
// wasted. A stream keeps its buffer when it moves to another file, so a long
// lived iterator does not allocate (and fault in) fresh windows. After each
// window of at least kHintWindow it hints the OS to fetch the next one
// (RandomAccessFile::Prefetch), so disk reads overlap the caller's work; a
// short scan sends no hint (the system call costs more than it saves when
// the next window is read at once, or the data is cached). Every record served from a window is
// checked exactly as a single read would be (BlobFileReader::GetBlob: index, key, sizes, checksum).
// Values the blob cache holds cost no readahead.
//
// Not thread-safe: one per iterator, used by the thread that uses the
// iterator. source must outlive it. Holds at most kMaxStreams windows.
#ifndef LODE_LIB_BLOB_PREFETCHER_H_
#define LODE_LIB_BLOB_PREFETCHER_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "blob/blob_file_reader.h"
#include "blob/pinned_blob.h"
#include "lode/options.h"
#include "lode/slice.h"
#include "lode/status.h"

namespace lode {

class BlobSource;

class BlobPrefetcher {
 public:
  static constexpr size_t kInitialWindow = 32 << 10;
  static constexpr size_t kMaxWindow = 4 << 20;
  static constexpr size_t kWindowBudget = 16 << 20;  // all streams' windows together
  static constexpr size_t kMaxStreams = 16;
  static constexpr size_t kHintWindow = 256 << 10;  // smaller windows send no OS hint

  explicit BlobPrefetcher(BlobSource* source) : source_(source) {}
  BlobPrefetcher(const BlobPrefetcher&) = delete;
  BlobPrefetcher& operator=(const BlobPrefetcher&) = delete;

  // As BlobSource::GetBlob: sets *value to the user value encoded_blob_index
  // locates for user_key (pinned in the blob cache when it is cached, so
  // without a copy), or returns Corruption (or an I/O error) naming the blob
  // file; *value is then empty.
  Status GetBlob(const ReadOptions& ro, const Slice& user_key, const Slice& encoded_blob_index,
                 PinnedBlob* value);

  // Windows read so far (one I/O each), for tests and statistics.
  uint64_t windows_read() const { return windows_read_; }

 private:
  // What is known of the access pattern in one blob file.
  struct Stream {
    uint64_t file_number = 0;  // 0: unused
    std::shared_ptr<BlobFileReader> reader;
    uint64_t last_begin = 0;  // extent of the last record resolved in the file
    uint64_t last_end = 0;
    size_t window = kInitialWindow;  // size of the next window to read
    // The current window's bytes; not zero-filled, and reallocated only to
    // grow, so a scan touches each page of it once.
    std::unique_ptr<char[]> buf;
    size_t buf_size = 0;
    BlobFileReader::Prefetched window_bytes;  // describes buf; empty data: none
    uint64_t last_use = 0;
  };

  // The stream of file_number, reusing the least recently used one if new;
  // nullptr if the file cannot be opened (GetBlob then reports why).
  Stream* StreamFor(uint64_t file_number);
  // Reads a window around [begin, end) if the access continues the
  // stream's pattern; returns the bytes to take the record from, or null.
  const BlobFileReader::Prefetched* Prepare(Stream* st, uint64_t begin, uint64_t end);
  // The largest window one stream may grow to now.
  size_t WindowLimit() const;

  BlobSource* const source_;
  std::array<Stream, kMaxStreams> streams_;
  uint64_t clock_ = 0;
  size_t streams_in_use_ = 0;
  uint64_t windows_read_ = 0;
};

}  // namespace lode

#endif  // LODE_LIB_BLOB_PREFETCHER_H_
