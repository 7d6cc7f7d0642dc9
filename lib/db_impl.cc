// DBImpl: reads, writes, snapshots and the public entry points. Recovery is in
// db_impl_open.cc, background work in db_impl_background.cc, properties in
// db_impl_properties.cc.
#include "lib/db_impl.h"

#include <algorithm>
#include <chrono>

#include "blob/blob_file_cache.h"
#include "blob/blob_source.h"
#include "lib/db_iter.h"
#include "lib/db_options.h"
#include "lib/encrypted_env.h"
#include "lib/filename.h"
#include "lib/log_writer.h"
#include "lib/memtable.h"
#include "lib/table_cache.h"
#include "lib/util/cache.h"
#include "lib/util/rate_limiter.h"
#include "lib/version_set.h"
#include "lib/write_batch_internal.h"
#include "lib/write_time_blobs.h"
#include "table/merging_iterator.h"

namespace lode {

// One queued write. The writer at the front of writers_ is the leader: it
// commits its batch and those queued behind it as one group.
struct DBImpl::Writer {
  Writer(WriteBatch* b, bool s, bool no_wal) : batch(b), sync(s), disable_wal(no_wal) {}
  Status status;
  WriteBatch* batch;  // nullptr: a request to switch the memtable (Flush)
  bool sync;
  bool disable_wal;
  bool done = false;
  std::condition_variable cv;
};

Snapshot::~Snapshot() = default;
DB::~DB() = default;

namespace {
Env* UserEnv(const Options& o) { return o.env != nullptr ? o.env : Env::Default(); }
}  // namespace

DBImpl::DBImpl(const Options& options, const std::string& dbname)
    : encrypted_env_(NewEncryptedEnv(UserEnv(options), options.encryption)),
      env_(encrypted_env_ != nullptr ? encrypted_env_.get() : UserEnv(options)),
      dbname_(dbname),
      icmp_(BytewiseComparator()),
      options_(options) {
  options_.env = env_;
  block_cache_ = NewLRUCache(options.block_cache_capacity);
  if (options.blob_cache_capacity > 0) blob_cache_ = NewLRUCache(options.blob_cache_capacity);
  const int table_files = std::max(8, options.max_open_files * 3 / 4);
  const int blob_files = std::max(8, options.max_open_files - table_files);
  table_cache_ = std::make_unique<TableCache>(dbname_, options_, &icmp_, block_cache_, table_files);
  blob_file_cache_ = std::make_unique<BlobFileCache>(env_, dbname_, blob_files);
  blob_source_ = std::make_unique<BlobSource>(blob_file_cache_.get(), blob_cache_);
  versions_ = std::make_unique<VersionSet>(dbname_, &options_, table_cache_.get(), &icmp_);
  tmp_batch_ = std::make_unique<WriteBatch>();
  wal_batch_ = std::make_unique<WriteBatch>();
  stats_.levels.resize(static_cast<size_t>(options.num_levels));
  gc_rate_limiter_ = std::make_unique<RateLimiter>(options.blob_gc_rate_limit);
}

DBImpl::~DBImpl() {
  {
    std::unique_lock<std::mutex> lock(mutex_);
    shutting_down_.store(true, std::memory_order_release);
    bg_work_cv_.notify_all();
    // Running jobs see shutting_down_ and finish or abandon their work.
    bg_done_cv_.wait(lock, [this] { return running_jobs_ == 0; });
  }
  for (auto& t : bg_threads_) t.join();
  if (logfile_ != nullptr) {
    (void)logfile_->Close();
  }
  if (switched_log_ != nullptr) (void)switched_log_->Close();  // unsynced: nothing synced needs it
  log_.reset();
  logfile_.reset();
  // Unfinished write-time blob files stay: the WALs name them.
  mem_blobs_.reset();
  imm_blobs_.reset();
  if (mem_ != nullptr) mem_->Unref();
  if (imm_ != nullptr) imm_->Unref();
  versions_.reset();
  db_lock_.reset();
}

Status DB::Open(const Options& options, const std::string& path, std::unique_ptr<DB>* db) {
  db->reset();
  if (path.empty()) return Status::InvalidArgument("DB path", "is empty");
  Status s = ValidateOptions(options);
  if (!s.ok()) return s;
  auto impl = std::make_unique<DBImpl>(options, path);
  s = impl->Open();
  if (s.ok()) *db = std::move(impl);
  return s;
}

// ---- Writes ---------------------------------------------------------------

Status DBImpl::Put(const WriteOptions& o, const Slice& key, const Slice& value) {
  WriteBatch batch;
  batch.Put(key, value);
  return Write(o, &batch);
}

Status DBImpl::Delete(const WriteOptions& o, const Slice& key) {
  WriteBatch batch;
  batch.Delete(key);
  return Write(o, &batch);
}

Status DBImpl::Write(const WriteOptions& o, WriteBatch* updates) {
  if (o.sync && o.disable_wal) {
    return Status::InvalidArgument("WriteOptions", "sync and disable_wal cannot both be set");
  }
  Writer w(updates, o.sync, o.disable_wal);
  std::unique_lock<std::mutex> lock(mutex_);
  writers_.push_back(&w);
  while (!w.done && &w != writers_.front()) w.cv.wait(lock);
  if (w.done) return w.status;

  // This thread leads a write group.
  Status status = MakeRoomForWrite(lock, /*force=*/updates == nullptr);
  if (status.ok() && updates != nullptr) status = DelayWriteForSpace(lock);
  uint64_t last_sequence = versions_->LastSequence();
  Writer* last_writer = &w;
  if (status.ok() && updates != nullptr) {
    // Idle reclamation waits for a pause in writes.
    last_write_micros_.store(env_->NowMicros(), std::memory_order_relaxed);
    WriteBatch* group = BuildBatchGroup(&last_writer);
    WriteBatchInternal::SetSequence(group, last_sequence + 1);
    const uint32_t count = WriteBatchInternal::Count(group);
    last_sequence += count;
    MemTable* mem = mem_;
    log::Writer* log = log_.get();
    WritableFile* logfile = logfile_.get();
    const bool write_wal = !w.disable_wal;
    // Without a WAL nothing names the value's blob before the flush, which
    // separates it then.
    WriteTimeBlobs* blobs = write_wal ? mem_blobs_.get() : nullptr;
    BlobSeparation separation;
    separation.min_blob_size = options_.enable_blob_files ? options_.min_blob_size : UINT64_MAX;
    separation.blob_file_size = options_.blob_file_size;
    separation.compression = options_.blob_compression;
    const size_t group_bytes = WriteBatchInternal::ByteSize(group);
    size_t wal_bytes = group_bytes;
    ChargeWriteForSpace(group_bytes);
    // Other writers queue behind this one and nothing else touches the log,
    // the write-time blob files or the memtable's write side, so the mutex
    // can be dropped for the I/O.
    lock.unlock();
    bool wal_error = false;
    const WriteBatch* mem_batch = group;  // what the memtable takes
    if (write_wal) {
      const WriteBatch* record = group;
      if (blobs != nullptr) {
        // The values reach the OS (or the disk, for a sync write) before the
        // WAL record that points at them.
        status = blobs->Separate(*group, separation, wal_batch_.get());
        if (status.ok()) status = blobs->Flush(w.sync);
        record = wal_batch_.get();
        wal_bytes = WriteBatchInternal::ByteSize(record);
        if (blobs->index_only()) mem_batch = record;
      }
      if (status.ok()) status = log->AddRecord(WriteBatchInternal::Contents(record));
      if (status.ok()) status = w.sync ? logfile->Sync() : logfile->Flush();
      wal_error = !status.ok();
    }
    if (status.ok()) status = WriteBatchInternal::InsertInto(mem_batch, mem);
    lock.lock();
    if (status.ok() && w.sync && write_wal) {
      // Recovery ends replay at a torn log, so a synced record is durable
      // only once the logs before it are: finish the switch barrier first.
      status = SyncSwitchedLog(lock);
    }
    if (wal_error) {
      // The log's state on disk is unknown: later writes must not pretend
      // it is intact.
      RecordBackgroundError(status);
    }
    if (status.ok()) {
      versions_->SetLastSequence(last_sequence);
      stats_.user_bytes_written += group_bytes - std::min<size_t>(group_bytes, 12);
      if (write_wal) stats_.wal_bytes_written += wal_bytes;
    }
    if (group == tmp_batch_.get()) tmp_batch_->Clear();
  }

  while (true) {
    Writer* ready = writers_.front();
    writers_.pop_front();
    if (ready != &w) {
      ready->status = status;
      ready->done = true;
      ready->cv.notify_one();
    }
    if (ready == last_writer) break;
  }
  if (!writers_.empty()) writers_.front()->cv.notify_one();
  return status;
}

// REQUIRES: mutex_ held; writers_ non-empty with a non-null front batch.
WriteBatch* DBImpl::BuildBatchGroup(Writer** last_writer) {
  Writer* first = writers_.front();
  WriteBatch* result = first->batch;
  size_t size = WriteBatchInternal::ByteSize(first->batch);
  // Keep small writes fast: a small leader does not wait for a big group.
  size_t max_size = 1 << 20;
  if (size <= (128 << 10)) max_size = size + (128 << 10);

  *last_writer = first;
  for (auto it = writers_.begin() + 1; it != writers_.end(); ++it) {
    Writer* w = *it;
    if (w->sync && !first->sync) break;  // a sync write must not ride a non-sync group
    if (w->disable_wal != first->disable_wal) break;
    if (w->batch == nullptr) break;
    size += WriteBatchInternal::ByteSize(w->batch);
    if (size > max_size) break;
    if (result == first->batch) {
      result = tmp_batch_.get();
      WriteBatchInternal::Append(result, first->batch);
    }
    WriteBatchInternal::Append(result, w->batch);
    *last_writer = w;
  }
  return result;
}

// REQUIRES: mutex_ held by lock; this thread leads the writer queue.
Status DBImpl::MakeRoomForWrite(std::unique_lock<std::mutex>& lock, bool force) {
  bool allow_delay = !force;
  while (true) {
    const Options& opts = options_;  // mutex_ held while it is read
    if (!bg_error_.ok()) return bg_error_;
    if (shutting_down_.load(std::memory_order_acquire)) {
      return Status::IOError(dbname_, "the DB is closing");
    }
    const int l0 = versions_->NumLevelFiles(0);
    if (allow_delay && l0 >= opts.level0_slowdown_writes_trigger) {
      // Near the stop trigger: give compaction a little of this writer's time
      // rather than stopping outright later.
      lock.unlock();
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
      lock.lock();
      allow_delay = false;
      stats_.write_slowdowns++;
    } else if (!force && (MemTableBytes() <= opts.write_buffer_size || mem_->NumEntries() == 0)) {
      // An empty memtable always takes the write: its arena's first block
      // alone can exceed a small write_buffer_size, and switching it would
      // only make another empty one, forever.
      return Status::OK();
    } else if (imm_ != nullptr || l0 >= opts.level0_stop_writes_trigger) {
      // Wait for the flush (or the L0 compaction) to catch up.
      const uint64_t start = env_->NowMicros();
      stats_.write_stalls++;
      bg_work_cv_.notify_all();
      bg_done_cv_.wait(lock);
      stats_.stall_micros += env_->NowMicros() - start;
    } else if (force && mem_->NumEntries() == 0) {
      return Status::OK();  // nothing to flush
    } else {
      Status s = SwitchMemTable();
      if (!s.ok()) return s;
      force = false;
    }
  }
}

// REQUIRES: mutex_ held; imm_ == nullptr.
Status DBImpl::SwitchMemTable() {
  const uint64_t new_log_number = versions_->NewFileNumber();
  std::unique_ptr<WritableFile> file;
  Status s = env_->NewWritableFile(LogFileName(dbname_, new_log_number), &file);
  if (!s.ok()) {
    if (file != nullptr) env_->RemoveFile(LogFileName(dbname_, new_log_number));
    RecordBackgroundError(s);
    return s;
  }
  // Nothing is synced here, under the mutex on the writer's path: the old
  // log and the values it points at took the writer 50-90 ms per switch (a
  // memtable's worth of write-time blob bytes), and the directory entry of
  // the new log up to 13 ms while GC synced its outputs. Recovery ends replay
  // at a torn log, so until they are synced a power loss leaves a prefix of
  // the writes; the flush job syncs them first thing, and a synced write into
  // the new log waits for that (SyncSwitchedLog), which also makes the new
  // log's name durable. The previous barrier is done: imm_ was flushed.
  switched_log_ = std::move(logfile_);
  imm_blob_bytes_ = mem_blobs_ != nullptr ? mem_blobs_->BytesWritten() : 0;
  logfile_ = std::move(file);
  logfile_number_ = new_log_number;
  log_ = std::make_unique<log::Writer>(logfile_.get());
  imm_ = mem_;
  imm_blobs_ = std::move(mem_blobs_);
  has_imm_.store(true, std::memory_order_release);
  NewMemTable();
  bg_work_cv_.notify_all();
  return Status::OK();
}

Status DBImpl::SyncSwitchedLog(std::unique_lock<std::mutex>& lock) {
  while (switched_log_ != nullptr && switch_barrier_running_ && bg_error_.ok()) {
    bg_done_cv_.wait(lock);
  }
  if (!bg_error_.ok()) return bg_error_;
  if (switched_log_ == nullptr) return Status::OK();
  switch_barrier_running_ = true;
  // Only the flush job touches imm_blobs_ after the switch, and it runs this
  // before anything else: nobody else uses the files while we sync them.
  WriteTimeBlobs* blobs = imm_blobs_.get();
  WritableFile* log = switched_log_.get();
  lock.unlock();
  Status s;
  if (blobs != nullptr) s = blobs->Flush(/*sync=*/true);  // values before the log naming them
  if (s.ok()) s = log->Sync();
  // The new log's name, or a power loss takes it and every synced write in it.
  if (s.ok()) s = env_->SyncDir(dbname_);
  Status c = log->Close();
  if (s.ok()) s = c;
  lock.lock();
  switched_log_.reset();
  switch_barrier_running_ = false;
  if (!s.ok()) RecordBackgroundError(s);
  bg_done_cv_.notify_all();
  return s;
}

// REQUIRES: mutex_ held.
void DBImpl::NewMemTable() {
  mem_ = new MemTable(icmp_);
  mem_->Ref();
  mem_blobs_.reset();
  if (!options_.blob_write_time_separation) return;
  // The files stay pending until the flush installs them. Encrypted files
  // cannot be read before they are closed: the memtable keeps the values.
  BlobFileCache* read_through = encrypted_env_ == nullptr ? blob_file_cache_.get() : nullptr;
  mem_blobs_ = std::make_unique<WriteTimeBlobs>(BlobBuilderOptions(), read_through);
  mem_->SetPin(mem_blobs_->ReadPin());
}

// REQUIRES: mutex_ held.
uint64_t DBImpl::MemTableBytes() const {
  return mem_->ApproximateMemoryUsage() + (mem_blobs_ != nullptr ? mem_blobs_->ValueBytes() : 0);
}

// REQUIRES: mutex_ held.
BlobFileBuilderOptions DBImpl::BlobBuilderOptions() {
  BlobFileBuilderOptions o;
  o.env = env_;
  o.dbname = dbname_;
  o.min_blob_size = options_.min_blob_size;
  o.blob_file_size = options_.blob_file_size;
  o.compression = options_.blob_compression;
  // Called from job threads and the write leader without the mutex.
  o.new_file_number = [this] { return NewPendingOutput(); };
  return o;
}

// ---- Reads ----------------------------------------------------------------

SequenceNumber DBImpl::SnapshotSequence(const ReadOptions& o) {
  if (o.snapshot != nullptr) return static_cast<const SnapshotImpl*>(o.snapshot)->sequence();
  return versions_->LastSequence();
}

Status DBImpl::Get(const ReadOptions& o, const Slice& key, std::string* value) {
  std::unique_lock<std::mutex> lock(mutex_);
  const SequenceNumber seq = SnapshotSequence(o);
  MemTable* mem = mem_;
  MemTable* imm = imm_;
  Version* current = versions_->current();
  mem->Ref();
  if (imm != nullptr) imm->Ref();
  current->Ref();
  lock.unlock();

  LookupKey lkey(key, seq);
  std::string found;
  ValueType type = kTypeDeletion;
  Status s;
  if (mem->Get(lkey, &found, &type) || (imm != nullptr && imm->Get(lkey, &found, &type))) {
    if (type == kTypeDeletion) s = Status::NotFound(Slice());
  } else {
    s = current->Get(o, lkey, &found, &type);
  }
  if (s.ok()) {
    if (type == kTypeBlobIndex) {
      s = blob_source_->GetBlob(o, key, found, value);
    } else {
      value->swap(found);
    }
  }

  lock.lock();
  mem->Unref();
  if (imm != nullptr) imm->Unref();
  current->Unref();
  return s;
}

std::unique_ptr<Iterator> DBImpl::NewIterator(const ReadOptions& o) {
  std::unique_lock<std::mutex> lock(mutex_);
  const SequenceNumber seq = SnapshotSequence(o);
  std::vector<Iterator*> children;
  MemTable* mem = mem_;
  MemTable* imm = imm_;
  Version* current = versions_->current();
  children.push_back(mem->NewIterator());
  mem->Ref();
  if (imm != nullptr) {
    children.push_back(imm->NewIterator());
    imm->Ref();
  }
  current->AddIterators(o, &children);
  current->Ref();
  lock.unlock();

  Iterator* internal = NewMergingIterator(&icmp_, std::move(children));
  internal->RegisterCleanup([this, mem, imm, current] {
    std::lock_guard<std::mutex> l(mutex_);
    mem->Unref();
    if (imm != nullptr) imm->Unref();
    current->Unref();
  });
  return std::unique_ptr<Iterator>(
      NewDBIterator(icmp_.user_comparator(), internal, seq, blob_source_.get(), o));
}

const Snapshot* DBImpl::GetSnapshot() {
  std::lock_guard<std::mutex> l(mutex_);
  return snapshots_.New(versions_->LastSequence());
}

void DBImpl::ReleaseSnapshot(const Snapshot* snapshot) {
  if (snapshot == nullptr) return;
  std::lock_guard<std::mutex> l(mutex_);
  snapshots_.Delete(static_cast<const SnapshotImpl*>(snapshot));
}

// ---- Tunables -------------------------------------------------------------

Status DBImpl::SetOptions(const std::unordered_map<std::string, std::string>& updates) {
  std::lock_guard<std::mutex> l(mutex_);
  Status s = ApplyOptionUpdates(updates, &options_);
  if (s.ok()) {
    gc_rate_limiter_->SetRate(options_.blob_gc_rate_limit);
    gc_blocked_version_ = 0;   // the scheduler plans anew under the new options
    bg_work_cv_.notify_all();  // thresholds may make new work due
  }
  return s;
}

}  // namespace lode
