// DB: a persistent ordered map from keys to values, with key-value separation.
//
// A DB is safe for concurrent use by many threads without external
// synchronisation. Every call returns a Status; on failure, out-parameters
// are left in an unspecified but valid state unless a comment says otherwise.
// Destroying the DB waits for background work and releases the directory lock;
// every Iterator must be destroyed and every Snapshot released before that.
#ifndef LODE_INCLUDE_DB_H_
#define LODE_INCLUDE_DB_H_

#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "lode/gc_report.h"
#include "lode/iterator.h"
#include "lode/options.h"
#include "lode/slice.h"
#include "lode/status.h"
#include "lode/write_batch.h"

namespace lode {

// A consistent read view: every read through it sees the DB as it was when
// the snapshot was taken. Obtained from DB::GetSnapshot, released with
// DB::ReleaseSnapshot.
class Snapshot {
 protected:
  virtual ~Snapshot();
};

// What VerifyDB checked and found.
struct VerifyReport {
  uint64_t tables_checked = 0;
  uint64_t table_entries = 0;
  uint64_t blob_files_checked = 0;
  uint64_t blobs_checked = 0;
  uint64_t bytes_checked = 0;
  uint64_t blob_refs_checked = 0;     // blob indexes resolved against blob files
  std::vector<std::string> problems;  // one line each; empty when all is well
};

class DB {
 public:
  // Opens the DB in directory path. On success *db holds it; on failure *db is
  // reset.
  static Status Open(const Options& options, const std::string& path, std::unique_ptr<DB>* db);

  DB() = default;
  DB(const DB&) = delete;
  DB& operator=(const DB&) = delete;
  virtual ~DB();

  virtual Status Put(const WriteOptions& options, const Slice& key, const Slice& value) = 0;
  virtual Status Delete(const WriteOptions& options, const Slice& key) = 0;
  virtual Status Write(const WriteOptions& options, WriteBatch* batch) = 0;
  // NotFound if key is absent; *value is unchanged then.
  virtual Status Get(const ReadOptions& options, const Slice& key, std::string* value) = 0;
  // The iterator starts invalid; call a Seek first. Never nullptr.
  virtual std::unique_ptr<Iterator> NewIterator(const ReadOptions& options) = 0;

  virtual const Snapshot* GetSnapshot() = 0;
  virtual void ReleaseSnapshot(const Snapshot* snapshot) = 0;

  // Writes the memtable to disk and waits until it is installed.
  virtual Status Flush() = 0;
  // Compacts every level overlapping [*begin, *end] down to the last level;
  // nullptr means open-ended.
  virtual Status CompactRange(const Slice* begin, const Slice* end) = 0;
  // Waits until no flush or compaction is pending or running.
  virtual Status WaitForBackgroundWork() = 0;

  // Changes tunables of a live DB, e.g. {"min_blob_size","65536"}. Unknown
  // name or bad value: InvalidArgument, and nothing changes.
  virtual Status SetOptions(const std::unordered_map<std::string, std::string>& new_options) = 0;

  // Blob GC on demand: relocates live blobs out of every eligible blob file
  // (or those named) and drops dead files; returns when installed.
  virtual Status RunBlobGc(const BlobGcOptions& options) = 0;
  virtual Status GetGcReport(GcReport* report) = 0;

  // "lode.stats", "lode.levels", "lode.blob-stats",
  // "lode.num-files-at-level<N>", "lode.num-blob-files",
  // "lode.total-blob-bytes", "lode.live-blob-bytes",
  // "lode.garbage-blob-bytes". False for an unknown name.
  virtual bool GetProperty(const Slice& name, std::string* value) = 0;
};

// Deletes the DB in path and every file lode made there.
Status DestroyDB(const std::string& path, const Options& options);

// Checks every checksum of every live file and the garbage invariant of each
// blob file. Returns OK with an empty report->problems when all is well,
// Corruption naming the first problem otherwise (the report lists them all).
Status VerifyDB(const std::string& path, const Options& options, VerifyReport* report);

}  // namespace lode

#endif  // LODE_INCLUDE_DB_H_
