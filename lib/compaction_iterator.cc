#include "lib/compaction_iterator.h"

#include <algorithm>
#include <cassert>

namespace lode {

Status CompactionEntryHandler::OnKeep(const ParsedInternalKey& /*key*/, const Slice& /*value*/,
                                      std::string* /*new_value*/, bool* replaced) {
  *replaced = false;
  return Status::OK();
}

void CompactionEntryHandler::OnDrop(const ParsedInternalKey& /*key*/, const Slice& /*value*/) {}

CompactionIterator::CompactionIterator(Iterator* input, const Comparator* user_comparator,
                                       std::vector<SequenceNumber> snapshots, bool bottommost,
                                       CompactionEntryHandler* handler,
                                       std::function<bool(const Slice&)> is_base_level_for_key)
    : input_(input),
      ucmp_(user_comparator),
      snapshots_(std::move(snapshots)),
      bottommost_(bottommost),
      handler_(handler),
      is_base_level_for_key_(std::move(is_base_level_for_key)) {
  assert(std::is_sorted(snapshots_.begin(), snapshots_.end()));
}

void CompactionIterator::SeekToFirst() {
  has_current_user_key_ = false;
  status_ = Status::OK();
  input_->SeekToFirst();
  FindNextKept();
}

void CompactionIterator::Next() {
  assert(valid_);
  input_->Next();
  FindNextKept();
}

void CompactionIterator::FindNextKept() {
  valid_ = false;
  while (input_->Valid()) {
    const Slice k = input_->key();
    ParsedInternalKey parsed;
    if (!ParseInternalKey(k, &parsed)) {
      // Writing it on would spread the damage; stop the compaction instead.
      status_ = Status::Corruption("compaction input: malformed internal key of " +
                                   std::to_string(k.size()) + " bytes");
      return;
    }
    stats_.entries_in++;
    const bool first_of_key =
        !has_current_user_key_ || ucmp_->Compare(parsed.user_key, current_user_key_) != 0;
    if (first_of_key) {
      current_user_key_.assign(parsed.user_key.data(), parsed.user_key.size());
      has_current_user_key_ = true;
      parsed.user_key = current_user_key_;  // stable across input moves
    } else {
      parsed.user_key = current_user_key_;
    }
    // Index of the oldest snapshot that sees this entry (n: none, only the
    // latest state).
    const size_t stripe = static_cast<size_t>(
        std::lower_bound(snapshots_.begin(), snapshots_.end(), parsed.sequence) -
        snapshots_.begin());

    bool drop = false;
    if (!first_of_key && stripe == last_stripe_) {
      drop = true;  // a newer entry of this key is visible to the same readers
      stats_.dropped_hidden++;
    } else {
      last_stripe_ = stripe;
      if (parsed.type == kTypeDeletion && stripe == 0 &&
          (bottommost_ ||
           (is_base_level_for_key_ != nullptr && is_base_level_for_key_(parsed.user_key)))) {
        // Every reader sees the tombstone and nothing older lies below: it
        // hides nothing. Older entries of the key in this stripe drop as hidden.
        drop = true;
        stats_.dropped_tombstones++;
      }
    }

    if (drop) {
      if (handler_ != nullptr) handler_->OnDrop(parsed, input_->value());
      input_->Next();
      continue;
    }

    ikey_ = parsed;
    value_ = input_->value();
    if (handler_ != nullptr) {
      bool replaced = false;
      replaced_value_.clear();
      Status s = handler_->OnKeep(parsed, value_, &replaced_value_, &replaced);
      if (!s.ok()) {
        status_ = s;
        return;
      }
      if (replaced) {
        value_ = replaced_value_;
        stats_.values_replaced++;
      }
    }
    stats_.entries_out++;
    valid_ = true;
    return;
  }
  status_ = input_->status();
}

}  // namespace lode
