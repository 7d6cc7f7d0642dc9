// BlockBuilder: builds one block of sorted key/value entries with prefix
// compression of keys and restart points for binary search.
//
// Layout of a finished block (all integers little-endian):
//   +--------------------------------------------------------------+
//   | entry*: varint32 shared | varint32 non_shared |              |
//   |         varint32 value_size | key[shared..] | value          |
//   +--------------------------------------------------------------+
//   | restart offsets: fixed32 * num_restarts (offset of an entry  |
//   |   whose shared == 0; the first is always 0)                  |
//   +--------------------------------------------------------------+
//   | num_restarts: fixed32 (>= 1)                                 |
//   +--------------------------------------------------------------+
// A restart point begins every `restart_interval` entries.
//
// Not thread-safe. The builder owns its buffer; Finish returns a Slice into
// it that stays valid until Reset or destruction.
#ifndef LODE_TABLE_BLOCK_BUILDER_H_
#define LODE_TABLE_BLOCK_BUILDER_H_

#include <cstdint>
#include <string>
#include <vector>

#include "lode/slice.h"

namespace lode {

class BlockBuilder {
 public:
  // REQUIRES: restart_interval >= 1
  explicit BlockBuilder(int restart_interval);
  BlockBuilder(const BlockBuilder&) = delete;
  BlockBuilder& operator=(const BlockBuilder&) = delete;

  // REQUIRES: Finish not called since the last Reset; key sorts after the
  // previous key in the order the block will be read with.
  void Add(const Slice& key, const Slice& value);
  // Appends the restart array; the block is complete.
  Slice Finish();
  void Reset();

  // Size of the block Finish would return now.
  size_t CurrentSizeEstimate() const;
  bool empty() const { return buffer_.empty(); }
  int num_entries() const { return num_entries_; }

 private:
  const int restart_interval_;
  std::string buffer_;
  std::vector<uint32_t> restarts_;
  int counter_ = 0;  // entries since the last restart
  int num_entries_ = 0;
  bool finished_ = false;
  std::string last_key_;
};

}  // namespace lode

#endif  // LODE_TABLE_BLOCK_BUILDER_H_
