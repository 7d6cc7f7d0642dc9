// DBImpl: the engine behind lode::DB.
//
// Threads: any number of user threads call the public methods; a pool of
// Options::max_background_jobs threads runs flushes (first) and compactions.
// One mutex (mutex_) guards the in-memory state listed below; file I/O is done
// without it, except the WAL append of the leader of a write group, which
// holds only the writer queue.
#ifndef LODE_LIB_DB_IMPL_H_
#define LODE_LIB_DB_IMPL_H_

#include <atomic>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "gc/blob_gc_scheduler.h"
#include "lib/db_stats.h"
#include "lib/dbformat.h"
#include "lib/snapshot_list.h"
#include "lode/db.h"
#include "lode/env.h"

namespace lode {

class BlobFileCache;
struct BlobFileBuilderOptions;
class BlobSource;
class Cache;
class Compaction;
class MemTable;
class RateLimiter;
class TableCache;
class Version;
class VersionEdit;
class VersionSet;
class WalBlobResolver;
class WriteTimeBlobs;
struct FileMetaData;
namespace log {
class Writer;
}

class DBImpl final : public DB {
 public:
  // What a background thread runs: a lone thread runs everything.
  enum class BackgroundRole { kAll, kFlush, kCompaction };

  DBImpl(const Options& options, const std::string& dbname);
  ~DBImpl() override;

  Status Put(const WriteOptions& o, const Slice& key, const Slice& value) override;
  Status Delete(const WriteOptions& o, const Slice& key) override;
  Status Write(const WriteOptions& o, WriteBatch* batch) override;
  Status Get(const ReadOptions& o, const Slice& key, std::string* value) override;
  std::unique_ptr<Iterator> NewIterator(const ReadOptions& o) override;
  const Snapshot* GetSnapshot() override;
  void ReleaseSnapshot(const Snapshot* snapshot) override;
  Status Flush() override;
  Status CompactRange(const Slice* begin, const Slice* end) override;
  Status WaitForBackgroundWork() override;
  Status SetOptions(const std::unordered_map<std::string, std::string>& updates) override;
  Status RunBlobGc(const BlobGcOptions& options) override;
  Status GetGcReport(GcReport* report) override;
  bool GetProperty(const Slice& name, std::string* value) override;

  // Checks every live file and the garbage invariant (VerifyDB).
  Status Verify(VerifyReport* report);

  // Opens or creates the DB: lock, recover manifest and WALs, start threads.
  Status Open();

 private:
  struct Writer;
  // A CompactRange or RunBlobGc in progress: it runs alone, automatic
  // compactions wait (flushes go on).
  struct ManualCompaction {};

  // Recovery (db_impl_open.cc). REQUIRES: mutex_ held.
  Status NewDB();
  Status Recover(std::unique_lock<std::mutex>& lock, VersionEdit* edit, bool* save_manifest);
  Status RecoverLogFile(std::unique_lock<std::mutex>& lock, uint64_t log_number, bool last_log,
                        WalBlobResolver* blobs, bool* save_manifest, VersionEdit* edit,
                        SequenceNumber* max_sequence, bool* stop);
  Status CheckLiveFilesExist();

  // Write path (db_impl_write.cc).
  Status MakeRoomForWrite(std::unique_lock<std::mutex>& lock, bool force);
  WriteBatch* BuildBatchGroup(Writer** last_writer);
  // Makes mem_ a new, referenced memtable with its write-time blob files
  // (mem_blobs_; nullptr when large values go through the WAL: option off).
  // REQUIRES: mutex_ held.
  void NewMemTable();
  // What mem_ holds, counting the values an index-only memtable left in its
  // write-time files. REQUIRES: mutex_ held.
  uint64_t MemTableBytes() const;
  // Blob file builder settings from the live options, numbers from the
  // pending outputs. REQUIRES: mutex_ held.
  BlobFileBuilderOptions BlobBuilderOptions();
  Status SwitchMemTable();  // REQUIRES: mutex_ held
  // Makes imm_'s write-time blob files and log durable if the switch left
  // them unsynced, or waits for the thread doing it. REQUIRES: mutex_ held.
  Status SyncSwitchedLog(std::unique_lock<std::mutex>& lock);

  // Background work (db_impl_background.cc). REQUIRES: mutex_ held unless noted.
  void StartBackgroundThreads();
  void BackgroundThreadMain(BackgroundRole role);
  bool RunOneBackgroundJob(std::unique_lock<std::mutex>& lock, BackgroundRole role);
  // write_blobs: where mem's large values went at write time, or nullptr.
  Status FlushMemTable(std::unique_lock<std::mutex>& lock, MemTable* mem,
                       WriteTimeBlobs* write_blobs, VersionEdit* edit, bool log_and_apply);
  // paced: relocation goes through the GC rate limiter.
  Status RunCompaction(std::unique_lock<std::mutex>& lock, Compaction* c,
                       const std::set<uint64_t>* gc_files = nullptr, bool paced = false);
  Compaction* PickBlobGcCompaction(const std::set<uint64_t>& gc_files, bool* found);
  // The next job of the space-ceiling and idle scheduler (db_impl_gc.cc), or
  // nullptr. urgent_only: only work that goes ahead of ordinary compactions.
  // *gc_files: the files the job relocates out of; *paced: whether it is
  // rate limited.
  Compaction* PickScheduledGcCompaction(bool urgent_only, std::set<uint64_t>* gc_files,
                                        bool* paced);
  // The scheduler has work it could start now.
  bool ScheduledGcDue() const;
  // Idle GC is on and has not finished since the last write; *due is when
  // it may start (blob_gc_idle_seconds after that write).
  bool IdleGcPending(uint64_t* due) const;
  // No write for blob_gc_idle_seconds, and idle GC has not finished since.
  bool IdleGcDue() const;
  // How long a background thread with nothing to do may sleep before idle GC
  // becomes due; 0: until woken.
  uint64_t IdleGcWaitMicros() const;
  bool HasSpaceCeiling() const { return options_.max_space_amplification > 1.0; }
  // Space slowdown (gc/space_slowdown.h, db_impl_gc.cc). The leader of a write
  // group pays the delay its predecessors ran up, and waits while space is
  // at the hard limit and GC can still bring it down; ChargeWriteForSpace
  // runs up the delay of a group of `bytes`. REQUIRES: mutex_ held by lock.
  bool SpaceSlowdownOn() const;
  Status DelayWriteForSpace(std::unique_lock<std::mutex>& lock);
  void ChargeWriteForSpace(uint64_t bytes);
  // Blob space amplification as the slowdown sees it (SlowdownSpaceAmp); 0
  // when writes need no slowing or the slowdown is off (no ceiling, GC off,
  // blob_gc_slowdown_writes false). Write group leaders only (it reads
  // mem_blobs_).
  double SpaceAmpForWrites();
  void RecordDroppedBlobFiles(const VersionEdit& edit, const Version* base);
  // Manual work (CompactRange, RunBlobGc) runs alone: Begin waits for running
  // jobs and keeps automatic compactions from starting until End.
  void BeginManualWork(std::unique_lock<std::mutex>& lock, ManualCompaction* manual);
  void EndManualWork();
  Status CompactRangeLocked(std::unique_lock<std::mutex>& lock, const Slice* begin,
                            const Slice* end);
  Status RunManualCompaction(std::unique_lock<std::mutex>& lock, Compaction* c,
                             const std::set<uint64_t>* gc_files);
  void RecordBackgroundError(const Status& s);
  void DeleteObsoleteFiles(std::unique_lock<std::mutex>& lock);
  bool HasPendingWork() const;
  // The eligible blob files' garbage passed blob_gc_force_threshold.
  bool ForcedBlobGcDue() const;
  // A new file number, registered as a pending output until released.
  uint64_t NewPendingOutput();
  void ReleasePendingOutputs(const std::vector<uint64_t>& numbers);
  Status WaitForFlushOfImmutable(std::unique_lock<std::mutex>& lock);

  // Reads.
  SequenceNumber SnapshotSequence(const ReadOptions& o);

  // Immutable after construction.
  std::unique_ptr<Env> encrypted_env_;  // set iff options.encryption; env_ points at it
  Env* const env_;
  const std::string dbname_;
  const InternalKeyComparator icmp_;
  std::shared_ptr<Cache> block_cache_;
  std::shared_ptr<Cache> blob_cache_;
  std::unique_ptr<TableCache> table_cache_;
  std::unique_ptr<BlobFileCache> blob_file_cache_;
  std::unique_ptr<BlobSource> blob_source_;
  std::unique_ptr<FileLock> db_lock_;

  mutable std::mutex mutex_;
  Options options_;  // GUARDED_BY(mutex_): SetOptions changes tunables
  std::atomic<bool> shutting_down_{false};
  std::condition_variable bg_work_cv_;  // background threads wait for work here
  std::condition_variable bg_done_cv_;  // signalled when a job finishes or state changes
  std::vector<std::thread> bg_threads_;
  int running_jobs_ = 0;          // GUARDED_BY(mutex_)
  bool flush_requested_ = false;  // GUARDED_BY(mutex_): Flush() waits on an empty imm

  MemTable* mem_ = nullptr;  // GUARDED_BY(mutex_)
  MemTable* imm_ = nullptr;  // GUARDED_BY(mutex_): being flushed
  std::atomic<bool> has_imm_{false};
  std::unique_ptr<WritableFile> logfile_;  // GUARDED_BY(mutex_)
  uint64_t logfile_number_ = 0;            // GUARDED_BY(mutex_)
  std::unique_ptr<log::Writer> log_;       // GUARDED_BY(mutex_)
  // Where the large values of mem_ / imm_ went at write time (or null). The
  // write group leader uses mem_blobs_ without the mutex, as it does log_.
  std::unique_ptr<WriteTimeBlobs> mem_blobs_;  // GUARDED_BY(mutex_)
  std::unique_ptr<WriteTimeBlobs> imm_blobs_;  // GUARDED_BY(mutex_)
  // The switch barrier: the log of imm_ and its write-time blob files are
  // synced after the memtable switch, off the writer's path, by the flush
  // job or by the first synced write that needs them (SyncSwitchedLog).
  // Set while the barrier is pending: imm_'s log, still unsynced.
  std::unique_ptr<WritableFile> switched_log_;  // GUARDED_BY(mutex_)
  bool switch_barrier_running_ = false;         // GUARDED_BY(mutex_)
  // Bytes of imm_'s write-time blob files, from the switch until its flush
  // installs them (the space slowdown counts them).
  uint64_t imm_blob_bytes_ = 0;            // GUARDED_BY(mutex_)
  std::unique_ptr<WriteBatch> wal_batch_;  // the leader's WAL form of a group

  std::deque<Writer*> writers_;  // GUARDED_BY(mutex_)
  std::unique_ptr<WriteBatch> tmp_batch_;

  SnapshotList snapshots_;              // GUARDED_BY(mutex_)
  std::set<uint64_t> pending_outputs_;  // GUARDED_BY(mutex_)
  std::unique_ptr<VersionSet> versions_;
  ManualCompaction* manual_compaction_ = nullptr;  // GUARDED_BY(mutex_)
  Status bg_error_;                                // GUARDED_BY(mutex_)
  DBStats stats_;                                  // GUARDED_BY(mutex_)
  GcStats gc_stats_;                               // GUARDED_BY(mutex_)
  std::unique_ptr<RateLimiter> gc_rate_limiter_;
  // The scheduler's current relocation plan: blob files being copied out of,
  // one pinning table per job, until no table references them.
  std::set<uint64_t> gc_plan_files_;  // GUARDED_BY(mutex_)
  // The version in which the scheduler found work but nothing it could start
  // with no job running: it waits for the next version instead of spinning.
  uint64_t gc_blocked_version_ = 0;  // GUARDED_BY(mutex_)
  std::atomic<uint64_t> last_write_micros_{0};
  // The space slowdown: delay owed by the next write group, and the blob
  // totals of the version they were last computed for.
  uint64_t space_debt_micros_ = 0;         // GUARDED_BY(mutex_)
  uint64_t space_last_charge_micros_ = 0;  // the last group's share of it; GUARDED_BY(mutex_)
  uint64_t space_version_ = 0;             // GUARDED_BY(mutex_)
  BlobSpace space_;                        // of version space_version_; GUARDED_BY(mutex_)
  // last_write_micros_ as it was when idle GC found nothing more to do.
  uint64_t idle_gc_done_for_ = UINT64_MAX;  // GUARDED_BY(mutex_)
};

}  // namespace lode

#endif  // LODE_LIB_DB_IMPL_H_
