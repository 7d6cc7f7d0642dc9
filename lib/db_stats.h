// Counters a DB keeps for GetProperty("lode.stats") and the GC report.
#ifndef LODE_LIB_DB_STATS_H_
#define LODE_LIB_DB_STATS_H_

#include <cstdint>
#include <vector>

namespace lode {

// Work done by compactions (and flushes) that wrote into one level.
struct LevelStats {
  uint64_t compactions = 0;
  uint64_t micros = 0;
  uint64_t bytes_read = 0;          // table bytes read from this level and the one above
  uint64_t bytes_written = 0;       // table bytes written into this level
  uint64_t blob_bytes_written = 0;  // blob bytes written by jobs outputting here

  void Add(const LevelStats& o) {
    compactions += o.compactions;
    micros += o.micros;
    bytes_read += o.bytes_read;
    bytes_written += o.bytes_written;
    blob_bytes_written += o.blob_bytes_written;
  }
};

struct DBStats {
  uint64_t user_bytes_written = 0;  // keys + values handed to Put/Write
  uint64_t wal_bytes_written = 0;
  uint64_t flushes = 0;
  uint64_t flush_table_bytes = 0;
  uint64_t flush_blob_bytes = 0;
  uint64_t write_stalls = 0;     // writes that waited for a flush or compaction
  uint64_t write_slowdowns = 0;  // writes delayed by the L0 slowdown trigger
  uint64_t stall_micros = 0;
  std::vector<LevelStats> levels;  // index = output level
};

struct GcStats {
  uint64_t runs = 0;         // RunBlobGc calls
  uint64_t relocations = 0;  // other compactions that relocated at least one blob
  uint64_t bytes_relocated = 0;
  uint64_t blobs_relocated = 0;
  uint64_t files_dropped = 0;
  uint64_t bytes_reclaimed = 0;     // blob file bytes deleted
  uint64_t bytes_written = 0;       // blob file bytes written by relocation
  uint64_t reveal_compactions = 0;  // scheduler merges that turned hidden garbage into counted
  uint64_t scheduled_plans = 0;     // relocation plans the space-ceiling scheduler started
  uint64_t idle_jobs = 0;           // scheduler jobs run while the DB was idle
  uint64_t slowdown_writes = 0;     // write groups delayed by the space slowdown
  uint64_t slowdown_micros = 0;     // time they slept
  uint64_t stall_writes = 0;        // write groups that waited at the hard limit
  uint64_t stall_micros = 0;        // time they waited
};

}  // namespace lode

#endif  // LODE_LIB_DB_STATS_H_
