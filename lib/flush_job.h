// FlushJob: writes one memtable out as a table plus the blob files of its
// large values.
//
// Values of at least min_blob_size go to blob files (BlobFileBuilder), unless
// they went to one at write time (WriteTimeBlobs), and the table gets their
// blob indexes; versions no snapshot can see are dropped on
// the way, through the same CompactionIterator compactions use. The job
// writes and syncs every file and the directory; installing them is the
// caller's (one version edit). On failure the job deletes what it created.
#ifndef LODE_LIB_FLUSH_JOB_H_
#define LODE_LIB_FLUSH_JOB_H_

#include <functional>
#include <string>
#include <vector>

#include "lib/dbformat.h"
#include "lib/version_edit.h"
#include "lode/options.h"

namespace lode {

class Env;
class MemTable;
class TableCache;
class Version;
class WriteTimeBlobs;

struct FlushJobContext {
  std::string dbname;
  Env* env = nullptr;
  Options options;  // a copy taken when the job starts
  const InternalKeyComparator* icmp = nullptr;
  TableCache* table_cache = nullptr;      // to check the new table opens
  std::vector<SequenceNumber> snapshots;  // live snapshots, ascending
  // Allocates a file number and registers it as a pending output.
  std::function<uint64_t()> new_file_number;
  // The version the table will enter, referenced by the caller, or null.
  // Each separated value's key is looked up in it, to estimate the blob
  // bytes the table shadows (FileMetaData::shadowed_blob_bytes).
  Version* base = nullptr;
};

struct FlushResult {
  bool has_table = false;
  FileMetaData table;  // valid when has_table
  std::vector<BlobFileAddition> blob_files;
  std::vector<BlobFileGarbage> garbage;  // blob indexes the flush dropped
  std::vector<uint64_t> created_files;   // every number allocated (tables and blobs)
  // The write-time blob files the job finished: pending outputs until the
  // edit is installed, and never deleted by a failed job (a WAL names them).
  std::vector<uint64_t> write_time_files;
  uint64_t blob_bytes = 0;  // bytes of blob files written (or finished, for write-time ones)
};

// write_blobs: where mem's large values went at write time, or nullptr; the
// job finishes those files and the table points into them.
// REQUIRES: the caller holds a reference to mem and does not hold the DB mutex.
Status RunFlushJob(const FlushJobContext& ctx, MemTable* mem, WriteTimeBlobs* write_blobs,
                   FlushResult* result);

}  // namespace lode

#endif  // LODE_LIB_FLUSH_JOB_H_
