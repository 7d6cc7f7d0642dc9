// VersionEdit: one atomic change to the set of live files, the unit that the
// manifest logs (one edit = one checksummed log record, applied whole or not
// at all; see doc/manifest_format.md).
//
// Manifest record layout: a sequence of (varint32 tag, fields) pairs in any
// order. Tags are numbered once and never reused; a retired tag stays listed
// here as a comment. Table records use 1..63, blob records 64..127.
//
//   tag  name               fields
//   ---  -----------------  ---------------------------------------------------
//    1   kComparator        length-prefixed comparator name
//    2   kLogNumber         varint64 number of the oldest WAL still needed
//    3   kNextFileNumber    varint64 next unused file number
//    4   kLastSequence      varint64 last sequence number written
//    5   kCompactPointer    varint32 level | length-prefixed internal key
//    6   kDeletedFile       varint32 level | varint64 table number
//    7   kNewFile           varint32 level | varint64 number | varint64 file_size
//                           | lp smallest | lp largest
//                           | varint64 smallest_seqno | varint64 largest_seqno
//                           | varint64 num_entries | varint64 num_deletions
//                           | varint32 n_refs | n x (varint64 blob_file_number
//                             | varint64 count | varint64 bytes)
//    8   kPrevLogNumber     varint64
//    9   kFormatVersion     varint32 (kManifestFormatVersion; in every snapshot)
//   64   kBlobFileAddition  varint64 number | blob_count | blob_bytes | file_size
//   65   kBlobFileGarbage   varint64 number | count | bytes
//   66   kDeletedBlobFile   varint64 number
//
// A VersionEdit is a plain value: not thread-safe, owned by whoever builds it.
#ifndef LODE_LIB_VERSION_EDIT_H_
#define LODE_LIB_VERSION_EDIT_H_

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "lib/dbformat.h"
#include "lode/slice.h"
#include "lode/status.h"

namespace lode {

// The manifest grammar version this code writes and the newest it reads.
constexpr uint32_t kManifestFormatVersion = 1;
// Levels a manifest may name; Options::num_levels must not exceed it.
constexpr int kMaxNumLevels = 16;

// What one table points into one blob file.
struct BlobRef {
  uint64_t blob_file_number = 0;
  uint64_t count = 0;
  uint64_t bytes = 0;
  bool operator==(const BlobRef&) const = default;
};

// Immutable facts of one table, shared by versions (refs counts the versions
// holding it; guarded by the DB mutex).
struct FileMetaData {
  int refs = 0;
  uint64_t number = 0, file_size = 0;
  InternalKey smallest, largest;
  SequenceNumber smallest_seqno = 0, largest_seqno = 0;
  uint64_t num_entries = 0, num_deletions = 0;
  std::vector<BlobRef> blob_refs;  // sorted by blob_file_number, no zero entries
  bool being_compacted = false;    // guarded by the DB mutex
  // Blob bytes of the older versions this table's entries shadowed when a
  // flush wrote it: garbage no compaction has counted yet, as long as the
  // table is not merged (a trivial move keeps it). An estimate in memory
  // only, not in the manifest: 0 after a reopen. See doc/gc.md.
  uint64_t shadowed_blob_bytes = 0;
};

// A finished blob file entering the version.
struct BlobFileAddition {
  uint64_t number = 0, blob_count = 0, blob_bytes = 0, file_size = 0;
  bool operator==(const BlobFileAddition&) const = default;
};

// Garbage added to one blob file by one edit.
struct BlobFileGarbage {
  uint64_t number = 0, count = 0, bytes = 0;
  bool operator==(const BlobFileGarbage&) const = default;
};

class VersionEdit {
 public:
  VersionEdit() = default;

  void Clear();

  void SetComparatorName(const Slice& name);
  void SetLogNumber(uint64_t num);
  void SetPrevLogNumber(uint64_t num);
  void SetNextFile(uint64_t num);
  void SetLastSequence(SequenceNumber seq);
  void SetCompactPointer(int level, const InternalKey& key);

  // Adds the table to level; copies the facts (refs and being_compacted are
  // not copied).
  void AddFile(int level, const FileMetaData& f);
  void RemoveFile(int level, uint64_t file_number);

  void AddBlobFile(const BlobFileAddition& b);
  // Accumulates per blob file over repeated calls.
  void AddBlobGarbage(uint64_t blob_file_number, uint64_t count, uint64_t bytes);
  void DeleteBlobFile(uint64_t blob_file_number);

  void EncodeTo(std::string* dst) const;
  // Replaces the contents of *this. On a malformed record returns Corruption
  // naming the tag and field; *this is then unspecified.
  Status DecodeFrom(const Slice& src);

  std::string DebugString() const;

  // Accessors.
  bool has_comparator() const { return has_comparator_; }
  const std::string& comparator() const { return comparator_; }
  bool has_log_number() const { return has_log_number_; }
  uint64_t log_number() const { return log_number_; }
  bool has_prev_log_number() const { return has_prev_log_number_; }
  uint64_t prev_log_number() const { return prev_log_number_; }
  bool has_next_file_number() const { return has_next_file_number_; }
  uint64_t next_file_number() const { return next_file_number_; }
  bool has_last_sequence() const { return has_last_sequence_; }
  SequenceNumber last_sequence() const { return last_sequence_; }
  bool has_format_version() const { return has_format_version_; }
  uint32_t format_version() const { return format_version_; }
  void SetFormatVersion(uint32_t v) {
    has_format_version_ = true;
    format_version_ = v;
  }

  const std::vector<std::pair<int, InternalKey>>& compact_pointers() const {
    return compact_pointers_;
  }
  // (level, file number) pairs.
  const std::set<std::pair<int, uint64_t>>& deleted_files() const { return deleted_files_; }
  const std::vector<std::pair<int, FileMetaData>>& new_files() const { return new_files_; }
  const std::vector<BlobFileAddition>& blob_file_additions() const { return blob_file_additions_; }
  // Keyed by blob file number.
  const std::map<uint64_t, BlobFileGarbage>& blob_garbage() const { return blob_garbage_; }
  const std::set<uint64_t>& deleted_blob_files() const { return deleted_blob_files_; }

  // True if the edit changes no file (only counters, if anything).
  bool HasFileChanges() const {
    return !deleted_files_.empty() || !new_files_.empty() || !blob_file_additions_.empty() ||
           !blob_garbage_.empty() || !deleted_blob_files_.empty();
  }

 private:
  std::string comparator_;
  uint64_t log_number_ = 0;
  uint64_t prev_log_number_ = 0;
  uint64_t next_file_number_ = 0;
  SequenceNumber last_sequence_ = 0;
  uint32_t format_version_ = 0;
  bool has_comparator_ = false;
  bool has_log_number_ = false;
  bool has_prev_log_number_ = false;
  bool has_next_file_number_ = false;
  bool has_last_sequence_ = false;
  bool has_format_version_ = false;

  std::vector<std::pair<int, InternalKey>> compact_pointers_;
  std::set<std::pair<int, uint64_t>> deleted_files_;
  std::vector<std::pair<int, FileMetaData>> new_files_;
  std::vector<BlobFileAddition> blob_file_additions_;
  std::map<uint64_t, BlobFileGarbage> blob_garbage_;
  std::set<uint64_t> deleted_blob_files_;
};

}  // namespace lode

#endif  // LODE_LIB_VERSION_EDIT_H_
