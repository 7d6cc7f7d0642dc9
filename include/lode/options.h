// Options that control a DB, its reads and its writes.
//
// Options are plain values copied by DB::Open; SetOptions changes the
// tunables of a live DB (see db.h). Thread-safety: a const Options may be
// read from any thread.
#ifndef LODE_INCLUDE_OPTIONS_H_
#define LODE_INCLUDE_OPTIONS_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

namespace lode {

class Env;
class KeyProvider;  // lode/encryption.h
class Snapshot;

enum class Compression : unsigned char { kNone = 0, kLZ4 = 1 };

// How DB::Open treats a damaged write-ahead log (names as in RocksDB).
enum class WalRecoveryMode : unsigned char {
  // A torn record at the tail of a log is dropped and ends the replay (a
  // crash leaves it, and no later log holds a synced write then); damage
  // elsewhere is Corruption.
  kTolerateCorruptedTailRecords = 0,
  // Any damage, even a torn tail, is Corruption.
  kAbsoluteConsistency = 1,
  // Replay stops at the first damage; everything before it is recovered.
  kPointInTimeRecovery = 2,
  // Damaged records are skipped and replay goes on.
  kSkipAnyCorruptedRecords = 3,
};

struct Options {
  bool create_if_missing = true;
  bool error_if_exists = false;
  bool paranoid_checks = false;  // at open, verify every live file (as VerifyDB does)
  Env* env = nullptr;            // nullptr: the default POSIX env
  WalRecoveryMode wal_recovery_mode = WalRecoveryMode::kPointInTimeRecovery;
  // Encrypts every WAL, manifest, table and blob file (lode/encryption.h,
  // doc/encryption.md). nullptr: files are plain. Must match how the DB was created.
  std::shared_ptr<KeyProvider> encryption;

  // LSM
  size_t write_buffer_size = 64 << 20;
  size_t block_size = 4 << 10;
  int bloom_bits_per_key = 10;
  Compression compression = Compression::kLZ4;
  size_t block_cache_capacity = 64 << 20;
  int num_levels = 7;
  int level0_compaction_trigger = 4;
  int level0_slowdown_writes_trigger = 20;
  int level0_stop_writes_trigger = 36;
  uint64_t target_file_size = 64 << 20;
  uint64_t max_bytes_for_level_base = 256 << 20;
  double max_bytes_for_level_multiplier = 10;
  int max_background_jobs = 2;
  // Linux nice value, 0..19, of the threads that run compactions and GC;
  // fixed at open. With two or more background jobs one thread only flushes
  // and keeps the process's priority (writers wait for it); a lone thread
  // runs everything at the process's priority. At 19 the application's
  // threads preempt GC when both want the CPU: on 2 cores that brought put
  // p99.9 during GC from up to ~3x to 1.1-1.7x of the same run with GC off
  // (bench/RESULTS.md, session 9). lode's own writes cannot starve the
  // work: when it falls behind they wait (L0 and space slowdowns) and give
  // it the CPU; other busy threads of the application do not, so a process
  // that keeps every core busy should set 0. Best effort: a system that
  // refuses the change leaves the threads as they were.
  int compaction_thread_nice = 19;
  int max_open_files = 1000;  // table and blob readers kept open

  // Key-value separation
  bool enable_blob_files = true;
  uint64_t min_blob_size = 4096;        // values >= this go to blob files
  uint64_t blob_file_size = 256 << 20;  // target size of one blob file
  Compression blob_compression = Compression::kLZ4;
  // Write-time separation: a large value goes to a blob file when it is
  // written, and the WAL holds only its blob index, so the value reaches the
  // disk once instead of twice (WAL, then the flush's blob file); the
  // memtable holds the index too. Encrypted DBs use it as well (indexed blob
  // files, doc/encryption.md), with the value kept in the memtable. Fixed at
  // Open. doc/write_time_separation.md.
  bool blob_write_time_separation = true;
  size_t blob_cache_capacity = 0;  // 0: no blob cache

  // Blob garbage collection (relocating compaction)
  bool enable_blob_gc = true;
  double blob_gc_age_cutoff = 0.25;        // oldest fraction of blob files eligible
  double blob_gc_garbage_threshold = 0.5;  // or any file at least this garbage
  double blob_gc_force_threshold = 0.8;    // without a ceiling: targeted compactions past this

  // The space ceiling (doc/gc.md): background GC keeps the bytes of blob
  // files under this multiple of the live blob bytes, choosing files by
  // benefit/cost and compacting the tables that pin them ahead of ordinary
  // compactions when the ceiling is near. 0: no ceiling (the thresholds
  // above drive GC alone). Otherwise > 1.
  double max_space_amplification = 1.2;
  // After this many seconds without a write, GC goes on until blob space is
  // within blob_gc_idle_space_amplification of the live bytes, then stops.
  // 0: no idle reclamation.
  uint64_t blob_gc_idle_seconds = 5;
  double blob_gc_idle_space_amplification = 1.03;
  // Bytes per second that GC may copy while under the ceiling (0: unpaced).
  // Past the ceiling GC is never paced: keeping space bounded comes first.
  uint64_t blob_gc_rate_limit = 0;
  // When writes outrun GC and blob space passes 1 + 1.75 x (ceiling - 1),
  // each write waits in proportion to its bytes, up to a stall at
  // 1 + 2.25 x (ceiling - 1), so the ceiling holds even when the writes
  // alone fill the disk (doc/gc.md, "Space slowdown"). Costs write
  // throughput only then. Needs a ceiling and enable_blob_gc.
  bool blob_gc_slowdown_writes = true;
};

struct ReadOptions {
  const Snapshot* snapshot = nullptr;  // nullptr: the latest state
  bool verify_checksums = true;
  bool fill_cache = true;
};

struct WriteOptions {
  bool sync = false;         // fsync the WAL before acknowledging
  bool disable_wal = false;  // the write is lost on a crash before flush
};

// What DB::RunBlobGc works on.
struct BlobGcOptions {
  // Relocate out of these blob files only (empty: every eligible file).
  std::vector<uint64_t> blob_files;
  // Overrides Options::blob_gc_age_cutoff for this run when in [0, 1].
  double age_cutoff = -1;
  // Overrides Options::blob_gc_garbage_threshold for this run when in [0, 1].
  double garbage_threshold = -1;
};

}  // namespace lode

#endif  // LODE_INCLUDE_OPTIONS_H_
