// Compaction: the description of one compaction chosen by the picker
// (VersionSet::PickCompaction / CompactRange): which files of level and
// level+1 to merge, the grandparents that bound output files, and the edit
// that will install the result.
//
// Lifecycle (DB mutex = the mutex passed to LogAndApply):
//   1. the picker creates it under the mutex: its inputs are marked
//      being_compacted, its key range is registered as in flight, and it
//      holds a reference on the input version;
//   2. the job runs without the mutex (CompactionJob, or a trivial move via
//      AddTrivialMoveTo);
//   3. the caller installs c->edit() with LogAndApply, then deletes the
//      Compaction under the mutex, which releases all of the above.
// Methods other than the destructor may be called without the mutex by the
// one thread running the job.
#ifndef LODE_LIB_COMPACTION_H_
#define LODE_LIB_COMPACTION_H_

#include <cstdint>
#include <vector>

#include "lib/dbformat.h"
#include "lib/version_edit.h"

namespace lode {

class Version;
class VersionSet;

class Compaction {
 public:
  // REQUIRES: DB mutex held.
  ~Compaction();

  Compaction(const Compaction&) = delete;
  Compaction& operator=(const Compaction&) = delete;

  // Inputs come from level and level+1; outputs go to level+1, except for a
  // rewrite (VersionSet::RewriteFileCompaction), which writes back into level.
  int level() const { return level_; }
  int output_level() const { return output_level_; }

  // The edit the job fills and the caller installs.
  VersionEdit* edit() { return &edit_; }

  // which: 0 for level, 1 for level+1.
  int num_input_files(int which) const { return static_cast<int>(inputs_[which].size()); }
  FileMetaData* input(int which, int i) const { return inputs_[which][i]; }
  const std::vector<FileMetaData*>& inputs(int which) const { return inputs_[which]; }
  // Files of level+2 overlapping the inputs.
  const std::vector<FileMetaData*>& grandparents() const { return grandparents_; }
  Version* input_version() const { return input_version_; }

  // Outputs are cut at this size.
  uint64_t MaxOutputFileSize() const { return max_output_file_size_; }

  // True if the single input file can move down by an edit alone: nothing to
  // merge with in level+1 and little grandparent overlap (so the moved file
  // does not make a later compaction of level+1 expensive).
  bool IsTrivialMove() const;
  // Fills edit() for a trivial move. REQUIRES: IsTrivialMove()
  void AddTrivialMoveTo(VersionEdit* edit) const;

  // Adds the deletion of every input to edit.
  void AddInputDeletions(VersionEdit* edit) const;

  // True if no level below output_level() holds any key of the inputs' range:
  // tombstones in the oldest stripe can then all be dropped.
  bool IsBottommost() const;

  // True if no level below output_level() may hold user_key. REQUIRES: called
  // in increasing user_key order (it keeps a cursor per level).
  bool IsBaseLevelForKey(const Slice& user_key);

  // True if the output being written should end before internal_key because
  // it would overlap too much of the grandparent level. REQUIRES: called with
  // every key written, in increasing order.
  bool ShouldStopBefore(const Slice& internal_key);

  // The smallest and largest internal key over all inputs.
  void GetRange(InternalKey* smallest, InternalKey* largest) const;

  // Bytes of all inputs.
  uint64_t TotalInputBytes() const;

 private:
  friend class VersionSet;

  Compaction(VersionSet* vset, Version* input_version, int level, int output_level = -1);
  // REQUIRES: DB mutex held. Marks inputs and registers the range.
  void Claim();

  VersionSet* const vset_;
  Version* const input_version_;
  const int level_;
  const int output_level_;
  const uint64_t max_output_file_size_;
  VersionEdit edit_;
  std::vector<FileMetaData*> inputs_[2];
  std::vector<FileMetaData*> grandparents_;
  bool claimed_ = false;
  // Registered output range (user keys) while in flight.
  InternalKey range_smallest_, range_largest_;

  // ShouldStopBefore state.
  size_t grandparent_index_ = 0;
  bool seen_key_ = false;
  uint64_t overlapped_bytes_ = 0;
  // IsBaseLevelForKey cursors, one per level.
  std::vector<size_t> level_ptrs_;
};

}  // namespace lode

#endif  // LODE_LIB_COMPACTION_H_
