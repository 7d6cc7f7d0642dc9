// log::Writer: appends records to a log file (WAL or manifest) in the format
// of lib/log_format.h.
//
// The Writer does not own dest; dest must outlive it. One thread at a time.
// AddRecord only appends: the caller decides when to Flush or Sync dest.
// After AddRecord fails, the file's tail is unknown: stop using this Writer
// (the DB switches to a new log file).
#ifndef LODE_LIB_LOG_WRITER_H_
#define LODE_LIB_LOG_WRITER_H_

#include <cstdint>

#include "lib/log_format.h"
#include "lode/env.h"
#include "lode/slice.h"
#include "lode/status.h"

namespace lode::log {

class Writer {
 public:
  // dest is empty.
  explicit Writer(WritableFile* dest);
  // dest already holds dest_length bytes of a log; new records follow them.
  // REQUIRES: those bytes end on a fragment boundary (no torn tail), otherwise
  // the torn bytes become damage in the middle of the file for readers.
  Writer(WritableFile* dest, uint64_t dest_length);

  Writer(const Writer&) = delete;
  Writer& operator=(const Writer&) = delete;

  // Appends record (any size, including empty). Does not sync.
  Status AddRecord(const Slice& record);

 private:
  Status EmitFragment(FragmentKind kind, const char* data, size_t n);

  WritableFile* const dest_;
  size_t block_offset_;  // bytes already used in the current block
};

}  // namespace lode::log

#endif  // LODE_LIB_LOG_WRITER_H_
