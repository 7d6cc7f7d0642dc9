#include "lib/version_set.h"

#include <algorithm>
#include <cassert>

#include "lib/compaction.h"
#include "lib/filename.h"
#include "lib/level_iterator.h"
#include "lib/log_reader.h"
#include "lib/log_writer.h"
#include "lib/table_cache.h"
#include "lode/env.h"

namespace lode {

namespace {

// Flush outputs may be pushed down to at most this level (as in LevelDB):
// deeper would make a later overwrite expensive to compact.
constexpr int kMaxMemCompactLevel = 2;

void UnrefFile(FileMetaData* f) {
  assert(f->refs > 0);
  if (--f->refs <= 0) delete f;
}

uint64_t TotalFileSize(const std::vector<FileMetaData*>& files) {
  uint64_t sum = 0;
  for (const FileMetaData* f : files) sum += f->file_size;
  return sum;
}

// L0 order: newest data first. Flushes have disjoint sequence ranges, so the
// largest sequence orders them; the file number breaks ties.
bool NewestFirst(const FileMetaData* a, const FileMetaData* b) {
  if (a->largest_seqno != b->largest_seqno) return a->largest_seqno > b->largest_seqno;
  return a->number > b->number;
}

std::string Num(uint64_t n) { return std::to_string(n); }

}  // namespace

// ---------------------------------------------------------------------------
// Builder: accumulates edits on top of a base version, checking each one, and
// produces the next version. Holds one reference on every file it lists.

class VersionSet::Builder {
 public:
  Builder(VersionSet* vset, const Version* base) : vset_(vset), levels_(vset->num_levels_) {
    for (int level = 0; level < vset->num_levels_; level++) {
      for (FileMetaData* f : base->files_[level]) {
        f->refs++;
        levels_[level][f->number] = f;
        file_level_[f->number] = level;
      }
    }
    blob_files_ = base->blob_files_;
  }

  ~Builder() {
    for (auto& level : levels_) {
      for (auto& [number, f] : level) UnrefFile(f);
    }
  }

  Builder(const Builder&) = delete;
  Builder& operator=(const Builder&) = delete;

  // Checks and applies edit; on error the builder is unspecified.
  Status Apply(const VersionEdit& edit) {
    const int num_levels = vset_->num_levels_;
    for (const auto& [level, number] : edit.deleted_files()) {
      if (level >= num_levels) return BadLevel(level);
      auto it = levels_[level].find(number);
      if (it == levels_[level].end()) {
        return Status::Corruption("edit deletes table #" + Num(number) + " which is not in L" +
                                  Num(level));
      }
      UnrefFile(it->second);
      levels_[level].erase(it);
      file_level_.erase(number);
    }
    for (const auto& [level, meta] : edit.new_files()) {
      if (level >= num_levels) return BadLevel(level);
      if (file_level_.count(meta.number) != 0) {
        return Status::Corruption("edit adds table #" + Num(meta.number) + " to L" + Num(level) +
                                  " but it is already in L" + Num(file_level_[meta.number]));
      }
      if (meta.smallest.empty() || meta.largest.empty() ||
          vset_->icmp_->Compare(meta.smallest.Encode(), meta.largest.Encode()) > 0) {
        return Status::Corruption("edit adds table #" + Num(meta.number) +
                                  " with smallest key above largest key");
      }
      auto* f = new FileMetaData(meta);
      f->refs = 1;
      f->being_compacted = false;
      levels_[level][f->number] = f;
      file_level_[f->number] = level;
    }
    for (const BlobFileAddition& b : edit.blob_file_additions()) {
      if (blob_files_.count(b.number) != 0) {
        return Status::Corruption("edit adds blob file #" + Num(b.number) + " twice");
      }
      auto meta = std::make_shared<BlobFileMeta>();
      meta->number = b.number;
      meta->blob_count = b.blob_count;
      meta->blob_bytes = b.blob_bytes;
      meta->file_size = b.file_size;
      blob_files_[b.number].meta = std::move(meta);
    }
    for (const auto& [number, g] : edit.blob_garbage()) {
      auto it = blob_files_.find(number);
      if (it == blob_files_.end()) {
        return Status::Corruption("edit adds garbage to unknown blob file #" + Num(number));
      }
      it->second.garbage_count += g.count;
      it->second.garbage_bytes += g.bytes;
    }
    for (uint64_t number : edit.deleted_blob_files()) {
      if (blob_files_.erase(number) == 0) {
        return Status::Corruption("edit deletes unknown blob file #" + Num(number));
      }
    }
    return Status::OK();
  }

  std::map<uint64_t, BlobFileState>* blob_files() { return &blob_files_; }

  // Every table and blob file number the builder holds.
  void AllNumbers(std::vector<uint64_t>* numbers) const {
    for (const auto& [number, level] : file_level_) numbers->push_back(number);
    for (const auto& [number, state] : blob_files_) numbers->push_back(number);
  }

  // Fills the empty version v. Corruption if two files of a level > 0 overlap.
  Status SaveTo(Version* v) {
    const InternalKeyComparator& icmp = *vset_->icmp_;
    for (size_t level = 0; level < levels_.size(); level++) {
      std::vector<FileMetaData*>& files = v->files_[level];
      files.reserve(levels_[level].size());
      for (auto& [number, f] : levels_[level]) {
        f->refs++;
        files.push_back(f);
      }
      if (level == 0) {
        std::sort(files.begin(), files.end(), NewestFirst);
        continue;
      }
      std::sort(files.begin(), files.end(), [&icmp](const FileMetaData* a, const FileMetaData* b) {
        int r = icmp.Compare(a->smallest.Encode(), b->smallest.Encode());
        return r != 0 ? r < 0 : a->number < b->number;
      });
      for (size_t i = 1; i < files.size(); i++) {
        if (icmp.Compare(files[i - 1]->largest.Encode(), files[i]->smallest.Encode()) >= 0) {
          return Status::Corruption("tables #" + Num(files[i - 1]->number) + " and #" +
                                    Num(files[i]->number) + " overlap in L" + Num(level));
        }
      }
    }
    v->blob_files_ = blob_files_;
    return Status::OK();
  }

 private:
  static Status BadLevel(int level) {
    return Status::Corruption("edit names level " + Num(level) + " beyond num_levels");
  }

  VersionSet* const vset_;
  std::vector<std::map<uint64_t, FileMetaData*>> levels_;
  std::map<uint64_t, int> file_level_;  // table number -> level
  std::map<uint64_t, BlobFileState> blob_files_;
};

// ---------------------------------------------------------------------------
// Version

Version::Version(VersionSet* vset) : vset_(vset), files_(vset != nullptr ? vset->num_levels_ : 0) {}

Version::~Version() {
  assert(refs_ == 0);
  prev_->next_ = next_;
  next_->prev_ = prev_;
  for (auto& level : files_) {
    for (FileMetaData* f : level) UnrefFile(f);
  }
}

void Version::Ref() { ++refs_; }

void Version::Unref() {
  assert(this != &vset_->dummy_versions_);
  assert(refs_ >= 1);
  if (--refs_ == 0) delete this;
}

Status Version::Get(const ReadOptions& ro, const LookupKey& key, std::string* value,
                    ValueType* type) {
  const Slice ikey = key.internal_key();
  const Slice user_key = key.user_key();
  const Comparator* ucmp = vset_->icmp_->user_comparator();

  enum class State { kNotFound, kFound, kDeleted, kCorrupt };
  auto search = [&](const FileMetaData* f, Status* result) -> bool {
    State state = State::kNotFound;
    Status s = vset_->table_cache_->Get(ro, f->number, f->file_size, ikey,
                                        [&](const Slice& found_key, const Slice& found_value) {
                                          ParsedInternalKey parsed;
                                          if (!ParseInternalKey(found_key, &parsed)) {
                                            state = State::kCorrupt;
                                            return;
                                          }
                                          if (ucmp->Compare(parsed.user_key, user_key) != 0) return;
                                          *type = parsed.type;
                                          if (parsed.type == kTypeDeletion) {
                                            state = State::kDeleted;
                                          } else {
                                            state = State::kFound;
                                            value->assign(found_value.data(), found_value.size());
                                          }
                                        });
    if (!s.ok()) {
      *result = s;
      return true;
    }
    switch (state) {
      case State::kNotFound:
        return false;
      case State::kFound:
        *result = Status::OK();
        return true;
      case State::kDeleted:
        *result = Status::NotFound(Slice());
        return true;
      case State::kCorrupt:
        *result =
            Status::Corruption(TableFileName("", f->number).substr(1) + ": malformed internal key");
        return true;
    }
    return false;
  };

  Status result;
  for (const FileMetaData* f : files_[0]) {
    if (ucmp->Compare(user_key, f->smallest.user_key()) >= 0 &&
        ucmp->Compare(user_key, f->largest.user_key()) <= 0 && search(f, &result)) {
      return result;
    }
  }
  for (size_t level = 1; level < files_.size(); level++) {
    const std::vector<FileMetaData*>& files = files_[level];
    size_t i = FindFile(*vset_->icmp_, files, ikey);
    if (i < files.size() && ucmp->Compare(user_key, files[i]->smallest.user_key()) >= 0 &&
        search(files[i], &result)) {
      return result;
    }
  }
  return Status::NotFound(Slice());
}

void Version::AddIterators(const ReadOptions& ro, std::vector<Iterator*>* iters) {
  for (const FileMetaData* f : files_[0]) {
    iters->push_back(vset_->table_cache_->NewIterator(ro, f->number, f->file_size));
  }
  for (size_t level = 1; level < files_.size(); level++) {
    if (!files_[level].empty()) {
      iters->push_back(NewLevelIterator(vset_->table_cache_, vset_->icmp_, ro, files_[level]));
    }
  }
}

bool Version::OverlapInLevel(int level, const Slice* smallest_user_key,
                             const Slice* largest_user_key) {
  const Comparator* ucmp = vset_->icmp_->user_comparator();
  const std::vector<FileMetaData*>& files = files_[level];
  auto after_file = [&](const FileMetaData* f) {  // smallest_user_key past f
    return smallest_user_key != nullptr &&
           ucmp->Compare(*smallest_user_key, f->largest.user_key()) > 0;
  };
  auto before_file = [&](const FileMetaData* f) {  // largest_user_key before f
    return largest_user_key != nullptr &&
           ucmp->Compare(*largest_user_key, f->smallest.user_key()) < 0;
  };
  if (level == 0) {
    for (const FileMetaData* f : files) {
      if (!after_file(f) && !before_file(f)) return true;
    }
    return false;
  }
  size_t i = 0;
  if (smallest_user_key != nullptr) {
    InternalKey small(*smallest_user_key, kMaxSequenceNumber, kValueTypeForSeek);
    i = FindFile(*vset_->icmp_, files, small.Encode());
  }
  if (i >= files.size()) return false;
  return !before_file(files[i]);
}

int Version::PickLevelForMemTableOutput(const Slice& smallest_user_key,
                                        const Slice& largest_user_key) {
  int level = 0;
  if (OverlapInLevel(0, &smallest_user_key, &largest_user_key)) return 0;
  const int max_level = std::min(kMaxMemCompactLevel, NumLevels() - 1);
  const uint64_t max_grandparent_overlap = 10 * vset_->options_->target_file_size;
  InternalKey start(smallest_user_key, kMaxSequenceNumber, kValueTypeForSeek);
  InternalKey limit(largest_user_key, 0, static_cast<ValueType>(0));
  std::vector<FileMetaData*> overlaps;
  while (level < max_level) {
    if (OverlapInLevel(level + 1, &smallest_user_key, &largest_user_key)) break;
    if (vset_->RangeBusyAtLevel(level + 1, smallest_user_key, largest_user_key)) break;
    if (level + 2 < NumLevels()) {
      GetOverlappingInputs(level + 2, &start, &limit, &overlaps);
      if (TotalFileSize(overlaps) > max_grandparent_overlap) break;
    }
    level++;
  }
  return level;
}

void Version::GetOverlappingInputs(int level, const InternalKey* begin, const InternalKey* end,
                                   std::vector<FileMetaData*>* inputs) {
  inputs->clear();
  const Comparator* ucmp = vset_->icmp_->user_comparator();
  Slice user_begin, user_end;
  if (begin != nullptr) user_begin = begin->user_key();
  if (end != nullptr) user_end = end->user_key();
  const std::vector<FileMetaData*>& files = files_[level];
  for (size_t i = 0; i < files.size();) {
    FileMetaData* f = files[i++];
    const Slice file_start = f->smallest.user_key();
    const Slice file_limit = f->largest.user_key();
    if (begin != nullptr && ucmp->Compare(file_limit, user_begin) < 0) continue;
    if (end != nullptr && ucmp->Compare(file_start, user_end) > 0) continue;
    inputs->push_back(f);
    if (level == 0) {
      // L0 files overlap each other: widen the range and start over when f
      // sticks out of it.
      if (begin != nullptr && ucmp->Compare(file_start, user_begin) < 0) {
        user_begin = file_start;
        inputs->clear();
        i = 0;
      } else if (end != nullptr && ucmp->Compare(file_limit, user_end) > 0) {
        user_end = file_limit;
        inputs->clear();
        i = 0;
      }
    }
  }
}

std::string Version::DebugString() const {
  std::string r;
  for (size_t level = 0; level < files_.size(); level++) {
    r += "--- level " + Num(level) + " ---\n";
    for (const FileMetaData* f : files_[level]) {
      r += " #" + Num(f->number) + ":" + Num(f->file_size) + "[" + f->smallest.DebugString() +
           " .. " + f->largest.DebugString() + "]";
      for (const BlobRef& b : f->blob_refs) {
        r += " ->blob#" + Num(b.blob_file_number) + "(" + Num(b.count) + "," + Num(b.bytes) + ")";
      }
      r += "\n";
    }
  }
  r += "--- blob files ---\n";
  for (const auto& [number, state] : blob_files_) {
    r += " #" + Num(number) + ": " + Num(state.meta->blob_count) + " blobs " +
         Num(state.meta->blob_bytes) + "B, garbage " + Num(state.garbage_count) + " / " +
         Num(state.garbage_bytes) + "B\n";
  }
  return r;
}

// ---------------------------------------------------------------------------
// VersionSet

VersionSet::VersionSet(std::string dbname, const Options* options, TableCache* table_cache,
                       const InternalKeyComparator* icmp)
    : env_(options->env != nullptr ? options->env : Env::Default()),
      dbname_(std::move(dbname)),
      options_(options),
      table_cache_(table_cache),
      icmp_(icmp),
      num_levels_(std::clamp(options->num_levels, 2, kMaxNumLevels)),
      dummy_versions_(this),
      compact_pointer_(num_levels_) {
  AppendVersion(new Version(this));
}

VersionSet::~VersionSet() {
  current_->Unref();
  assert(dummy_versions_.next_ == &dummy_versions_);  // every version released
  CloseManifest();
}

void VersionSet::AppendVersion(Version* v) {
  assert(v->refs_ == 0 && v != current_);
  if (current_ != nullptr) current_->Unref();
  current_ = v;
  current_number_++;
  v->Ref();
  v->prev_ = dummy_versions_.prev_;
  v->next_ = &dummy_versions_;
  v->prev_->next_ = v;
  v->next_->prev_ = v;
}

void VersionSet::MarkFileNumberUsed(uint64_t number) {
  uint64_t cur = next_file_number_.load();
  while (cur <= number && !next_file_number_.compare_exchange_weak(cur, number + 1)) {
  }
}

int VersionSet::NumLevelFiles(int level) const { return current_->NumFiles(level); }

int64_t VersionSet::NumLevelBytes(int level) const {
  return static_cast<int64_t>(TotalFileSize(current_->files_[level]));
}

void VersionSet::AddLiveFiles(std::set<uint64_t>* live_tables,
                              std::set<uint64_t>* live_blob_files) {
  for (Version* v = dummy_versions_.next_; v != &dummy_versions_; v = v->next_) {
    for (const auto& level : v->files_) {
      for (const FileMetaData* f : level) live_tables->insert(f->number);
    }
    for (const auto& [number, state] : v->blob_files_) live_blob_files->insert(number);
  }
}

Status VersionSet::CheckBlobInvariant(const Version* v) {
  struct Sum {
    uint64_t count = 0, bytes = 0;
  };
  std::map<uint64_t, Sum> referenced;
  for (const auto& level : v->files_) {
    for (const FileMetaData* f : level) {
      for (const BlobRef& r : f->blob_refs) {
        if (v->blob_files_.count(r.blob_file_number) == 0) {
          return Status::Corruption("table #" + Num(f->number) + " references blob file #" +
                                    Num(r.blob_file_number) + " which is not live");
        }
        Sum& s = referenced[r.blob_file_number];
        s.count += r.count;
        s.bytes += r.bytes;
      }
    }
  }
  for (const auto& [number, state] : v->blob_files_) {
    const Sum& s = referenced[number];
    if (state.garbage_count + s.count != state.meta->blob_count ||
        state.garbage_bytes + s.bytes != state.meta->blob_bytes) {
      return Status::Corruption("blob file #" + Num(number) + ": total " +
                                Num(state.meta->blob_count) + " blobs / " +
                                Num(state.meta->blob_bytes) + " bytes != garbage " +
                                Num(state.garbage_count) + " / " + Num(state.garbage_bytes) +
                                " + referenced by tables " + Num(s.count) + " / " + Num(s.bytes));
    }
  }
  return Status::OK();
}

void VersionSet::Finalize(Version* v) {
  double best_score = -1;
  int best_level = -1;
  for (int level = 0; level < num_levels_ - 1; level++) {
    double score;
    if (level == 0) {
      // By file count: every L0 file may be read by each lookup.
      score = static_cast<double>(v->files_[0].size()) /
              std::max(1, options_->level0_compaction_trigger);
    } else {
      double max_bytes = static_cast<double>(options_->max_bytes_for_level_base);
      for (int l = 1; l < level; l++) max_bytes *= options_->max_bytes_for_level_multiplier;
      score = static_cast<double>(TotalFileSize(v->files_[level])) / std::max(1.0, max_bytes);
    }
    if (score > best_score) {
      best_score = score;
      best_level = level;
    }
  }
  v->compaction_score_ = best_score;
  v->compaction_level_ = best_level;
}

void VersionSet::WriteSnapshot(VersionEdit* edit) const {
  edit->SetFormatVersion(kManifestFormatVersion);
  edit->SetComparatorName(icmp_->user_comparator()->Name());
  edit->SetLogNumber(log_number_);
  edit->SetPrevLogNumber(prev_log_number_);
  edit->SetNextFile(next_file_number_.load());
  edit->SetLastSequence(LastSequence());
  for (int level = 0; level < num_levels_; level++) {
    if (!compact_pointer_[level].empty()) {
      InternalKey key;
      key.DecodeFrom(compact_pointer_[level]);
      edit->SetCompactPointer(level, key);
    }
    for (const FileMetaData* f : current_->files_[level]) edit->AddFile(level, *f);
  }
  for (const auto& [number, state] : current_->blob_files_) {
    BlobFileAddition b;
    b.number = number;
    b.blob_count = state.meta->blob_count;
    b.blob_bytes = state.meta->blob_bytes;
    b.file_size = state.meta->file_size;
    edit->AddBlobFile(b);
    edit->AddBlobGarbage(number, state.garbage_count, state.garbage_bytes);
  }
}

void VersionSet::CloseManifest() {
  manifest_log_.reset();
  if (manifest_file_ != nullptr) manifest_file_->Close();
  manifest_file_.reset();
  manifest_size_ = 0;
}

Status VersionSet::LogAndApply(VersionEdit* edit, std::mutex* mu) {
  std::unique_lock<std::mutex> lock(*mu, std::adopt_lock);
  // Keep holding *mu on every return: the caller owns the lock.
  struct Release {
    std::unique_lock<std::mutex>* l;
    ~Release() { l->release(); }
  } release{&lock};

  // Visible to the picker from now on, so that no compaction picked while
  // this edit waits or is written puts overlapping files into its levels.
  queued_edits_.push_back(edit);
  struct Dequeue {
    std::vector<const VersionEdit*>* q;
    const VersionEdit* e;
    ~Dequeue() { q->erase(std::find(q->begin(), q->end(), e)); }
  } dequeue{&queued_edits_, edit};

  manifest_cv_.wait(lock, [this] { return !manifest_writing_; });

  if (edit->has_log_number()) {
    if (edit->log_number() < log_number_ || edit->log_number() >= NextFileNumber()) {
      return Status::InvalidArgument("version edit: log number " + Num(edit->log_number()) +
                                     " outside [" + Num(log_number_) + ", " +
                                     Num(NextFileNumber()) + ")");
    }
  } else {
    edit->SetLogNumber(log_number_);
  }
  if (!edit->has_prev_log_number()) edit->SetPrevLogNumber(prev_log_number_);
  if (!edit->has_last_sequence() || edit->last_sequence() < LastSequence()) {
    edit->SetLastSequence(LastSequence());
  }

  Version* v = new Version(this);
  Status s;
  {
    Builder builder(this, current_);
    s = builder.Apply(*edit);
    if (s.ok()) {
      // A blob file whose every blob is garbage is dropped in this same edit.
      std::map<uint64_t, BlobFileState>* blobs = builder.blob_files();
      for (auto it = blobs->begin(); it != blobs->end();) {
        const BlobFileState& st = it->second;
        if (st.garbage_count == st.meta->blob_count && st.garbage_bytes == st.meta->blob_bytes) {
          edit->DeleteBlobFile(it->first);
          it = blobs->erase(it);
        } else {
          ++it;
        }
      }
      s = builder.SaveTo(v);
    }
  }
  if (s.ok()) {
    s = CheckBlobInvariant(v);
    assert(s.ok() && "garbage invariant broken by a version edit");
  }
  if (!s.ok()) {
    delete v;
    return s;
  }
  Finalize(v);

  // Choose the manifest and encode under the lock; write without it.
  const bool new_manifest = manifest_log_ == nullptr || manifest_size_ >= max_manifest_file_size_;
  uint64_t new_manifest_number = 0;
  std::string snapshot_record;
  if (new_manifest) {
    new_manifest_number = NewFileNumber();
    VersionEdit snapshot;
    WriteSnapshot(&snapshot);
    snapshot.EncodeTo(&snapshot_record);
  }
  edit->SetNextFile(NextFileNumber());
  std::string record;
  edit->EncodeTo(&record);

  manifest_writing_ = true;
  lock.unlock();

  const std::string manifest_name = DescriptorFileName(dbname_, new_manifest_number);
  bool current_attempted = false;
  if (new_manifest) {
    CloseManifest();
    s = env_->NewWritableFile(manifest_name, &manifest_file_);
    if (s.ok()) {
      manifest_log_ = std::make_unique<log::Writer>(manifest_file_.get());
      s = manifest_log_->AddRecord(snapshot_record);
    }
  }
  if (s.ok()) s = manifest_log_->AddRecord(record);
  if (s.ok()) s = manifest_file_->Sync();
  if (s.ok() && new_manifest) {
    current_attempted = true;
    s = SetCurrentFile(env_, dbname_, new_manifest_number);
  }

  lock.lock();
  manifest_writing_ = false;
  manifest_cv_.notify_all();
  if (!s.ok()) {
    delete v;
    // The manifest's tail is now unknown: never append to it again.
    CloseManifest();
    // A new manifest is garbage unless CURRENT may already name it.
    if (new_manifest && !current_attempted) env_->RemoveFile(manifest_name);
    return s;
  }
  if (new_manifest) {
    manifest_file_number_ = new_manifest_number;
    manifest_size_ = snapshot_record.size();
  }
  manifest_size_ += record.size();
  log_number_ = edit->log_number();
  prev_log_number_ = edit->prev_log_number();
  for (const auto& [level, key] : edit->compact_pointers()) {
    compact_pointer_[level] = key.Encode().ToString();
  }
  AppendVersion(v);
  return Status::OK();
}

// ---------------------------------------------------------------------------
// Compaction picking

double VersionSet::MaxBytesForLevel(int level) const {
  double bytes = static_cast<double>(options_->max_bytes_for_level_base);
  for (int l = 1; l < level; l++) bytes *= options_->max_bytes_for_level_multiplier;
  return std::max(1.0, bytes);
}

double VersionSet::LevelScore(const Version* v, int level) const {
  if (level == 0) {
    int idle = 0;
    for (const FileMetaData* f : v->files_[0]) {
      // One L0 compaction at a time: it takes every overlapping L0 file, so a
      // second one would have to wait for the same files anyway.
      if (f->being_compacted) return 0;
      idle++;
    }
    return static_cast<double>(idle) / std::max(1, options_->level0_compaction_trigger);
  }
  uint64_t bytes = 0;
  for (const FileMetaData* f : v->files_[level]) {
    if (!f->being_compacted) bytes += f->file_size;
  }
  return static_cast<double>(bytes) / MaxBytesForLevel(level);
}

bool VersionSet::NeedsCompaction() const {
  for (int level = 0; level < num_levels_ - 1; level++) {
    if (LevelScore(current_, level) >= 1) return true;
  }
  return false;
}

bool VersionSet::RangeBusyAtLevel(int level, const Slice& smallest_user_key,
                                  const Slice& largest_user_key) const {
  const Comparator* ucmp = icmp_->user_comparator();
  auto overlaps = [&](const Slice& lo, const Slice& hi) {
    return ucmp->Compare(lo, largest_user_key) <= 0 && ucmp->Compare(hi, smallest_user_key) >= 0;
  };
  for (const Compaction* c : in_flight_) {
    if (c->output_level() == level &&
        overlaps(c->range_smallest_.user_key(), c->range_largest_.user_key())) {
      return true;
    }
  }
  for (const VersionEdit* e : queued_edits_) {
    for (const auto& [l, f] : e->new_files()) {
      if (l == level && overlaps(f.smallest.user_key(), f.largest.user_key())) return true;
    }
  }
  return false;
}

Compaction* VersionSet::PickCompaction() {
  std::vector<std::pair<double, int>> scored;
  for (int level = 0; level < num_levels_ - 1; level++) {
    double score = LevelScore(current_, level);
    if (score >= 1) scored.emplace_back(score, level);
  }
  // Highest score first; on a tie the upper level, whose data is newer.
  std::sort(scored.begin(), scored.end(), [](const auto& a, const auto& b) {
    return a.first != b.first ? a.first > b.first : a.second < b.second;
  });
  for (const auto& [score, level] : scored) {
    if (Compaction* c = PickAtLevel(level)) return c;
  }
  return nullptr;
}

Compaction* VersionSet::PickAtLevel(int level) {
  const std::vector<FileMetaData*>& files = current_->files_[level];
  if (files.empty()) return nullptr;
  if (level == 0) {
    // Start from the oldest file; SetupOtherInputs widens to every L0 file
    // overlapping it.
    auto* c = new Compaction(this, current_, 0);
    c->inputs_[0].push_back(files.back());
    if (SetupOtherInputs(c)) return c;
    delete c;
    return nullptr;
  }
  // Round robin: the first file after the compact pointer, then the next.
  size_t start = 0;
  if (!compact_pointer_[level].empty()) {
    start = FindFile(*icmp_, files, compact_pointer_[level]);
    // FindFile gives the first file whose largest >= pointer; the pointer is
    // the largest key of a compacted file, so skip a file ending exactly there.
    if (start < files.size() &&
        icmp_->Compare(files[start]->largest.Encode(), compact_pointer_[level]) <= 0) {
      start++;
    }
    if (start >= files.size()) start = 0;
  }
  for (size_t n = 0; n < files.size(); n++) {
    FileMetaData* f = files[(start + n) % files.size()];
    if (f->being_compacted) continue;
    auto* c = new Compaction(this, current_, level);
    c->inputs_[0].push_back(f);
    if (SetupOtherInputs(c)) return c;
    delete c;
  }
  return nullptr;
}

Compaction* VersionSet::CompactRange(int level, const InternalKey* begin, const InternalKey* end,
                                     bool* busy) {
  if (busy != nullptr) *busy = false;
  if (level < 0 || level >= num_levels_ - 1) return nullptr;
  std::vector<FileMetaData*> inputs;
  current_->GetOverlappingInputs(level, begin, end, &inputs);
  if (inputs.empty()) return nullptr;
  if (level > 0) {
    // Bound one step; the caller loops over the range. Not for L0, whose
    // files overlap each other and must move down together.
    const uint64_t limit = std::max<uint64_t>(1, options_->target_file_size);
    uint64_t total = 0;
    for (size_t i = 0; i < inputs.size(); i++) {
      total += inputs[i]->file_size;
      if (total >= limit) {
        inputs.resize(i + 1);
        break;
      }
    }
  }
  for (const FileMetaData* f : inputs) {
    if (f->being_compacted) {
      if (busy != nullptr) *busy = true;
      return nullptr;
    }
  }
  auto* c = new Compaction(this, current_, level);
  c->inputs_[0] = std::move(inputs);
  if (SetupOtherInputs(c)) return c;
  delete c;
  if (busy != nullptr) *busy = true;
  return nullptr;
}

Compaction* VersionSet::RewriteFileCompaction(int level, FileMetaData* f) {
  if (f->being_compacted) return nullptr;
  if (RangeBusyAtLevel(level, f->smallest.user_key(), f->largest.user_key())) return nullptr;
  auto* c = new Compaction(this, current_, level, level);
  c->inputs_[0].push_back(f);
  c->Claim();
  return c;
}

bool VersionSet::SetupOtherInputs(Compaction* c) {
  const int level = c->level_;
  Version* v = c->input_version_;
  auto any_busy = [](const std::vector<FileMetaData*>& files) {
    for (const FileMetaData* f : files) {
      if (f->being_compacted) return true;
    }
    return false;
  };
  auto range_of = [this](const std::vector<FileMetaData*>& a, const std::vector<FileMetaData*>& b,
                         InternalKey* smallest, InternalKey* largest) {
    smallest->Clear();
    largest->Clear();
    for (const auto* files : {&a, &b}) {
      for (const FileMetaData* f : *files) {
        if (smallest->empty() || icmp_->Compare(f->smallest.Encode(), smallest->Encode()) < 0) {
          *smallest = f->smallest;
        }
        if (largest->empty() || icmp_->Compare(f->largest.Encode(), largest->Encode()) > 0) {
          *largest = f->largest;
        }
      }
    }
  };
  const std::vector<FileMetaData*> none;

  InternalKey smallest, largest;
  range_of(c->inputs_[0], none, &smallest, &largest);
  if (level == 0) {
    v->GetOverlappingInputs(0, &smallest, &largest, &c->inputs_[0]);
    range_of(c->inputs_[0], none, &smallest, &largest);
  }
  if (any_busy(c->inputs_[0])) return false;
  v->GetOverlappingInputs(level + 1, &smallest, &largest, &c->inputs_[1]);
  if (any_busy(c->inputs_[1])) return false;

  InternalKey all_start, all_limit;
  range_of(c->inputs_[0], c->inputs_[1], &all_start, &all_limit);

  // Take more files of level when that needs no more files of level+1: the
  // same level+1 rewrite then retires more of level.
  if (!c->inputs_[1].empty()) {
    std::vector<FileMetaData*> expanded0;
    v->GetOverlappingInputs(level, &all_start, &all_limit, &expanded0);
    uint64_t inputs1_size = 0, expanded0_size = 0;
    for (const FileMetaData* f : c->inputs_[1]) inputs1_size += f->file_size;
    for (const FileMetaData* f : expanded0) expanded0_size += f->file_size;
    const uint64_t limit = 25 * std::max<uint64_t>(1, options_->target_file_size);
    if (expanded0.size() > c->inputs_[0].size() && inputs1_size + expanded0_size < limit &&
        !any_busy(expanded0)) {
      InternalKey new_start, new_limit;
      range_of(expanded0, none, &new_start, &new_limit);
      std::vector<FileMetaData*> expanded1;
      v->GetOverlappingInputs(level + 1, &new_start, &new_limit, &expanded1);
      if (expanded1.size() == c->inputs_[1].size() && !any_busy(expanded1)) {
        c->inputs_[0] = std::move(expanded0);
        c->inputs_[1] = std::move(expanded1);
        range_of(c->inputs_[0], c->inputs_[1], &all_start, &all_limit);
        largest = new_limit;
      }
    }
  }

  if (RangeBusyAtLevel(level + 1, all_start.user_key(), all_limit.user_key())) return false;

  if (level + 2 < num_levels_) {
    v->GetOverlappingInputs(level + 2, &all_start, &all_limit, &c->grandparents_);
  }

  // The next compaction of this level starts after this one.
  range_of(c->inputs_[0], none, &smallest, &largest);
  compact_pointer_[level] = largest.Encode().ToString();
  c->edit_.SetCompactPointer(level, largest);
  c->Claim();
  return true;
}

Status VersionSet::Recover(bool* save_manifest) {
  const std::string current_name = CurrentFileName(dbname_);
  if (!env_->FileExists(current_name)) {
    return Status::NotFound(dbname_, "CURRENT does not exist");
  }
  std::string current;
  Status s = ReadFileToString(env_, current_name, &current);
  if (!s.ok()) return s;
  if (current.empty() || current.back() != '\n') {
    return Status::Corruption("CURRENT: does not end with a newline");
  }
  current.pop_back();
  uint64_t manifest_number;
  FileType type;
  if (!ParseFileName(current, &manifest_number, &type) || type != FileType::kDescriptorFile) {
    return Status::Corruption("CURRENT: names '" + current + "', not a manifest");
  }
  const std::string manifest_path = dbname_ + "/" + current;
  if (!env_->FileExists(manifest_path)) {
    return Status::Corruption("CURRENT points at a missing manifest " + current);
  }
  std::unique_ptr<SequentialFile> file;
  s = env_->NewSequentialFile(manifest_path, &file);
  if (!s.ok()) return s;

  struct Reporter : public log::Reader::Reporter {
    Status status;
    void Corruption(size_t /*bytes*/, const Status& st) override {
      if (status.ok()) status = st;
    }
  } reporter;
  log::Reader reader(file.get(), current, &reporter, /*checksum=*/true);

  bool have_log = false, have_prev_log = false, have_next = false, have_last_seq = false;
  uint64_t log_number = 0, prev_log_number = 0, next_file = 0;
  SequenceNumber last_seq = 0;
  std::vector<std::string> compact_pointers(num_levels_);
  const std::string ucmp_name = icmp_->user_comparator()->Name();

  Builder builder(this, current_);
  Slice record;
  std::string scratch;
  size_t records = 0;
  while (reader.ReadRecord(&record, &scratch) && reporter.status.ok()) {
    const uint64_t offset = reader.LastRecordOffset();
    auto at = [&](const Status& st) {
      return Status::Corruption(current + ": record " + Num(records) + " at offset " + Num(offset) +
                                ": " + st.message());
    };
    VersionEdit edit;
    s = edit.DecodeFrom(record);
    if (s.IsNotSupported()) return Status::NotSupported(current + ": " + s.message());
    if (!s.ok()) return at(s);
    if (edit.has_comparator() && edit.comparator() != ucmp_name) {
      return Status::InvalidArgument(current + ": comparator " + edit.comparator() +
                                     " does not match " + ucmp_name);
    }
    s = builder.Apply(edit);
    if (!s.ok()) return at(s);
    if (edit.has_log_number()) {
      have_log = true;
      log_number = edit.log_number();
    }
    if (edit.has_prev_log_number()) {
      have_prev_log = true;
      prev_log_number = edit.prev_log_number();
    }
    if (edit.has_next_file_number()) {
      have_next = true;
      next_file = edit.next_file_number();
    }
    if (edit.has_last_sequence()) {
      have_last_seq = true;
      last_seq = edit.last_sequence();
    }
    // Every file an edit adds was numbered before the edit was written.
    if (have_next) {
      for (const auto& [level, f] : edit.new_files()) {
        if (f.number >= next_file) {
          return at(Status::Corruption("table #" + Num(f.number) + " not below next file number " +
                                       Num(next_file)));
        }
      }
      for (const BlobFileAddition& b : edit.blob_file_additions()) {
        if (b.number >= next_file) {
          return at(Status::Corruption("blob file #" + Num(b.number) +
                                       " not below next file number " + Num(next_file)));
        }
      }
    }
    for (const auto& [level, key] : edit.compact_pointers()) {
      if (level < num_levels_) compact_pointers[level] = key.Encode().ToString();
    }
    records++;
  }
  if (!reporter.status.ok()) {
    const Status& r = reporter.status;
    return Status::Corruption(r.message().find(current) == std::string::npos
                                  ? current + ": " + r.message()
                                  : r.message());
  }
  if (!have_next) return Status::Corruption(current + ": no next-file-number entry");
  if (!have_log) return Status::Corruption(current + ": no log-number entry");
  if (!have_last_seq) return Status::Corruption(current + ": no last-sequence entry");
  if (!have_prev_log) prev_log_number = 0;

  std::vector<uint64_t> numbers;
  builder.AllNumbers(&numbers);
  numbers.push_back(log_number);
  numbers.push_back(prev_log_number);
  for (uint64_t n : numbers) {
    if (n >= next_file) {
      return Status::Corruption(current + ": file #" + Num(n) + " not below next file number " +
                                Num(next_file));
    }
  }

  auto* v = new Version(this);
  s = builder.SaveTo(v);
  if (s.ok()) s = CheckBlobInvariant(v);
  if (!s.ok()) {
    delete v;
    return Status::Corruption(current + ": " + s.message());
  }
  Finalize(v);
  AppendVersion(v);
  CloseManifest();
  manifest_file_number_ = manifest_number;
  MarkFileNumberUsed(next_file - 1);
  MarkFileNumberUsed(manifest_number);
  SetLastSequence(last_seq);
  log_number_ = log_number;
  prev_log_number_ = prev_log_number;
  compact_pointer_ = std::move(compact_pointers);
  *save_manifest = true;
  return Status::OK();
}

}  // namespace lode
