// CompactionIterator: the merge rules of flush and compaction.
//
// Walks an internal-key iterator (in internal-key order) and emits, per user
// key, the newest entry and the newest entry of every older snapshot stripe;
// everything else is dropped:
//   - an entry hidden by a newer one of the same key in the same stripe
//     (no snapshot can see it);
//   - a tombstone in the oldest stripe (visible to every snapshot) when no
//     older data for its key can lie below the output (bottommost).
// A stripe is the range of sequences (s[i-1], s[i]] between two consecutive
// live snapshots; the last stripe (s[n-1], +inf) holds what only the latest
// state sees.
//
// Every kept and every dropped entry passes through a CompactionEntryHandler
// exactly once, in input order: that is where blob garbage is counted and
// where GC relocation replaces blob indexes.
//
// Not thread-safe. Does not own the input iterator or the handler.
#ifndef LODE_LIB_COMPACTION_ITERATOR_H_
#define LODE_LIB_COMPACTION_ITERATOR_H_

#include <functional>
#include <string>
#include <vector>

#include "lib/dbformat.h"
#include "lode/iterator.h"
#include "lode/status.h"

namespace lode {

// The GC seam: sees every entry's type and value.
class CompactionEntryHandler {
 public:
  virtual ~CompactionEntryHandler() = default;
  // A surviving entry; may replace the value (GC relocation will) by filling
  // *new_value and setting *replaced. The type of the entry does not change.
  // A non-OK status stops the compaction. Default: keep as is.
  virtual Status OnKeep(const ParsedInternalKey& key, const Slice& value, std::string* new_value,
                        bool* replaced);
  // An entry that will not be written. Default: nothing.
  virtual void OnDrop(const ParsedInternalKey& key, const Slice& value);
};

struct CompactionIteratorStats {
  uint64_t entries_in = 0;
  uint64_t entries_out = 0;
  uint64_t dropped_hidden = 0;      // shadowed within a stripe
  uint64_t dropped_tombstones = 0;  // obsolete deletions at the bottom
  uint64_t values_replaced = 0;     // by the handler
};

class CompactionIterator {
 public:
  // snapshots: live snapshot sequence numbers, sorted ascending.
  // bottommost: no data older than the input lies below the output for any
  //   key of the input. If false, is_base_level_for_key (optional) answers it
  //   per user key, called in increasing key order.
  // handler: may be null (keep everything unchanged, count nothing).
  CompactionIterator(Iterator* input, const Comparator* user_comparator,
                     std::vector<SequenceNumber> snapshots, bool bottommost,
                     CompactionEntryHandler* handler,
                     std::function<bool(const Slice& user_key)> is_base_level_for_key = nullptr);

  CompactionIterator(const CompactionIterator&) = delete;
  CompactionIterator& operator=(const CompactionIterator&) = delete;

  // Positions the input at its first entry and finds the first kept entry.
  void SeekToFirst();
  bool Valid() const { return valid_; }
  // REQUIRES: Valid()
  void Next();
  // REQUIRES: Valid(). Valid until the next move.
  Slice key() const { return input_->key(); }
  const ParsedInternalKey& ikey() const { return ikey_; }
  // The value to write (the handler's replacement, if any).
  Slice value() const { return value_; }
  // Input errors, malformed keys (Corruption) and handler errors.
  Status status() const { return status_; }

  const CompactionIteratorStats& stats() const { return stats_; }

 private:
  void FindNextKept();

  Iterator* const input_;
  const Comparator* const ucmp_;
  const std::vector<SequenceNumber> snapshots_;
  const bool bottommost_;
  CompactionEntryHandler* const handler_;
  const std::function<bool(const Slice&)> is_base_level_for_key_;

  bool valid_ = false;
  Status status_;
  ParsedInternalKey ikey_;
  Slice value_;
  std::string replaced_value_;
  std::string current_user_key_;
  bool has_current_user_key_ = false;
  size_t last_stripe_ = 0;  // stripe of the last entry kept for current_user_key_
  CompactionIteratorStats stats_;
};

}  // namespace lode

#endif  // LODE_LIB_COMPACTION_ITERATOR_H_
