// BlobAccounting: a CompactionEntryHandler that counts, per blob file, the
// blob indexes a flush or compaction keeps and drops.
//
// Kept counts become the output tables' blob refs; dropped counts become the
// blob garbage of the version edit (DESIGN.md, garbage accounting). Bytes are
// BlobIndex::size, the stored bytes of the blob. Entries of other types are
// ignored. Never replaces a value.
//
// Not thread-safe: one job uses one BlobAccounting.
#ifndef LODE_LIB_BLOB_ACCOUNTING_H_
#define LODE_LIB_BLOB_ACCOUNTING_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "lib/compaction_iterator.h"
#include "lib/version_edit.h"

namespace lode {

class BlobAccounting : public CompactionEntryHandler {
 public:
  Status OnKeep(const ParsedInternalKey& key, const Slice& value, std::string* new_value,
                bool* replaced) override;
  void OnDrop(const ParsedInternalKey& key, const Slice& value) override;

  // The same counting, for callers that are not a CompactionIterator.
  // Corruption if blob_index does not decode.
  Status AddKept(const Slice& blob_index);
  Status AddDropped(const Slice& blob_index);

  // Blob refs kept since the last call (sorted by file, no zero entries), and
  // starts counting afresh: call it when an output table is finished.
  std::vector<BlobRef> TakeKeptRefs();
  // Everything kept since construction.
  const std::map<uint64_t, BlobRef>& total_kept() const { return total_kept_; }
  // Everything dropped, keyed by blob file number.
  const std::map<uint64_t, BlobFileGarbage>& dropped() const { return dropped_; }
  // Adds the dropped counts as blob garbage to edit.
  void AddGarbageTo(VersionEdit* edit) const;

  // The first blob index that failed to decode in OnDrop (OnKeep returns it).
  Status status() const { return status_; }

 private:
  std::map<uint64_t, BlobRef> kept_;
  std::map<uint64_t, BlobRef> total_kept_;
  std::map<uint64_t, BlobFileGarbage> dropped_;
  Status status_;
};

}  // namespace lode

#endif  // LODE_LIB_BLOB_ACCOUNTING_H_
