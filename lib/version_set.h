// Versions and the manifest.
//
// A Version is one immutable snapshot of the live files: tables per level and
// blob files with their garbage. VersionSet owns the chain of versions, the
// file-number counter, and the manifest (a log of VersionEdits, see
// doc/manifest_format.md), and installs each new version by logging an edit.
//
// Threading: every VersionSet and Version method REQUIRES the DB mutex unless
// its comment says otherwise. Version's read methods (Get, AddIterators,
// files, overlaps) may be called without the mutex by a thread holding a
// reference to the version, since an installed version never changes.
#ifndef LODE_LIB_VERSION_SET_H_
#define LODE_LIB_VERSION_SET_H_

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "lib/dbformat.h"
#include "lib/version_edit.h"
#include "lode/iterator.h"
#include "lode/options.h"
#include "lode/status.h"

namespace lode {

class Compaction;
class Env;
class TableCache;
class VersionSet;
class WritableFile;
namespace log {
class Writer;
}

// Immutable facts of a blob file (shared by versions) apart from the garbage
// that changes per version.
struct BlobFileMeta {
  uint64_t number = 0, blob_count = 0, blob_bytes = 0, file_size = 0;
};

// A blob file as one version sees it. Invariant (DESIGN.md), per file:
//   meta->blob_count = garbage_count + sum of live tables' refs.count
//   meta->blob_bytes = garbage_bytes + sum of live tables' refs.bytes
struct BlobFileState {
  std::shared_ptr<const BlobFileMeta> meta;
  uint64_t garbage_count = 0, garbage_bytes = 0;
};

class Version {
 public:
  Version(const Version&) = delete;
  Version& operator=(const Version&) = delete;

  // REQUIRES: DB mutex held.
  void Ref();
  void Unref();

  // Looks key up in the tables. OK with *type = kTypeValue or kTypeBlobIndex
  // and *value set: the newest entry visible at the key's sequence. NotFound
  // when absent, or deleted (then *type = kTypeDeletion). Other errors come
  // from the tables.
  Status Get(const ReadOptions& ro, const LookupKey& key, std::string* value, ValueType* type);

  // Appends iterators over internal keys: one per L0 file (newest first),
  // one concatenating iterator per non-empty level > 0. The iterators read
  // this version's files: keep the version referenced until they are gone.
  void AddIterators(const ReadOptions& ro, std::vector<Iterator*>* iters);

  int NumLevels() const { return static_cast<int>(files_.size()); }
  int NumFiles(int level) const { return static_cast<int>(files_[level].size()); }
  // L0: newest first (largest_seqno descending); other levels: by smallest key.
  const std::vector<FileMetaData*>& files(int level) const { return files_[level]; }
  const std::map<uint64_t, BlobFileState>& blob_files() const { return blob_files_; }

  // True if some file of level overlaps [*smallest_user_key, *largest_user_key]
  // (a null bound is open).
  bool OverlapInLevel(int level, const Slice* smallest_user_key, const Slice* largest_user_key);

  // The level a flush output covering [smallest, largest] should go to:
  // below L0 (at most L2) while nothing overlaps and grandparent overlap is
  // small, as LevelDB does, and never into a key range that a compaction in
  // flight or a queued edit is about to fill at that level.
  // REQUIRES: DB mutex held, and not released before the flush's edit is
  // passed to LogAndApply (so no compaction is picked in between).
  int PickLevelForMemTableOutput(const Slice& smallest_user_key, const Slice& largest_user_key);

  // Files of level overlapping [begin, end] (null: open). In L0 the range
  // grows to cover every overlapping file, since L0 files overlap each other.
  void GetOverlappingInputs(int level, const InternalKey* begin, const InternalKey* end,
                            std::vector<FileMetaData*>* inputs);

  std::string DebugString() const;

  // Compaction score of the level most in need (>= 1 means compact), set at install.
  double compaction_score() const { return compaction_score_; }
  int compaction_level() const { return compaction_level_; }

 private:
  friend class VersionSet;
  friend class Compaction;

  explicit Version(VersionSet* vset);
  ~Version();

  VersionSet* const vset_;
  Version* next_ = this;  // in VersionSet's list of live versions
  Version* prev_ = this;
  int refs_ = 0;

  std::vector<std::vector<FileMetaData*>> files_;
  std::map<uint64_t, BlobFileState> blob_files_;

  double compaction_score_ = -1;
  int compaction_level_ = -1;
};

class VersionSet {
 public:
  // options, table_cache and icmp must outlive the VersionSet.
  VersionSet(std::string dbname, const Options* options, TableCache* table_cache,
             const InternalKeyComparator* icmp);
  ~VersionSet();

  VersionSet(const VersionSet&) = delete;
  VersionSet& operator=(const VersionSet&) = delete;

  // REQUIRES: *mu held on entry; released while the manifest is written and
  // synced; held on return. Calls are serialized: a second caller waits.
  // Fills in the edit's log number, next file number and last sequence,
  // applies it to the current version, adds DeleteBlobFile for every blob file
  // whose garbage reaches its total, checks the garbage invariant, writes the
  // edit to the manifest (first a new manifest with a full snapshot when none
  // is open or the open one is past the roll-over size, then CURRENT), and
  // installs the new version. On failure nothing changes and the next call
  // starts a new manifest. For a new DB, call it without Recover: it writes
  // the first manifest and CURRENT.
  Status LogAndApply(VersionEdit* edit, std::mutex* mu);

  // Reads CURRENT and replays the manifest into the current version.
  // *save_manifest is set true: the manifest read is not appended to, the next
  // LogAndApply writes a new one. Corruption names the file and offset.
  Status Recover(bool* save_manifest);

  Version* current() const { return current_; }
  // Counts installed versions: changes whenever current() does.
  uint64_t CurrentNumber() const { return current_number_; }

  // Number of the live manifest (the one recovered until a new one is written).
  uint64_t ManifestFileNumber() const { return manifest_file_number_; }

  // Thread-safe (may be called without the mutex).
  uint64_t NewFileNumber() { return next_file_number_.fetch_add(1); }
  // Thread-safe: after it, NewFileNumber returns numbers above number.
  void MarkFileNumberUsed(uint64_t number);
  uint64_t NextFileNumber() const { return next_file_number_.load(); }

  uint64_t LogNumber() const { return log_number_; }
  uint64_t PrevLogNumber() const { return prev_log_number_; }
  // Thread-safe.
  SequenceNumber LastSequence() const { return last_sequence_.load(std::memory_order_acquire); }
  void SetLastSequence(SequenceNumber s) { last_sequence_.store(s, std::memory_order_release); }

  int NumLevels() const { return num_levels_; }
  int NumLevelFiles(int level) const;
  int64_t NumLevelBytes(int level) const;

  // Adds the tables and blob files of every live version.
  void AddLiveFiles(std::set<uint64_t>* live_tables, std::set<uint64_t>* live_blob_files);

  // Recomputes total = garbage + sum of table refs for every blob file of v.
  // OK, or Corruption describing the first mismatch (or a ref to an unknown
  // blob file).
  static Status CheckBlobInvariant(const Version* v);

  // Roll-over size of the manifest (default kDefaultMaxManifestFileSize).
  static constexpr uint64_t kDefaultMaxManifestFileSize = 4 << 20;
  void SetMaxManifestFileSize(uint64_t bytes) { max_manifest_file_size_ = bytes; }

  // --- Compaction picking (lib/compaction.h). REQUIRES: DB mutex held. ---

  // The most needed compaction, or nullptr if no level needs one or every
  // candidate conflicts with work in flight. L0 is scored by file count
  // against level0_compaction_trigger (and at most one L0 compaction runs at
  // a time), Ln by bytes against MaxBytesForLevel(n); files being compacted
  // do not count and are never picked. Within a level, files are taken round
  // robin after the level's compact pointer.
  Compaction* PickCompaction();

  // A compaction of the files of level overlapping [begin, end] (null: open)
  // into level+1, limited to about target_file_size of inputs for level > 0.
  // nullptr if nothing overlaps, or if the inputs are busy (then *busy, when
  // given, is set: retry after the running compactions finish).
  Compaction* CompactRange(int level, const InternalKey* begin, const InternalKey* end,
                           bool* busy = nullptr);

  // True if some level's score is >= 1 (PickCompaction may still return
  // nullptr when the candidates are busy).
  // A compaction that rewrites the one table f of level back into level (for
  // the last level, where nothing lies below to compact into): blob GC uses
  // it to relocate what the table pins. nullptr if f or its range is busy.
  // REQUIRES: mutex held.
  Compaction* RewriteFileCompaction(int level, FileMetaData* f);
  bool NeedsCompaction() const;

  // Target size of level >= 1: max_bytes_for_level_base x multiplier^(level-1).
  double MaxBytesForLevel(int level) const;

  // Score of level in v, ignoring files being compacted (>= 1: compact).
  double LevelScore(const Version* v, int level) const;

  // True if a compaction in flight, or an edit queued in LogAndApply, will
  // put a file overlapping [smallest, largest] (user keys) into level.
  bool RangeBusyAtLevel(int level, const Slice& smallest_user_key,
                        const Slice& largest_user_key) const;

  const InternalKeyComparator* icmp() const { return icmp_; }
  const Options* options() const { return options_; }
  TableCache* table_cache() const { return table_cache_; }

 private:
  class Builder;
  friend class Version;
  friend class Compaction;

  void AppendVersion(Version* v);
  // Computes v's compaction score.
  void Finalize(Version* v);
  // A full snapshot of the current state as one edit.
  void WriteSnapshot(VersionEdit* edit) const;
  // Closes the manifest being written (after an error or before roll-over).
  void CloseManifest();
  // Completes c (inputs_[0] set): level+1 inputs, expansion, grandparents,
  // conflict checks; claims it. False if it conflicts with work in flight.
  bool SetupOtherInputs(Compaction* c);
  Compaction* PickAtLevel(int level);

  Env* const env_;
  const std::string dbname_;
  const Options* const options_;
  TableCache* const table_cache_;
  const InternalKeyComparator* const icmp_;
  const int num_levels_;

  std::atomic<uint64_t> next_file_number_{2};
  uint64_t manifest_file_number_ = 0;
  std::atomic<SequenceNumber> last_sequence_{0};
  uint64_t log_number_ = 0;
  uint64_t prev_log_number_ = 0;

  // The manifest being appended to; null until the first LogAndApply.
  std::unique_ptr<WritableFile> manifest_file_;
  std::unique_ptr<log::Writer> manifest_log_;
  uint64_t manifest_size_ = 0;
  uint64_t max_manifest_file_size_ = kDefaultMaxManifestFileSize;
  bool manifest_writing_ = false;  // a LogAndApply is between unlock and lock
  std::condition_variable manifest_cv_;

  Version dummy_versions_;  // head of the circular list of live versions
  Version* current_ = nullptr;
  uint64_t current_number_ = 0;

  // Per level: the largest key of the last compaction there; the next one
  // starts after it (round robin).
  std::vector<std::string> compact_pointer_;

  // Compactions picked and not yet deleted (their inputs are being_compacted).
  std::vector<const Compaction*> in_flight_;
  // Edits inside LogAndApply (waiting or being written), not yet installed.
  std::vector<const VersionEdit*> queued_edits_;
};

}  // namespace lode

#endif  // LODE_LIB_VERSION_SET_H_
