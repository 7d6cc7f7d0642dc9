// BlobFileCache: open BlobFileReaders shared by every reader of a DB, kept in
// an LRU lode::Cache keyed by file number (at most about max_open_files).
//
// A reader handed out stays usable while the caller holds its shared_ptr,
// even if the cache evicts it meanwhile. Blob files are immutable and their
// numbers are never reused, so a cached reader never goes stale; Evict is for
// files being deleted, to release the descriptor early.
//
// Thread-safe.
#ifndef LODE_BLOB_BLOB_FILE_CACHE_H_
#define LODE_BLOB_BLOB_FILE_CACHE_H_

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "blob/blob_file_reader.h"
#include "lib/util/cache.h"
#include "lode/env.h"
#include "lode/status.h"

namespace lode {

class BlobFileCache {
 public:
  BlobFileCache(Env* env, std::string dbname, size_t max_open_files);
  BlobFileCache(const BlobFileCache&) = delete;
  BlobFileCache& operator=(const BlobFileCache&) = delete;

  // Sets *reader to an open reader of blob file file_number, opening it (and
  // checking header and footer) on a miss. A missing file is Corruption
  // naming it (callers only ask for files that something references). On
  // failure *reader is unchanged and nothing is cached, so a later call
  // retries.
  Status Get(uint64_t file_number, std::shared_ptr<BlobFileReader>* reader);

  // Drops the cached reader of file_number, if any.
  void Evict(uint64_t file_number);

  // Files still being written (write-time files of a live memtable, which
  // holds only their blob indexes): AddGrowing opens a reader of the file
  // (BlobFileReader::OpenGrowing), and until RemoveGrowing a Get that misses
  // the cache hands it out instead of opening the file, which has no footer
  // yet. It is never put in the LRU.
  Status AddGrowing(uint64_t file_number);
  void RemoveGrowing(uint64_t file_number);

  Env* env() const { return env_; }
  const std::string& dbname() const { return dbname_; }

 private:
  Env* const env_;
  const std::string dbname_;
  std::shared_ptr<Cache> cache_;
  // Striped by file number so that concurrent misses on one file open it once.
  static constexpr size_t kOpenStripes = 16;
  std::mutex open_mu_[kOpenStripes];
  std::mutex growing_mu_;
  std::unordered_map<uint64_t, std::shared_ptr<BlobFileReader>>
      growing_;  // GUARDED_BY(growing_mu_)
};

}  // namespace lode

#endif  // LODE_BLOB_BLOB_FILE_CACHE_H_
