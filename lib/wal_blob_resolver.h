// WalBlobResolver: recovery's half of write-time separation. A WAL record
// written with Options::blob_write_time_separation holds blob indexes in
// place of large values; the resolver reads each value back out of its
// (possibly unfinished) blob file, checking key, sizes and record checksum,
// so the replayed memtable holds values as it did before the crash. The
// recovery flush then separates them again, into blob files a version
// names; the old write-time files become orphans the open deletes.
//
// Owns one reader per blob file it opened. Used by one thread (recovery).
#ifndef LODE_LIB_WAL_BLOB_RESOLVER_H_
#define LODE_LIB_WAL_BLOB_RESOLVER_H_

#include <cstdint>
#include <map>
#include <memory>
#include <string>

#include "lode/env.h"
#include "lode/status.h"
#include "lode/write_batch.h"

namespace lode {

class BlobFileReader;

class WalBlobResolver {
 public:
  WalBlobResolver(Env* env, std::string dbname);
  ~WalBlobResolver();
  WalBlobResolver(const WalBlobResolver&) = delete;
  WalBlobResolver& operator=(const WalBlobResolver&) = delete;

  // If batch holds blob indexes: sets *out to batch with each replaced by
  // the value it locates (same sequence and count) and *resolved = true.
  // Otherwise *resolved = false and *out is untouched. NotFound naming the
  // blob file when a value was never made durable: its file is missing, or
  // ends before the value (what a crash leaves of unsynced appends).
  // Corruption when the value is there but damaged (header, key, sizes or
  // checksum wrong); IOError when a file cannot be read.
  Status Resolve(const WriteBatch& batch, WriteBatch* out, bool* resolved);

 private:
  // The reader of blob file `number`, opened on first use.
  Status Reader(uint64_t number, const BlobFileReader** reader);

  Env* const env_;
  const std::string dbname_;
  std::map<uint64_t, std::unique_ptr<BlobFileReader>> readers_;
};

}  // namespace lode

#endif  // LODE_LIB_WAL_BLOB_RESOLVER_H_
