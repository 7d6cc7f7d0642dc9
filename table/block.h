// Block: an immutable, parsed block (layout in block_builder.h) and the
// iterator over its entries.
//
// A Block owns its bytes. It is immutable, so many threads may create and use
// iterators over one Block at once (a cached block is shared); each iterator
// is used by one thread at a time and must not outlive its Block.
#ifndef LODE_TABLE_BLOCK_H_
#define LODE_TABLE_BLOCK_H_

#include <cstdint>
#include <string>

#include "lib/util/coding.h"
#include "lib/util/comparator.h"
#include "lode/iterator.h"
#include "table/format.h"

namespace lode {

class Block {
 public:
  // Takes the bytes. `offset` is where the block lives in its file, only for
  // error messages. A malformed restart array is detected here and reported
  // by every iterator.
  explicit Block(BlockContents&& contents, uint64_t offset = 0);
  Block(const Block&) = delete;
  Block& operator=(const Block&) = delete;

  size_t size() const { return data_.size(); }
  uint64_t offset() const { return offset_; }
  // A block whose restart array is bad; it has no valid iterator.
  bool malformed() const { return malformed_; }
  Status MalformedStatus(const std::string* file_name) const;

  // An iterator over the entries, ordered by cmp (the order they were added
  // in). file_name (may be null; must outlive the iterator) names the file in
  // Corruption messages. Malformed entries end the iteration with status
  // Corruption; they never crash it. Caller deletes.
  Iterator* NewIterator(const Comparator* cmp, const std::string* file_name = nullptr) const;

  // The iterator itself, for callers that keep it on the stack (a point
  // lookup allocates nothing for it). REQUIRES: !malformed().
  class Iter;

 private:
  BlockContents contents_;
  Slice data_;
  uint64_t offset_;
  uint32_t restart_offset_ = 0;  // start of the restart array
  uint32_t num_restarts_ = 0;
  bool malformed_ = false;
};

// Declared here so that it can live on the stack; see Block::NewIterator.
class Block::Iter final : public Iterator {
 public:
  Iter(const Block* block, const Comparator* cmp, const std::string* file_name)
      : cmp_(cmp),
        file_name_(file_name),
        block_offset_(block->offset_),
        data_(block->data_.data()),
        restarts_(block->restart_offset_),
        num_restarts_(block->num_restarts_),
        current_(restarts_),
        restart_index_(num_restarts_) {}

  bool Valid() const override { return current_ < restarts_; }
  Status status() const override { return status_; }
  Slice key() const override { return key_; }
  Slice value() const override { return value_; }

  void SeekToFirst() override {
    if (!status_.ok()) return;
    SeekToRestartPoint(0);
    ParseNextKey();
  }

  void SeekToLast() override {
    if (!status_.ok()) return;
    SeekToRestartPoint(num_restarts_ - 1);
    while (ParseNextKey() && NextEntryOffset() < restarts_) {
    }
  }

  void Next() override {
    if (!Valid()) return;
    ParseNextKey();
  }

  void Prev() override {
    if (!Valid()) return;
    // Back up to the last restart point that starts before the current entry,
    // then walk forward to the entry just before it.
    const uint32_t original = current_;
    uint32_t point;
    while (true) {
      if (!GetRestartPoint(restart_index_, &point)) return;
      if (point < original) break;
      if (restart_index_ == 0) {
        MarkInvalid();
        return;
      }
      restart_index_--;
    }
    SeekToRestartPoint(restart_index_);
    while (ParseNextKey() && NextEntryOffset() < original) {
    }
    if (Valid() && NextEntryOffset() != original) {
      // Entries do not tile the block: the restart array lies.
      Corrupt(current_, "restart point is not an entry boundary");
    }
  }

  void Seek(const Slice& target) override {
    if (!status_.ok()) return;
    // Binary search for the last restart point whose key is < target.
    uint32_t left = 0;
    uint32_t right = num_restarts_ - 1;
    while (left < right) {
      const uint32_t mid = left + (right - left + 1) / 2;
      uint32_t point;
      if (!GetRestartPoint(mid, &point)) return;
      uint32_t shared, non_shared, value_len;
      const char* key_ptr = DecodeEntry(point, &shared, &non_shared, &value_len);
      if (key_ptr == nullptr || shared != 0) {
        Corrupt(point, "bad entry at restart point");
        return;
      }
      if (cmp_->Compare(Slice(key_ptr, non_shared), target) < 0) {
        left = mid;
      } else {
        right = mid - 1;
      }
    }
    SeekToRestartPoint(left);
    while (ParseNextKey()) {
      if (cmp_->Compare(key_, target) >= 0) return;
    }
  }

 private:
  uint32_t NextEntryOffset() const {
    return static_cast<uint32_t>(value_.data() + value_.size() - data_);
  }

  bool GetRestartPoint(uint32_t index, uint32_t* point) {
    *point = DecodeFixed32(data_ + restarts_ + size_t{index} * 4);
    if (*point >= restarts_ && !(*point == 0 && restarts_ == 0)) {
      Corrupt(restarts_, "restart point out of range");
      return false;
    }
    return true;
  }

  // Positions so that the next ParseNextKey reads the entry at the restart.
  void SeekToRestartPoint(uint32_t index) {
    key_.clear();
    restart_index_ = index;
    uint32_t point;
    if (!GetRestartPoint(index, &point)) return;
    value_ = Slice(data_ + point, 0);
  }

  // Decodes the entry header at offset; returns the key delta, or nullptr if
  // the entry does not fit before the restart array.
  const char* DecodeEntry(uint32_t offset, uint32_t* shared, uint32_t* non_shared,
                          uint32_t* value_len) const {
    const char* p = data_ + offset;
    const char* limit = data_ + restarts_;
    if ((p = GetVarint32Ptr(p, limit, shared)) == nullptr) return nullptr;
    if ((p = GetVarint32Ptr(p, limit, non_shared)) == nullptr) return nullptr;
    if ((p = GetVarint32Ptr(p, limit, value_len)) == nullptr) return nullptr;
    if (static_cast<uint64_t>(limit - p) < uint64_t{*non_shared} + *value_len) return nullptr;
    return p;
  }

  // Reads the entry after the current one; false at the end or on corruption.
  bool ParseNextKey() {
    if (!status_.ok()) return false;
    current_ = NextEntryOffset();
    if (current_ >= restarts_) {
      MarkInvalid();
      return false;
    }
    uint32_t shared, non_shared, value_len;
    const char* p = DecodeEntry(current_, &shared, &non_shared, &value_len);
    if (p == nullptr || shared > key_.size()) {
      Corrupt(current_, "bad block entry");
      return false;
    }
    key_.resize(shared);
    key_.append(p, non_shared);
    value_ = Slice(p + non_shared, value_len);
    // Keep restart_index_ at the last restart point at or before current_.
    while (restart_index_ + 1 < num_restarts_) {
      const uint32_t next_point = DecodeFixed32(data_ + restarts_ + size_t{restart_index_ + 1} * 4);
      if (next_point > current_) break;
      restart_index_++;
    }
    return true;
  }

  void MarkInvalid() {
    current_ = restarts_;
    restart_index_ = num_restarts_;
    key_.clear();
    value_ = Slice();
  }

  void Corrupt(uint32_t at, const char* what) {
    std::string msg = std::string(what) + " (entry offset " + std::to_string(at) + " in block)";
    status_ = TableCorruption(file_name_ != nullptr ? *file_name_ : std::string("block"),
                              block_offset_, msg);
    MarkInvalid();
  }

  const Comparator* const cmp_;
  const std::string* const file_name_;
  const uint64_t block_offset_;
  const char* const data_;
  const uint32_t restarts_;
  const uint32_t num_restarts_;

  uint32_t current_;        // offset of the current entry; >= restarts_ if invalid
  uint32_t restart_index_;  // restart block containing current_
  std::string key_;
  Slice value_;
  Status status_;
};

}  // namespace lode

#endif  // LODE_TABLE_BLOCK_H_
