#include "table/block.h"

#include "lib/util/coding.h"

namespace lode {

Block::Block(BlockContents&& contents, uint64_t offset)
    : contents_(std::move(contents)), data_(contents_.data), offset_(offset) {
  const size_t size = data_.size();
  if (size < 4 || size > UINT32_MAX) {
    malformed_ = true;
    return;
  }
  num_restarts_ = DecodeFixed32(data_.data() + size - 4);
  const size_t max_restarts = (size - 4) / 4;
  if (num_restarts_ == 0 || num_restarts_ > max_restarts) {
    malformed_ = true;
    num_restarts_ = 0;
    return;
  }
  restart_offset_ = static_cast<uint32_t>(size - 4 - size_t{num_restarts_} * 4);
}

Status Block::MalformedStatus(const std::string* file_name) const {
  return TableCorruption(file_name != nullptr ? *file_name : "block", offset_,
                         "malformed block (bad restart array)");
}

Iterator* Block::NewIterator(const Comparator* cmp, const std::string* file_name) const {
  if (malformed_) return NewEmptyIterator(MalformedStatus(file_name));
  return new Iter(this, cmp, file_name);
}

}  // namespace lode
