// DBImpl: background threads, flushes, compactions, obsolete-file deletion.
#include <algorithm>
#include <chrono>
#include <latch>

#include "blob/blob_file_cache.h"
#include "gc/blob_gc_policy.h"
#include "gc/blob_relocator.h"
#include "lib/compaction.h"
#include "lib/compaction_job.h"
#include "lib/db_impl.h"
#include "lib/filename.h"
#include "lib/flush_job.h"
#include "lib/memtable.h"
#include "lib/table_cache.h"
#include "lib/util/thread_name.h"
#include "lib/util/thread_priority.h"
#include "lib/version_edit.h"
#include "lib/version_set.h"
#include "lib/write_time_blobs.h"

namespace lode {

namespace {

const char* BackgroundThreadName(DBImpl::BackgroundRole role) {
  switch (role) {
    case DBImpl::BackgroundRole::kFlush:
      return "lode-flush";
    case DBImpl::BackgroundRole::kCompaction:
      return "lode-compact";
    case DBImpl::BackgroundRole::kAll:
      break;
  }
  return "lode-bg";
}

}  // namespace

void DBImpl::StartBackgroundThreads() {
  // With two or more threads the first one only flushes and keeps the
  // process's priority: writers wait for flushes when the next memtable is
  // full. The others run compactions and GC at the configured nice value, so
  // that the application's threads (the writers among them) preempt them.
  // The concurrency is as before the split, which kept one thread free for
  // flushes. Only one thread ever flushes, so flushes never overlap.
  const int n = options_.max_background_jobs;
  const int nice = options_.compaction_thread_nice;  // fixed at open
  // Open returns once every thread has its priority, so that no job runs
  // at the wrong one and the setting can be checked.
  std::latch started(n);
  for (int i = 0; i < n; i++) {
    const BackgroundRole role =
        n == 1 ? BackgroundRole::kAll
               : (i == 0 ? BackgroundRole::kFlush : BackgroundRole::kCompaction);
    bg_threads_.emplace_back([this, role, nice, &started] {
      SetCurrentThreadName(BackgroundThreadName(role));
      // Best effort: a refusal only costs latency.
      if (role == BackgroundRole::kCompaction) SetCurrentThreadNice(nice);
      started.count_down();
      BackgroundThreadMain(role);
    });
  }
  started.wait();
}

void DBImpl::BackgroundThreadMain(BackgroundRole role) {
  std::unique_lock<std::mutex> lock(mutex_);
  while (!shutting_down_.load(std::memory_order_acquire)) {
    if (RunOneBackgroundJob(lock, role)) continue;
    // Looking for work may have changed what counts as pending (a finished
    // GC plan pruned, idle reclamation found done): let waiters look again.
    bg_done_cv_.notify_all();
    // Idle reclamation is the one job that becomes due by time alone.
    const uint64_t wait = role == BackgroundRole::kFlush ? 0 : IdleGcWaitMicros();
    if (wait == 0) {
      bg_work_cv_.wait(lock);
    } else {
      bg_work_cv_.wait_for(lock, std::chrono::microseconds(wait));
    }
  }
}

// Runs one flush or compaction if one is due. REQUIRES: mutex_ held.
bool DBImpl::RunOneBackgroundJob(std::unique_lock<std::mutex>& lock, BackgroundRole role) {
  if (!bg_error_.ok() || shutting_down_.load(std::memory_order_acquire)) return false;
  if (role != BackgroundRole::kCompaction && imm_ != nullptr) {
    running_jobs_++;
    VersionEdit edit;
    Status s = SyncSwitchedLog(lock);
    if (s.ok()) s = FlushMemTable(lock, imm_, imm_blobs_.get(), &edit, /*log_and_apply=*/true);
    if (s.ok()) {
      imm_->Unref();
      imm_ = nullptr;
      imm_blobs_.reset();
      imm_blob_bytes_ = 0;
      has_imm_.store(false, std::memory_order_release);
      DeleteObsoleteFiles(lock);
    } else if (!shutting_down_.load(std::memory_order_acquire)) {
      RecordBackgroundError(s);
    }
    running_jobs_--;
    bg_done_cv_.notify_all();
    bg_work_cv_.notify_all();
    return true;
  }
  if (role == BackgroundRole::kFlush) return false;
  if (manual_compaction_ != nullptr) return false;  // the manual one runs alone
  // An idle DB flushes its memtable first: overwrites still in memory hide
  // garbage that idle reclamation could not see otherwise. No writer is in
  // the queue, so the switch cannot race one.
  if (imm_ == nullptr && writers_.empty() && mem_->NumEntries() > 0 &&
      !versions_->current()->blob_files().empty() && IdleGcDue()) {
    return SwitchMemTable().ok();
  }
  std::set<uint64_t> forced_gc_files;
  bool paced = false;
  // Near the space ceiling GC goes first, so ordinary compactions cannot
  // starve it; otherwise it takes what they leave.
  Compaction* c = PickScheduledGcCompaction(/*urgent_only=*/true, &forced_gc_files, &paced);
  if (c == nullptr && versions_->NeedsCompaction()) c = versions_->PickCompaction();
  if (c == nullptr) c = PickScheduledGcCompaction(/*urgent_only=*/false, &forced_gc_files, &paced);
  if (c == nullptr && options_.enable_blob_gc && !HasSpaceCeiling()) {
    // Garbage that ordinary compactions do not reach (cold tables at the
    // bottom): compact exactly the tables that pin the eligible files.
    BlobGcCandidates candidates =
        PickBlobGcCandidates(versions_->current()->blob_files(), BlobGcThresholdsFrom(options_));
    if (candidates.force) {
      bool found = false;
      c = PickBlobGcCompaction(candidates.eligible, &found);
      if (c != nullptr) forced_gc_files = std::move(candidates.eligible);
    }
  }
  if (c == nullptr) return false;
  running_jobs_++;
  Status s = RunCompaction(lock, c, forced_gc_files.empty() ? nullptr : &forced_gc_files, paced);
  if (!s.ok() && !shutting_down_.load(std::memory_order_acquire)) RecordBackgroundError(s);
  running_jobs_--;
  bg_done_cv_.notify_all();
  bg_work_cv_.notify_all();
  return true;
}

void DBImpl::RecordBackgroundError(const Status& s) {
  if (bg_error_.ok() && !s.ok()) {
    bg_error_ = s;
    bg_done_cv_.notify_all();
  }
}

uint64_t DBImpl::NewPendingOutput() {
  std::lock_guard<std::mutex> l(mutex_);
  const uint64_t n = versions_->NewFileNumber();
  pending_outputs_.insert(n);
  return n;
}

void DBImpl::ReleasePendingOutputs(const std::vector<uint64_t>& numbers) {
  for (uint64_t n : numbers) pending_outputs_.erase(n);
}

// Writes mem as a table (and blob files) and adds them to edit; with
// log_and_apply, also installs the edit (moving the log number past mem's
// WAL). REQUIRES: mutex_ held by lock; released during the I/O.
Status DBImpl::FlushMemTable(std::unique_lock<std::mutex>& lock, MemTable* mem,
                             WriteTimeBlobs* write_blobs, VersionEdit* edit, bool log_and_apply) {
  const uint64_t start = env_->NowMicros();
  FlushJobContext ctx;
  ctx.dbname = dbname_;
  ctx.env = env_;
  ctx.options = options_;
  ctx.icmp = &icmp_;
  ctx.table_cache = table_cache_.get();
  ctx.snapshots = snapshots_.Sequences();
  ctx.new_file_number = [this] { return NewPendingOutput(); };
  Version* base = versions_->current();
  base->Ref();
  ctx.base = base;
  FlushResult result;
  lock.unlock();
  Status s = RunFlushJob(ctx, mem, write_blobs, &result);
  lock.lock();

  int level = 0;
  if (s.ok() && result.has_table) {
    // During recovery several flushes share one edit that is not installed
    // yet, so only L0 (where files may overlap) is safe for them.
    if (log_and_apply) {
      level = base->PickLevelForMemTableOutput(result.table.smallest.user_key(),
                                               result.table.largest.user_key());
    }
    edit->AddFile(level, result.table);
  }
  base->Unref();
  if (s.ok()) {
    for (const BlobFileAddition& b : result.blob_files) edit->AddBlobFile(b);
    for (const BlobFileGarbage& g : result.garbage)
      edit->AddBlobGarbage(g.number, g.count, g.bytes);
  }
  if (s.ok() && log_and_apply) {
    edit->SetPrevLogNumber(0);
    edit->SetLogNumber(logfile_number_);  // mem's WAL is no longer needed
    // On failure the record may still have reached the manifest, so the
    // outputs stay; the next open deletes them if nothing references them.
    s = versions_->LogAndApply(edit, &mutex_);
  }
  ReleasePendingOutputs(result.created_files);
  // A write-time blob file stays pending while a WAL names it and no
  // installed version does.
  if (s.ok()) ReleasePendingOutputs(result.write_time_files);
  if (s.ok()) {
    stats_.flushes++;
    stats_.flush_table_bytes += result.table.file_size;
    stats_.flush_blob_bytes += result.blob_bytes;
    LevelStats& ls = stats_.levels[static_cast<size_t>(level)];
    ls.micros += env_->NowMicros() - start;
    ls.bytes_written += result.table.file_size;
    ls.blob_bytes_written += result.blob_bytes;
  }
  return s;
}

// Runs c (a trivial move, or a merge) and installs its result. Blobs met in
// the eligible blob files (gc_files, or the policy's choice when null) are
// relocated on the way. REQUIRES: mutex_ held by lock; released during the
// I/O. Takes ownership of c.
Status DBImpl::RunCompaction(std::unique_lock<std::mutex>& lock, Compaction* c,
                             const std::set<uint64_t>* gc_files, bool paced) {
  std::unique_ptr<Compaction> owned(c);
  const uint64_t start = env_->NowMicros();
  const int out_level = c->output_level();
  LevelStats ls;
  ls.compactions = 1;
  Status s;
  if (c->IsTrivialMove() && gc_files == nullptr) {
    c->AddTrivialMoveTo(c->edit());
    s = versions_->LogAndApply(c->edit(), &mutex_);
    if (s.ok()) {
      RecordDroppedBlobFiles(*c->edit(), c->input_version());
    } else {
      RecordBackgroundError(s);
    }
    owned.reset();  // releases the inputs, under the mutex
    return s;
  }

  std::unique_ptr<BlobRelocator> relocator;
  std::set<uint64_t> eligible;
  if (gc_files != nullptr) {
    eligible = *gc_files;
  } else if (options_.enable_blob_gc && HasSpaceCeiling()) {
    // Under a ceiling only the scheduler's plan decides what is copied: an
    // ordinary compaction that meets those files helps it along.
    eligible = gc_plan_files_;
  } else if (options_.enable_blob_gc) {
    eligible =
        PickBlobGcCandidates(c->input_version()->blob_files(), BlobGcThresholdsFrom(options_))
            .eligible;
  }
  if (!eligible.empty()) {
    BlobFileBuilderOptions bopts = BlobBuilderOptions();
    bopts.writeback_bytes = kBackgroundWritebackBytes;
    relocator = std::make_unique<BlobRelocator>(bopts, blob_file_cache_.get(), eligible,
                                                paced ? gc_rate_limiter_.get() : nullptr);
  }
  CompactionJobContext ctx;
  ctx.dbname = dbname_;
  ctx.options = &options_;
  ctx.icmp = &icmp_;
  ctx.table_cache = table_cache_.get();
  ctx.snapshots = snapshots_.Sequences();
  ctx.new_file_number = [this] { return NewPendingOutput(); };
  ctx.shutting_down = &shutting_down_;
  ctx.handler = relocator.get();
  CompactionJob job(ctx, c);
  std::vector<BlobFileAddition> new_blob_files;
  lock.unlock();
  s = job.Run();
  if (s.ok() && relocator != nullptr) s = relocator->Finish(&new_blob_files);
  lock.lock();
  if (!s.ok()) {
    // Nothing references the outputs yet: take them away again.
    lock.unlock();
    job.Cleanup();
    if (relocator != nullptr) relocator->Abandon();
    lock.lock();
  } else {
    for (const BlobFileAddition& b : new_blob_files) c->edit()->AddBlobFile(b);
    // The new tables' names must be durable before the manifest names them,
    // or a power loss leaves a manifest that references missing files.
    if (!job.created_files().empty()) {
      lock.unlock();
      s = env_->SyncDir(dbname_);
      lock.lock();
      if (!s.ok()) RecordBackgroundError(s);
    }
    if (s.ok()) s = versions_->LogAndApply(c->edit(), &mutex_);
    // The record may have reached the manifest even so: keep the outputs
    // (the next open deletes them if unreferenced) and take no more edits.
    if (!s.ok()) RecordBackgroundError(s);
  }
  ReleasePendingOutputs(job.created_files());
  if (relocator != nullptr) ReleasePendingOutputs(relocator->created_files());
  if (s.ok()) {
    const CompactionJobStats& js = job.stats();
    ls.bytes_read = js.bytes_read;
    ls.bytes_written = js.bytes_written;
    for (const BlobFileAddition& b : new_blob_files) ls.blob_bytes_written += b.file_size;
    ls.micros = env_->NowMicros() - start;
    stats_.levels[static_cast<size_t>(out_level)].Add(ls);
    if (relocator != nullptr && relocator->stats().blobs_relocated > 0) {
      if (gc_files == nullptr) gc_stats_.relocations++;  // RunBlobGc counts itself once
      gc_stats_.blobs_relocated += relocator->stats().blobs_relocated;
      gc_stats_.bytes_relocated += relocator->stats().bytes_relocated;
      for (const BlobFileAddition& b : new_blob_files) gc_stats_.bytes_written += b.file_size;
    }
    RecordDroppedBlobFiles(*c->edit(), c->input_version());
  }
  owned.reset();  // releases the inputs, under the mutex
  if (s.ok()) DeleteObsoleteFiles(lock);
  return s;
}

// Counts the blob files an installed edit dropped as dead. base: a version
// that still lists them. REQUIRES: mutex_ held.
void DBImpl::RecordDroppedBlobFiles(const VersionEdit& edit, const Version* base) {
  for (uint64_t number : edit.deleted_blob_files()) {
    gc_stats_.files_dropped++;
    auto it = base->blob_files().find(number);
    if (it != base->blob_files().end()) gc_stats_.bytes_reclaimed += it->second.meta->file_size;
  }
}

// Deletes files that no live version, pending job or current WAL needs.
// REQUIRES: mutex_ held by lock; released while deleting.
void DBImpl::DeleteObsoleteFiles(std::unique_lock<std::mutex>& lock) {
  if (!bg_error_.ok()) return;  // state on disk is uncertain: keep everything
  std::set<uint64_t> live_tables, live_blobs;
  versions_->AddLiveFiles(&live_tables, &live_blobs);
  const uint64_t min_log = versions_->LogNumber();
  const uint64_t prev_log = versions_->PrevLogNumber();
  const uint64_t manifest = versions_->ManifestFileNumber();
  std::vector<std::string> children;
  env_->GetChildren(dbname_, &children);  // errors: delete nothing
  std::vector<std::pair<std::string, FileType>> doomed;
  std::vector<uint64_t> doomed_numbers;
  for (const std::string& name : children) {
    uint64_t number;
    FileType type;
    if (!ParseFileName(name, &number, &type)) continue;
    bool keep = true;
    switch (type) {
      case FileType::kLogFile:
        keep = number >= min_log || number == prev_log || number == logfile_number_;
        break;
      case FileType::kDescriptorFile:
        keep = number >= manifest;
        break;
      case FileType::kTableFile:
        keep = live_tables.count(number) > 0 || pending_outputs_.count(number) > 0;
        break;
      case FileType::kBlobFile:
        keep = live_blobs.count(number) > 0 || pending_outputs_.count(number) > 0;
        break;
      case FileType::kTempFile:
        keep = pending_outputs_.count(number) > 0;
        break;
      case FileType::kCurrentFile:
      case FileType::kLockFile:
        keep = true;
        break;
    }
    if (!keep) {
      doomed.emplace_back(name, type);
      doomed_numbers.push_back(number);
    }
  }
  if (doomed.empty()) return;
  lock.unlock();
  for (size_t i = 0; i < doomed.size(); i++) {
    if (doomed[i].second == FileType::kTableFile) table_cache_->Evict(doomed_numbers[i]);
    if (doomed[i].second == FileType::kBlobFile) blob_file_cache_->Evict(doomed_numbers[i]);
    env_->RemoveFile(dbname_ + "/" + doomed[i].first);
  }
  lock.lock();
}

bool DBImpl::HasPendingWork() const {
  if (imm_ != nullptr || running_jobs_ > 0) return true;
  if (!bg_error_.ok() || manual_compaction_ != nullptr) return false;
  return versions_->NeedsCompaction() || ForcedBlobGcDue() || ScheduledGcDue();
}

bool DBImpl::ForcedBlobGcDue() const {
  return options_.enable_blob_gc && !HasSpaceCeiling() &&
         PickBlobGcCandidates(versions_->current()->blob_files(), BlobGcThresholdsFrom(options_))
             .force;
}

// Waits until imm_ is flushed. REQUIRES: mutex_ held by lock.
Status DBImpl::WaitForFlushOfImmutable(std::unique_lock<std::mutex>& lock) {
  bg_work_cv_.notify_all();
  while (imm_ != nullptr && bg_error_.ok() && !shutting_down_.load()) bg_done_cv_.wait(lock);
  if (!bg_error_.ok()) return bg_error_;
  return Status::OK();
}

Status DBImpl::Flush() {
  Status s = Write(WriteOptions(), nullptr);  // switches the memtable in writer order
  if (!s.ok()) return s;
  std::unique_lock<std::mutex> lock(mutex_);
  return WaitForFlushOfImmutable(lock);
}

Status DBImpl::WaitForBackgroundWork() {
  std::unique_lock<std::mutex> lock(mutex_);
  bg_work_cv_.notify_all();
  // A due compaction whose inputs are busy is picked when the running job
  // ends, which wakes this loop too.
  while (HasPendingWork() && bg_error_.ok() && !shutting_down_.load()) bg_done_cv_.wait(lock);
  return bg_error_;
}

Status DBImpl::CompactRange(const Slice* begin, const Slice* end) {
  Status s = Flush();
  if (!s.ok()) return s;
  std::unique_lock<std::mutex> lock(mutex_);
  ManualCompaction manual;
  BeginManualWork(lock, &manual);
  s = CompactRangeLocked(lock, begin, end);
  EndManualWork();
  return s;
}

// REQUIRES: mutex_ held by lock, inside BeginManualWork/EndManualWork.
Status DBImpl::CompactRangeLocked(std::unique_lock<std::mutex>& lock, const Slice* begin,
                                  const Slice* end) {
  Status s;
  InternalKey begin_key, end_key;
  if (begin != nullptr) begin_key = InternalKey(*begin, kMaxSequenceNumber, kValueTypeForSeek);
  if (end != nullptr) end_key = InternalKey(*end, 0, kTypeDeletion);
  int max_level_with_files = 1;
  Version* v = versions_->current();
  for (int level = 1; level < options_.num_levels; level++) {
    if (v->OverlapInLevel(level, begin, end)) max_level_with_files = level;
  }
  for (int level = 0; level < max_level_with_files && s.ok(); level++) {
    while (s.ok() && !shutting_down_.load()) {
      s = bg_error_;
      if (!s.ok()) break;
      Compaction* c = versions_->CompactRange(level, begin != nullptr ? &begin_key : nullptr,
                                              end != nullptr ? &end_key : nullptr);
      if (c == nullptr) break;
      s = RunManualCompaction(lock, c, nullptr);
    }
  }
  // Tombstones that reached the bottom while a snapshot needed them stay
  // there until their file is compacted again: rewrite those files in place.
  if (s.ok()) {
    Version* current = versions_->current();
    int bottom = -1;
    for (int level = current->NumLevels() - 1; level >= 1 && bottom < 0; level--) {
      if (current->OverlapInLevel(level, begin, end)) bottom = level;
    }
    std::vector<FileMetaData*> with_tombstones;
    if (bottom > 0) {
      std::vector<FileMetaData*> files;
      current->GetOverlappingInputs(bottom, begin != nullptr ? &begin_key : nullptr,
                                    end != nullptr ? &end_key : nullptr, &files);
      for (FileMetaData* f : files) {
        if (f->num_deletions > 0) with_tombstones.push_back(f);
      }
    }
    for (size_t i = 0; i < with_tombstones.size() && s.ok(); i++) {
      Compaction* c = versions_->RewriteFileCompaction(bottom, with_tombstones[i]);
      if (c == nullptr) continue;
      s = RunManualCompaction(lock, c, nullptr);
    }
  }
  return s;
}

void DBImpl::BeginManualWork(std::unique_lock<std::mutex>& lock, ManualCompaction* manual) {
  while (manual_compaction_ != nullptr) bg_done_cv_.wait(lock);
  manual_compaction_ = manual;
  while (running_jobs_ > 0 && bg_error_.ok()) bg_done_cv_.wait(lock);
}

void DBImpl::EndManualWork() {
  manual_compaction_ = nullptr;
  bg_done_cv_.notify_all();
  bg_work_cv_.notify_all();
}

Status DBImpl::RunManualCompaction(std::unique_lock<std::mutex>& lock, Compaction* c,
                                   const std::set<uint64_t>* gc_files) {
  running_jobs_++;
  Status s = RunCompaction(lock, c, gc_files);
  running_jobs_--;
  return s;
}

}  // namespace lode
