// DBImpl: opening, recovery from the manifest and the WALs, DestroyDB.
#include <algorithm>
#include <map>

#include "lib/db_impl.h"
#include "lib/encrypted_env.h"
#include "lib/filename.h"
#include "lib/log_reader.h"
#include "lib/log_writer.h"
#include "lib/memtable.h"
#include "lib/version_edit.h"
#include "lib/version_set.h"
#include "lib/wal_blob_resolver.h"
#include "lib/write_batch_internal.h"
#include "lib/write_time_blobs.h"

namespace lode {

Status DBImpl::Open() {
  std::unique_lock<std::mutex> lock(mutex_);
  Status s = env_->CreateDir(dbname_);
  if (!s.ok()) return s;
  s = env_->LockFile(LockFileName(dbname_), &db_lock_);
  if (!s.ok()) return s;

  if (!env_->FileExists(CurrentFileName(dbname_))) {
    if (!options_.create_if_missing) {
      return Status::InvalidArgument(dbname_, "does not exist (create_if_missing is false)");
    }
    s = NewDB();
    if (!s.ok()) return s;
  } else if (options_.error_if_exists) {
    return Status::InvalidArgument(dbname_, "exists (error_if_exists is true)");
  }
  // Encrypted iff a key provider is set, and the key must authenticate.
  s = CheckDbEncryption(env_, dbname_, options_.encryption.get());
  if (!s.ok()) return s;

  VersionEdit edit;
  bool save_manifest = false;
  s = Recover(lock, &edit, &save_manifest);
  if (!s.ok()) return s;

  // A fresh WAL for the writes of this session.
  const uint64_t log_number = versions_->NewFileNumber();
  std::unique_ptr<WritableFile> file;
  s = env_->NewWritableFile(LogFileName(dbname_, log_number), &file);
  if (!s.ok()) return s;
  logfile_ = std::move(file);
  logfile_number_ = log_number;
  log_ = std::make_unique<log::Writer>(logfile_.get());
  NewMemTable();

  edit.SetPrevLogNumber(0);
  edit.SetLogNumber(logfile_number_);
  s = versions_->LogAndApply(&edit, &mutex_);
  if (!s.ok()) return s;
  DeleteObsoleteFiles(lock);
  if (options_.paranoid_checks) {
    lock.unlock();
    VerifyReport report;
    s = Verify(&report);
    lock.lock();
    if (!s.ok()) return s;
  }
  last_write_micros_.store(env_->NowMicros(), std::memory_order_relaxed);
  StartBackgroundThreads();
  bg_work_cv_.notify_all();
  return Status::OK();
}

// Writes a manifest describing an empty DB and points CURRENT at it.
Status DBImpl::NewDB() {
  VersionEdit edit;
  edit.SetComparatorName(icmp_.user_comparator()->Name());
  edit.SetLogNumber(0);
  edit.SetNextFile(2);
  edit.SetLastSequence(0);

  const std::string manifest = DescriptorFileName(dbname_, 1);
  std::unique_ptr<WritableFile> file;
  Status s = env_->NewWritableFile(manifest, &file);
  if (!s.ok()) return s;
  {
    log::Writer log(file.get());
    std::string record;
    edit.EncodeTo(&record);
    s = log.AddRecord(record);
    if (s.ok()) s = file->Sync();
    if (s.ok()) s = file->Close();
  }
  if (s.ok()) {
    s = SetCurrentFile(env_, dbname_, 1);
  } else {
    env_->RemoveFile(manifest);
  }
  return s;
}

// REQUIRES: mutex_ held.
Status DBImpl::Recover(std::unique_lock<std::mutex>& lock, VersionEdit* edit, bool* save_manifest) {
  Status s = versions_->Recover(save_manifest);
  if (!s.ok()) return s;
  // The WAL the manifest names as live is created before any edit names it
  // and deleted only after a later edit moves past it, so it must be here.
  // If it is not, the manifest's newest records were lost (a damaged tail
  // read as a torn write) and what they installed would silently vanish.
  const uint64_t live_log = versions_->LogNumber();
  if (live_log != 0 && !env_->FileExists(LogFileName(dbname_, live_log))) {
    std::string manifest;
    if (!ReadFileToString(env_, CurrentFileName(dbname_), &manifest).ok()) manifest = "MANIFEST";
    while (!manifest.empty() && manifest.back() == '\n') manifest.pop_back();
    return Status::Corruption(dbname_ + "/" + manifest,
                              "names " + BaseName(LogFileName(dbname_, live_log)) +
                                  " as the live WAL but it is missing: the manifest's newest "
                                  "records are probably damaged");
  }
  s = CheckLiveFilesExist();
  if (!s.ok()) return s;

  // Logs newer than the manifest's log number hold writes not yet in tables.
  const uint64_t min_log = versions_->LogNumber();
  const uint64_t prev_log = versions_->PrevLogNumber();
  std::vector<std::string> children;
  s = env_->GetChildren(dbname_, &children);
  if (!s.ok()) return s;
  std::vector<uint64_t> logs;
  for (const std::string& name : children) {
    uint64_t number;
    FileType type;
    if (!ParseFileName(name, &number, &type)) continue;
    // A file the manifest never heard of (a write-time blob file the WAL
    // names, an orphan) keeps its number: recovery must not create a file
    // over it.
    versions_->MarkFileNumberUsed(number);
    if (type == FileType::kLogFile && (number >= min_log || number == prev_log)) {
      logs.push_back(number);
    }
  }
  std::sort(logs.begin(), logs.end());
  SequenceNumber max_sequence = 0;
  bool stop = false;
  WalBlobResolver blobs(env_, dbname_);
  for (size_t i = 0; i < logs.size() && s.ok() && !stop; i++) {
    s = RecoverLogFile(lock, logs[i], i + 1 == logs.size(), &blobs, save_manifest, edit,
                       &max_sequence, &stop);
    versions_->MarkFileNumberUsed(logs[i]);
  }
  for (uint64_t n : logs) versions_->MarkFileNumberUsed(n);
  if (s.ok() && versions_->LastSequence() < max_sequence) {
    versions_->SetLastSequence(max_sequence);
  }
  return s;
}

// Every table and blob file the manifest names must be there, whole: a file
// shorter or longer than the manifest recorded is Corruption naming it, at
// open rather than at some later read.
Status DBImpl::CheckLiveFilesExist() {
  std::map<uint64_t, uint64_t> tables, blobs;  // number -> size the manifest recorded
  const Version* v = versions_->current();
  for (int level = 0; level < v->NumLevels(); level++) {
    for (const FileMetaData* f : v->files(level)) tables[f->number] = f->file_size;
  }
  for (const auto& [number, state] : v->blob_files()) blobs[number] = state.meta->file_size;
  std::vector<std::string> children;
  Status s = env_->GetChildren(dbname_, &children);
  if (!s.ok()) return s;
  auto check_size = [this](const std::string& fname, uint64_t expected) {
    uint64_t actual = 0;
    Status st = env_->GetFileSize(fname, &actual);
    if (!st.ok()) return st;
    if (expected != 0 && actual != expected) {
      return Status::Corruption(
          fname, "has " + std::to_string(actual) + " bytes but the manifest recorded " +
                     std::to_string(expected) + (actual < expected ? " (truncated)" : ""));
    }
    return Status::OK();
  };
  for (const std::string& name : children) {
    uint64_t number;
    FileType type;
    if (!ParseFileName(name, &number, &type)) continue;
    if (type == FileType::kTableFile) {
      auto it = tables.find(number);
      if (it == tables.end()) continue;
      s = check_size(TableFileName(dbname_, number), it->second);
      tables.erase(it);
    } else if (type == FileType::kBlobFile) {
      auto it = blobs.find(number);
      if (it == blobs.end()) continue;
      s = check_size(BlobFileName(dbname_, number), it->second);
      blobs.erase(it);
    }
    if (!s.ok()) return s;
  }
  if (!tables.empty()) {
    return Status::Corruption(TableFileName(dbname_, tables.begin()->first),
                              "referenced by the manifest but missing (" +
                                  std::to_string(tables.size()) + " table file(s) missing)");
  }
  if (!blobs.empty()) {
    return Status::Corruption(BlobFileName(dbname_, blobs.begin()->first),
                              "referenced by the manifest but missing (" +
                                  std::to_string(blobs.size()) + " blob file(s) missing)");
  }
  return Status::OK();
}

namespace {

// Collects what the log reader found wrong, for the recovery mode to judge.
struct LogReporter final : public log::Reader::Reporter {
  Status corruption;  // first damage not at the tail
  Status torn_tail;
  Status io_error;  // a failed read says nothing about the log: never skip past it
  size_t dropped_bytes = 0;
  void Corruption(size_t bytes, const Status& s) override {
    dropped_bytes += bytes;
    if (corruption.ok()) corruption = s;
    if (s.IsIOError() && io_error.ok()) io_error = s;
  }
  void TornTail(size_t bytes, const Status& s) override {
    dropped_bytes += bytes;
    if (torn_tail.ok()) torn_tail = s;
  }
};

}  // namespace

// Replays one WAL into memtables, flushing them into edit as they fill.
// REQUIRES: mutex_ held.
Status DBImpl::RecoverLogFile(std::unique_lock<std::mutex>& lock, uint64_t log_number,
                              bool last_log, WalBlobResolver* blobs, bool* save_manifest,
                              VersionEdit* edit, SequenceNumber* max_sequence, bool* stop) {
  const std::string fname = LogFileName(dbname_, log_number);
  std::unique_ptr<SequentialFile> file;
  Status s = env_->NewSequentialFile(fname, &file);
  if (!s.ok()) return s;
  const WalRecoveryMode mode = options_.wal_recovery_mode;

  LogReporter reporter;
  log::Reader reader(file.get(), fname, &reporter, /*checksum=*/true);
  std::string scratch;
  Slice record;
  WriteBatch batch, resolved;
  MemTable* mem = nullptr;
  while (s.ok()) {
    const bool got = reader.ReadRecord(&record, &scratch);
    if (!reporter.io_error.ok()) {
      // Not damage but an unreadable log: recovering a prefix would drop
      // acknowledged writes for good once the new manifest retires the log.
      s = reporter.io_error;
      break;
    }
    if (!reporter.corruption.ok() && mode != WalRecoveryMode::kSkipAnyCorruptedRecords) {
      if (mode == WalRecoveryMode::kPointInTimeRecovery) {
        *stop = true;  // keep the prefix before the damage, nothing after it
        break;
      }
      s = reporter.corruption;
      break;
    }
    if (!got) break;
    if (record.size() < 12) {
      Status bad = Status::Corruption(
          fname, "log record too small at offset " + std::to_string(reader.LastRecordOffset()));
      if (mode == WalRecoveryMode::kSkipAnyCorruptedRecords) continue;
      if (mode == WalRecoveryMode::kPointInTimeRecovery) {
        *stop = true;
        break;
      }
      s = bad;
      break;
    }
    s = WriteBatchInternal::SetContents(&batch, record);
    if (!s.ok()) break;
    // Sequences only grow through the logs; a record that reuses one would
    // put two entries with the same key and sequence into the memtable.
    if (WriteBatchInternal::Count(&batch) > 0 &&
        WriteBatchInternal::Sequence(&batch) <= *max_sequence) {
      s = Status::Corruption(
          fname, "record at offset " + std::to_string(reader.LastRecordOffset()) +
                     " reuses sequence " + std::to_string(WriteBatchInternal::Sequence(&batch)));
      break;
    }
    // Values written at write time come back out of their blob files.
    bool has_blobs = false;
    s = blobs->Resolve(batch, &resolved, &has_blobs);
    if (!s.ok()) {
      if (s.IsIOError()) break;  // unreadable is not damaged: never skip past it
      // A value that never reached the disk belongs to a write that was not
      // synced (a sync makes the values durable before the record): like a
      // torn record it ends the replay, and nothing after it was synced
      // either. A value that is there but damaged is corruption.
      const bool torn = s.IsNotFound();
      Status bad = Status::Corruption(
          fname, "record at offset " + std::to_string(reader.LastRecordOffset()) +
                     " names a blob that cannot be read back: " + s.ToString());
      s = Status::OK();
      if (mode == WalRecoveryMode::kSkipAnyCorruptedRecords) continue;
      if (torn && (mode == WalRecoveryMode::kPointInTimeRecovery ||
                   mode == WalRecoveryMode::kTolerateCorruptedTailRecords)) {
        *stop = true;
        break;
      }
      s = bad;
      break;
    }
    if (mem == nullptr) {
      mem = new MemTable(icmp_);
      mem->Ref();
    }
    s = WriteBatchInternal::InsertInto(has_blobs ? &resolved : &batch, mem);
    if (!s.ok()) {
      s = Status::Corruption(fname, s.message() + " (record at offset " +
                                        std::to_string(reader.LastRecordOffset()) + ")");
      break;
    }
    const SequenceNumber last =
        WriteBatchInternal::Sequence(&batch) + WriteBatchInternal::Count(&batch) - 1;
    if (last > *max_sequence) *max_sequence = last;
    if (mem->ApproximateMemoryUsage() > options_.write_buffer_size) {
      *save_manifest = true;
      s = FlushMemTable(lock, mem, /*write_blobs=*/nullptr, edit, /*log_and_apply=*/false);
      mem->Unref();
      mem = nullptr;
    }
  }
  if (s.ok() && !reporter.torn_tail.ok()) {
    // A torn tail is what a crash in the middle of a write leaves; only the
    // strictest mode refuses it. Any log may have one: the log before a
    // memtable switch is synced after the switch (DBImpl::SyncSwitchedLog),
    // so replay ends at it and later logs hold nothing synced.
    if (mode == WalRecoveryMode::kAbsoluteConsistency) {
      s = reporter.torn_tail;
    } else if (!last_log && (mode == WalRecoveryMode::kPointInTimeRecovery ||
                             mode == WalRecoveryMode::kTolerateCorruptedTailRecords)) {
      *stop = true;
    }
  }
  if (s.ok() && mem != nullptr) {
    *save_manifest = true;
    s = FlushMemTable(lock, mem, /*write_blobs=*/nullptr, edit, /*log_and_apply=*/false);
  }
  if (mem != nullptr) mem->Unref();
  return s;
}

Status DestroyDB(const std::string& dbname, const Options& options) {
  Env* env = options.env != nullptr ? options.env : Env::Default();
  std::vector<std::string> children;
  Status s = env->GetChildren(dbname, &children);
  if (!s.ok()) {
    return s.IsNotFound() ? Status::OK() : s;  // nothing to destroy
  }
  std::unique_ptr<FileLock> lock;
  s = env->LockFile(LockFileName(dbname), &lock);
  if (!s.ok()) return s;
  Status result;
  for (const std::string& name : children) {
    uint64_t number;
    FileType type;
    if (ParseFileName(name, &number, &type) && type != FileType::kLockFile) {
      Status del = env->RemoveFile(dbname + "/" + name);
      if (result.ok() && !del.ok()) result = del;
    }
  }
  lock.reset();
  env->RemoveFile(LockFileName(dbname));
  env->RemoveDir(dbname);  // fails if the user left other files: that is fine
  return result;
}

}  // namespace lode
