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

  // An iterator over the entries, ordered by cmp (the order they were added
  // in). file_name (may be null; must outlive the iterator) names the file in
  // Corruption messages. Malformed entries end the iteration with status
  // Corruption; they never crash it. Caller deletes.
  Iterator* NewIterator(const Comparator* cmp, const std::string* file_name = nullptr) const;

 private:
  class Iter;

  BlockContents contents_;
  Slice data_;
  uint64_t offset_;
  uint32_t restart_offset_ = 0;  // start of the restart array
  uint32_t num_restarts_ = 0;
  bool malformed_ = false;
};

}  // namespace lode

#endif  // LODE_TABLE_BLOCK_H_
