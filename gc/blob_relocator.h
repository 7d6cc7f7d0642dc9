// BlobRelocator: the GC half of a relocating compaction.
//
// A CompactionEntryHandler given to a CompactionJob. For a kept blob index
// that points into an eligible blob file, it reads the stored blob (one
// positioned read; key and checksum verified against the index), copies it
// without recompressing into a new blob file of the job, and hands the new
// index to the compaction in place of the old one. The job's own accounting
// then counts the old blob as garbage of its file and the new one as a ref of
// the output table, both in the job's one version edit. GC never writes a blob it could not verify:
// a bad source blob stops the job with Corruption naming file and offset.
//
// Lifecycle: OnKeep/OnDrop during the merge, then Finish or Abandon. One
// thread (the job's).
#ifndef LODE_GC_BLOB_RELOCATOR_H_
#define LODE_GC_BLOB_RELOCATOR_H_

#include <set>
#include <vector>

#include "blob/blob_file_builder.h"
#include "lib/compaction_iterator.h"
#include "lib/version_edit.h"

namespace lode {

class BlobFileCache;
class RateLimiter;

struct BlobRelocatorStats {
  uint64_t blobs_relocated = 0;
  uint64_t bytes_relocated = 0;  // stored bytes copied
};

class BlobRelocator final : public CompactionEntryHandler {
 public:
  // eligible: blob files to relocate out of. files (and limiter, if not
  // null: it paces the bytes copied) must outlive this.
  BlobRelocator(const BlobFileBuilderOptions& builder_options, BlobFileCache* files,
                std::set<uint64_t> eligible, RateLimiter* limiter = nullptr);
  ~BlobRelocator() override;

  Status OnKeep(const ParsedInternalKey& key, const Slice& value, std::string* new_value,
                bool* replaced) override;

  // Finishes and syncs the new blob files; appends them to *added.
  Status Finish(std::vector<BlobFileAddition>* added);
  // Deletes every blob file this relocator created.
  void Abandon();

  const std::vector<uint64_t>& created_files() const { return builder_.created_files(); }
  const BlobRelocatorStats& stats() const { return stats_; }

 private:
  BlobFileBuilder builder_;
  BlobFileCache* const files_;
  const std::set<uint64_t> eligible_;
  RateLimiter* const limiter_;
  BlobRelocatorStats stats_;
  std::string stored_;  // scratch for one blob
  bool finished_ = false;
};

}  // namespace lode

#endif  // LODE_GC_BLOB_RELOCATOR_H_
