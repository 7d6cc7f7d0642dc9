#include "table/table_builder.h"

#include <cassert>

#include "lib/util/compression.h"

namespace lode {

TableBuilder::TableBuilder(const TableBuilderOptions& options, WritableFile* file)
    : options_(options),
      file_(file),
      data_block_(options.block_restart_interval),
      // Restart at every index entry: the index is searched, never scanned.
      index_block_(1) {
  assert(options_.icmp != nullptr);
  if (options_.bloom_bits_per_key > 0) {
    filter_ = std::make_unique<BloomFilterBuilder>(
        options_.bloom_bits_per_key,
        options_.legacy_plain_filter ? BloomLayout::kPlain : BloomLayout::kBlocked);
  }
  props_.compression = options_.compression;
}

TableBuilder::~TableBuilder() { assert(closed_); }

void TableBuilder::Add(const Slice& internal_key, const Slice& value) {
  assert(!closed_);
  assert(internal_key.size() >= 8);
  if (!status_.ok()) return;
  assert(props_.num_entries == 0 || options_.icmp->Compare(internal_key, last_key_) > 0);

  if (pending_index_entry_) {
    assert(data_block_.empty());
    options_.icmp->FindShortestSeparator(&last_key_, internal_key);
    std::string handle_encoding;
    pending_handle_.EncodeTo(&handle_encoding);
    index_block_.Add(last_key_, handle_encoding);
    pending_index_entry_ = false;
  }

  if (filter_ != nullptr) filter_->AddKey(ExtractUserKey(internal_key));

  last_key_.assign(internal_key.data(), internal_key.size());
  props_.num_entries++;
  props_.raw_key_bytes += internal_key.size();
  props_.raw_value_bytes += value.size();
  switch (static_cast<uint8_t>(ExtractTrailer(internal_key) & 0xff)) {
    case kTypeDeletion:
      props_.num_deletions++;
      break;
    case kTypeBlobIndex:
      props_.num_blob_indexes++;
      break;
    default:
      break;
  }
  data_block_.Add(internal_key, value);
  if (data_block_.CurrentSizeEstimate() >= options_.block_size) FlushDataBlock();
}

void TableBuilder::FlushDataBlock() {
  if (data_block_.empty() || !status_.ok()) return;
  const uint64_t before = offset_;
  WriteBlock(data_block_.Finish(), options_.compression == Compression::kLZ4, &pending_handle_);
  data_block_.Reset();
  if (!status_.ok()) return;
  props_.data_bytes += offset_ - before;
  props_.num_data_blocks++;
  pending_index_entry_ = true;
}

void TableBuilder::WriteBlock(const Slice& contents, bool allow_compression, BlockHandle* handle) {
  compressed_.clear();
  if (allow_compression && LZ4CompressIfWorthIt(contents, &compressed_)) {
    WriteRaw(compressed_, kBlockTypeLZ4, static_cast<uint32_t>(contents.size()), handle);
  } else {
    WriteRaw(contents, kBlockTypeNone, static_cast<uint32_t>(contents.size()), handle);
  }
}

void TableBuilder::WriteRaw(const Slice& stored, BlockType type, uint32_t uncompressed_size,
                            BlockHandle* handle) {
  handle->set_offset(offset_);
  handle->set_size(stored.size());
  status_ = file_->Append(stored);
  if (!status_.ok()) return;
  trailer_.clear();
  AppendBlockTrailer(stored, type, uncompressed_size, &trailer_);
  status_ = file_->Append(trailer_);
  if (!status_.ok()) return;
  offset_ += stored.size() + trailer_.size();
}

Status TableBuilder::Finish() {
  assert(!closed_);
  FlushDataBlock();
  closed_ = true;
  if (!status_.ok()) return status_;

  if (pending_index_entry_) {
    options_.icmp->FindShortSuccessor(&last_key_);
    std::string handle_encoding;
    pending_handle_.EncodeTo(&handle_encoding);
    index_block_.Add(last_key_, handle_encoding);
    pending_index_entry_ = false;
  }
  // The index is complete now; its size goes into the properties written
  // before it.
  const Slice index_contents = index_block_.Finish();
  props_.index_bytes = index_contents.size() + kBlockTrailerSize;

  BlockBuilder metaindex(1);  // names added in bytewise order
  std::string handle_encoding;

  BlockHandle filter_handle;
  bool has_filter = false;
  if (filter_ != nullptr) {
    std::string filter_contents;
    filter_->Finish(&filter_contents);
    const uint64_t before = offset_;
    WriteRaw(filter_contents, kBlockTypeNone, static_cast<uint32_t>(filter_contents.size()),
             &filter_handle);
    if (!status_.ok()) return status_;
    props_.filter_bytes = offset_ - before;
    has_filter = true;
  }

  BlockHandle props_handle;
  std::string props_contents;
  props_.EncodeTo(&props_contents);
  WriteRaw(props_contents, kBlockTypeNone, static_cast<uint32_t>(props_contents.size()),
           &props_handle);
  if (!status_.ok()) return status_;

  // Bytewise order: "lode.filter.bloom64" < "lode.properties".
  if (has_filter) {
    filter_handle.EncodeTo(&handle_encoding);
    metaindex.Add(options_.legacy_plain_filter ? kFilterBlockName : kBlockedFilterBlockName,
                  handle_encoding);
  }
  handle_encoding.clear();
  props_handle.EncodeTo(&handle_encoding);
  metaindex.Add(kPropertiesBlockName, handle_encoding);

  BlockHandle metaindex_handle;
  const Slice metaindex_contents = metaindex.Finish();
  WriteRaw(metaindex_contents, kBlockTypeNone, static_cast<uint32_t>(metaindex_contents.size()),
           &metaindex_handle);
  if (!status_.ok()) return status_;

  BlockHandle index_handle;
  WriteRaw(index_contents, kBlockTypeNone, static_cast<uint32_t>(index_contents.size()),
           &index_handle);
  if (!status_.ok()) return status_;

  std::string footer;
  Footer(metaindex_handle, index_handle).EncodeTo(&footer);
  status_ = file_->Append(footer);
  if (status_.ok()) offset_ += footer.size();
  return status_;
}

void TableBuilder::Abandon() {
  assert(!closed_);
  closed_ = true;
}

}  // namespace lode
