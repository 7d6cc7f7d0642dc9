#include "lib/db_iter.h"

#include <string>

#include "lib/blob_prefetcher.h"

namespace lode {
namespace {

// In the forward direction the internal iterator sits on the entry that
// yields the current user key. In the reverse direction it sits just before
// every entry of the current user key, whose key and value are then kept in
// saved_key_/saved_value_.
class DBIter final : public Iterator {
 public:
  DBIter(const Comparator* cmp, Iterator* iter, SequenceNumber s, BlobSource* blobs,
         const ReadOptions& ro)
      : cmp_(cmp), iter_(iter), sequence_(s), read_options_(ro) {
    read_options_.snapshot = nullptr;  // the sequence is already fixed
    if (blobs != nullptr) prefetcher_ = std::make_unique<BlobPrefetcher>(blobs);
  }

  bool Valid() const override { return valid_; }

  Slice key() const override {
    assert(valid_);
    return direction_ == kForward ? ExtractUserKey(iter_->key()) : Slice(saved_key_);
  }

  Slice value() const override {
    assert(valid_);
    Slice raw = direction_ == kForward ? iter_->value() : Slice(saved_value_);
    if (type_ != kTypeBlobIndex) return raw;
    if (!blob_resolved_) {
      Status s = prefetcher_ == nullptr
                     ? Status::Corruption("blob index met but no blob source is attached")
                     : prefetcher_->GetBlob(read_options_, key(), raw, &blob_value_);
      if (!s.ok()) {
        if (status_.ok()) status_ = s;
        blob_value_.Reset();
      }
      blob_resolved_ = true;
    }
    return blob_value_.data();
  }

  Status status() const override {
    if (!status_.ok()) return status_;
    return iter_->status();
  }

  void Next() override;
  void Prev() override;
  void Seek(const Slice& target) override;
  void SeekToFirst() override;
  void SeekToLast() override;

 private:
  enum Direction { kForward, kReverse };

  void FindNextUserEntry(bool skipping, std::string* skip);
  void FindFirstForward();
  void FindPrevUserEntry();
  bool ParseKey(ParsedInternalKey* key);
  void ResetBlob() {
    if (blob_resolved_) blob_value_.Reset();  // releases a pinned cache entry
    blob_resolved_ = false;
  }
  void ClearSavedValue() {
    if (saved_value_.capacity() > 1048576) {
      std::string empty;
      swap(empty, saved_value_);
    } else {
      saved_value_.clear();
    }
  }

  const Comparator* const cmp_;
  std::unique_ptr<Iterator> iter_;
  const SequenceNumber sequence_;
  ReadOptions read_options_;
  // Resolves blob indexes, reading ahead in scans; null without a source.
  std::unique_ptr<BlobPrefetcher> prefetcher_;

  mutable Status status_;
  std::string saved_key_;    // reverse: current user key; forward: key to skip
  std::string saved_value_;  // reverse: current raw value
  ValueType type_ = kTypeValue;
  mutable bool blob_resolved_ = false;
  // Pinned in the blob cache when the value is cached: value() copies nothing.
  mutable PinnedBlob blob_value_;
  Direction direction_ = kForward;
  bool valid_ = false;
};

bool DBIter::ParseKey(ParsedInternalKey* ikey) {
  if (!ParseInternalKey(iter_->key(), ikey)) {
    status_ = Status::Corruption("malformed internal key met by the DB iterator");
    return false;
  }
  return true;
}

void DBIter::Next() {
  assert(valid_);
  ResetBlob();
  if (direction_ == kReverse) {
    direction_ = kForward;
    // iter_ is before the entries of saved_key_: step into them, then past.
    if (!iter_->Valid()) {
      iter_->SeekToFirst();
    } else {
      iter_->Next();
    }
    if (!iter_->Valid()) {
      valid_ = false;
      saved_key_.clear();
      return;
    }
    // saved_key_ holds the key to skip.
  } else {
    saved_key_.assign(ExtractUserKey(iter_->key()).data(), ExtractUserKey(iter_->key()).size());
    iter_->Next();
    if (!iter_->Valid()) {
      valid_ = false;
      saved_key_.clear();
      return;
    }
  }
  FindNextUserEntry(true, &saved_key_);
}

void DBIter::FindNextUserEntry(bool skipping, std::string* skip) {
  assert(iter_->Valid());
  assert(direction_ == kForward);
  do {
    ParsedInternalKey ikey;
    if (!ParseKey(&ikey)) {
      valid_ = false;
      return;
    }
    if (ikey.sequence <= sequence_) {
      switch (ikey.type) {
        case kTypeDeletion:
          // Hide every older entry of this key.
          skip->assign(ikey.user_key.data(), ikey.user_key.size());
          skipping = true;
          break;
        case kTypeValue:
        case kTypeBlobIndex:
          if (skipping && cmp_->Compare(ikey.user_key, *skip) <= 0) {
            break;  // hidden by a newer entry or a deletion
          }
          type_ = ikey.type;
          valid_ = true;
          saved_key_.clear();
          return;
      }
    }
    iter_->Next();
  } while (iter_->Valid());
  saved_key_.clear();
  valid_ = false;
}

void DBIter::Prev() {
  assert(valid_);
  ResetBlob();
  if (direction_ == kForward) {
    // iter_ is on the current entry: back up until before every entry of it.
    saved_key_.assign(ExtractUserKey(iter_->key()).data(), ExtractUserKey(iter_->key()).size());
    while (true) {
      iter_->Prev();
      if (!iter_->Valid()) {
        valid_ = false;
        saved_key_.clear();
        ClearSavedValue();
        return;
      }
      if (cmp_->Compare(ExtractUserKey(iter_->key()), saved_key_) < 0) break;
    }
    direction_ = kReverse;
  }
  FindPrevUserEntry();
}

void DBIter::FindPrevUserEntry() {
  assert(direction_ == kReverse);
  ValueType value_type = kTypeDeletion;
  if (iter_->Valid()) {
    do {
      ParsedInternalKey ikey;
      if (!ParseKey(&ikey)) {
        valid_ = false;
        return;
      }
      if (ikey.sequence <= sequence_) {
        if (value_type != kTypeDeletion && cmp_->Compare(ikey.user_key, saved_key_) < 0) {
          break;  // a live entry for a later key is complete
        }
        value_type = ikey.type;
        if (value_type == kTypeDeletion) {
          saved_key_.clear();
          ClearSavedValue();
        } else {
          Slice raw = iter_->value();
          if (saved_value_.capacity() > raw.size() + 1048576) {
            std::string empty;
            swap(empty, saved_value_);
          }
          saved_key_.assign(ikey.user_key.data(), ikey.user_key.size());
          saved_value_.assign(raw.data(), raw.size());
        }
      }
      iter_->Prev();
    } while (iter_->Valid());
  }
  if (value_type == kTypeDeletion) {
    valid_ = false;
    saved_key_.clear();
    ClearSavedValue();
    direction_ = kForward;
  } else {
    type_ = value_type;
    valid_ = true;
  }
}

void DBIter::Seek(const Slice& target) {
  direction_ = kForward;
  ResetBlob();
  ClearSavedValue();
  saved_key_.clear();
  AppendInternalKey(&saved_key_, ParsedInternalKey(target, sequence_, kValueTypeForSeek));
  iter_->Seek(saved_key_);
  FindFirstForward();
}

void DBIter::SeekToFirst() {
  direction_ = kForward;
  ResetBlob();
  ClearSavedValue();
  iter_->SeekToFirst();
  FindFirstForward();
}

// After a forward positioning of iter_: the first visible entry from there.
void DBIter::FindFirstForward() {
  if (iter_->Valid()) {
    FindNextUserEntry(false, &saved_key_);
  } else {
    valid_ = false;
  }
}

void DBIter::SeekToLast() {
  direction_ = kReverse;
  ResetBlob();
  ClearSavedValue();
  iter_->SeekToLast();
  FindPrevUserEntry();
}

}  // namespace

Iterator* NewDBIterator(const Comparator* user_cmp, Iterator* internal_iter,
                        SequenceNumber sequence, BlobSource* blob_source,
                        const ReadOptions& read_options) {
  return new DBIter(user_cmp, internal_iter, sequence, blob_source, read_options);
}

}  // namespace lode
