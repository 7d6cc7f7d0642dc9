#include "table/table.h"

#include <algorithm>
#include <cstdint>
#include <cstring>

#include "lib/util/coding.h"
#include "table/block.h"
#include "table/bloom_filter.h"
#include "table/format.h"
#include "table/two_level_iterator.h"

namespace lode {

// The internal-key order, made total over malformed keys: a key shorter than
// 8 bytes (only possible in a damaged block read without checksums) compares
// bytewise instead of reading out of bounds.
class Table::SafeComparator final : public Comparator {
 public:
  explicit SafeComparator(const InternalKeyComparator* icmp) : icmp_(icmp) {}
  int Compare(const Slice& a, const Slice& b) const override {
    if (a.size() < 8 || b.size() < 8) return a.compare(b);
    return icmp_->Compare(a, b);
  }
  const char* Name() const override { return icmp_->Name(); }
  void FindShortestSeparator(std::string*, const Slice&) const override {}
  void FindShortSuccessor(std::string*) const override {}

 private:
  const InternalKeyComparator* const icmp_;
};

namespace {

void DeleteCachedBlock(const Slice& /*key*/, void* value) { delete static_cast<Block*>(value); }

ReadOptions VerifyingReadOptions() {
  ReadOptions ro;
  ro.verify_checksums = true;
  ro.fill_cache = false;
  return ro;
}

}  // namespace

Table::Table(const TableReaderOptions& options, std::unique_ptr<RandomAccessFile> file,
             uint64_t file_size)
    : options_(options),
      cmp_(std::make_unique<SafeComparator>(options.icmp)),
      file_(std::move(file)),
      file_size_(file_size) {
  if (options_.block_cache != nullptr) cache_id_ = options_.block_cache->NewId();
}

Table::~Table() = default;

Status Table::CheckHandle(const BlockHandle& handle, uint64_t limit, const char* what) const {
  // Written to avoid overflow for huge (corrupt) values.
  if (handle.offset() > limit || handle.size() > limit || limit - handle.offset() < handle.size() ||
      limit - handle.offset() - handle.size() < kBlockTrailerSize) {
    return TableCorruption(options_.file_name, handle.offset(),
                           std::string(what) + " block handle points outside the file");
  }
  return Status::OK();
}

Status Table::Open(const TableReaderOptions& options, std::unique_ptr<RandomAccessFile> file,
                   uint64_t file_size, std::unique_ptr<Table>* table) {
  if (options.icmp == nullptr) {
    return Status::InvalidArgument(options.file_name, "TableReaderOptions::icmp is required");
  }
  const std::string& fname = options.file_name;
  if (file_size < Footer::kSize) {
    return TableCorruption(fname, 0,
                           "file too short to be an sst (" + std::to_string(file_size) + " bytes)");
  }
  const uint64_t footer_offset = file_size - Footer::kSize;
  char footer_space[Footer::kSize];
  Slice footer_input;
  Status s = file->Read(footer_offset, Footer::kSize, &footer_input, footer_space);
  if (!s.ok()) return s;
  if (footer_input.size() != Footer::kSize) {
    return TableCorruption(fname, footer_offset, "truncated footer read");
  }
  Footer footer;
  s = footer.DecodeFrom(footer_input, fname, footer_offset);
  if (!s.ok()) return s;

  std::unique_ptr<Table> t(new Table(options, std::move(file), file_size));
  s = t->CheckHandle(footer.index_handle(), footer_offset, "index");
  if (s.ok()) s = t->CheckHandle(footer.metaindex_handle(), footer_offset, "metaindex");
  if (!s.ok()) return s;

  BlockContents index_contents;
  s = ReadBlock(t->file_.get(), fname, VerifyingReadOptions(), footer.index_handle(),
                &index_contents);
  if (!s.ok()) return s;
  t->index_block_ =
      std::make_unique<Block>(std::move(index_contents), footer.index_handle().offset());

  s = t->ReadMetaBlocks(footer.metaindex_handle());
  if (!s.ok()) return s;
  if (options.paranoid_checks) {
    s = t->CheckIndex();
    if (!s.ok()) return s;
  }
  *table = std::move(t);
  return Status::OK();
}

Status Table::ReadMetaBlocks(const BlockHandle& metaindex_handle) {
  const std::string& fname = options_.file_name;
  const ReadOptions ro = VerifyingReadOptions();
  BlockContents contents;
  Status s = ReadBlock(file_.get(), fname, ro, metaindex_handle, &contents);
  if (!s.ok()) return s;
  Block metaindex(std::move(contents), metaindex_handle.offset());
  std::unique_ptr<Iterator> it(metaindex.NewIterator(BytewiseComparator(), &fname));

  data_end_ = metaindex_handle.offset();
  const uint64_t meta_limit = metaindex_handle.offset();
  bool has_props = false, has_filter = false;
  BlockHandle props_handle, filter_handle;
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    Slice v = it->value();
    BlockHandle h;
    if (!h.DecodeFrom(&v)) {
      return TableCorruption(fname, metaindex_handle.offset(), "malformed metaindex entry");
    }
    if (it->key() == Slice(kPropertiesBlockName)) {
      props_handle = h;
      has_props = true;
    } else if (it->key() == Slice(kFilterBlockName) ||
               it->key() == Slice(kBlockedFilterBlockName)) {
      filter_handle = h;
      has_filter = true;
    }  // other names: meta blocks of a newer lode, ignored
  }
  if (!it->status().ok()) return it->status();
  if (!has_props) {
    return TableCorruption(fname, metaindex_handle.offset(), "properties block missing");
  }

  s = CheckHandle(props_handle, meta_limit, "properties");
  if (!s.ok()) return s;
  s = ReadBlock(file_.get(), fname, ro, props_handle, &contents);
  if (!s.ok()) return s;
  s = props_.DecodeFrom(contents.data, fname, props_handle.offset());
  if (!s.ok()) return s;
  data_end_ = std::min(data_end_, props_handle.offset());

  if (has_filter) {
    s = CheckHandle(filter_handle, meta_limit, "filter");
    if (!s.ok()) return s;
    s = ReadBlock(file_.get(), fname, ro, filter_handle, &filter_contents_);
    if (!s.ok()) return s;
    // A blocked filter's probes stay in one cache line only if its blocks
    // are 64-byte aligned in memory: copy it to such an address.
    const Slice f = filter_contents_.data;
    std::unique_ptr<char[]> aligned(new char[f.size() + kBloomBlockBytes]);
    char* start = aligned.get();
    start += (kBloomBlockBytes - reinterpret_cast<uintptr_t>(start) % kBloomBlockBytes) %
             kBloomBlockBytes;
    if (!f.empty()) memcpy(start, f.data(), f.size());
    filter_contents_.owned = std::move(aligned);
    filter_contents_.data = Slice(start, f.size());
    filter_ = std::make_unique<BloomFilterReader>(filter_contents_.data);
    if (!filter_->valid()) {
      return TableCorruption(fname, filter_handle.offset(), "malformed bloom filter");
    }
    data_end_ = std::min(data_end_, filter_handle.offset());
  }
  return Status::OK();
}

Status Table::CheckIndex() const {
  // Every entry: a well-formed internal key above the previous one, and a
  // handle to a block inside the data area that follows the previous block.
  std::unique_ptr<Iterator> it(NewIndexIterator());
  std::string prev_key;
  uint64_t next_offset = 0;
  const uint64_t index_offset = index_block_->offset();
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    ParsedInternalKey parsed;
    if (!ParseInternalKey(it->key(), &parsed)) {
      return TableCorruption(options_.file_name, index_offset, "malformed index key");
    }
    if (!prev_key.empty() && options_.icmp->Compare(prev_key, it->key()) >= 0) {
      return TableCorruption(options_.file_name, index_offset, "index keys out of order");
    }
    prev_key = it->key().ToString();
    Slice v = it->value();
    BlockHandle h;
    if (!h.DecodeFrom(&v) || !v.empty()) {
      return TableCorruption(options_.file_name, index_offset, "malformed index block handle");
    }
    if (h.offset() != next_offset) {
      return TableCorruption(options_.file_name, index_offset,
                             "index block handle out of sequence");
    }
    Status s = CheckHandle(h, data_end_, "data");
    if (!s.ok()) return s;
    next_offset = h.offset() + h.size() + kBlockTrailerSize;
  }
  if (!it->status().ok()) return it->status();
  if (next_offset != data_end_) {
    return TableCorruption(options_.file_name, index_offset,
                           "index does not cover the data blocks");
  }
  return Status::OK();
}

Iterator* Table::NewIndexIterator() const {
  return index_block_->NewIterator(cmp_.get(), &options_.file_name);
}

class Table::DataBlockRef {
 public:
  DataBlockRef() = default;
  ~DataBlockRef() {
    if (handle_ != nullptr) cache_->Release(handle_);
  }
  DataBlockRef(const DataBlockRef&) = delete;
  DataBlockRef& operator=(const DataBlockRef&) = delete;

  const Block* block() const { return block_; }
  void SetCached(std::shared_ptr<Cache> cache, Cache::Handle* h, const Block* block) {
    cache_ = std::move(cache);
    handle_ = h;
    block_ = block;
  }
  void SetOwned(std::unique_ptr<Block> block) {
    owned_ = std::move(block);
    block_ = owned_.get();
  }
  // Hands the reference over to an iterator's cleanup.
  void MoveTo(Iterator* it) {
    if (handle_ != nullptr) {
      // Keep the cache alive with the handle: the iterator may outlive others' refs.
      it->RegisterCleanup([cache = std::move(cache_), h = handle_] { cache->Release(h); });
      handle_ = nullptr;
    } else {
      it->RegisterCleanup([b = owned_.release()] { delete b; });
    }
  }

 private:
  std::shared_ptr<Cache> cache_;
  Cache::Handle* handle_ = nullptr;
  std::unique_ptr<Block> owned_;
  const Block* block_ = nullptr;
};

Status Table::GetDataBlock(const ReadOptions& options, const Slice& index_value,
                           DataBlockRef* ref) const {
  Slice input = index_value;
  BlockHandle handle;
  if (!handle.DecodeFrom(&input)) {
    return TableCorruption(options_.file_name, index_block_->offset(), "malformed index entry");
  }
  Status s = CheckHandle(handle, data_end_, "data");
  if (!s.ok()) return s;

  Cache* cache = options_.block_cache.get();
  // Cache key: this table's id, then the block offset (both fixed64).
  char key_buf[16];
  EncodeFixed64(key_buf, cache_id_);
  EncodeFixed64(key_buf + 8, handle.offset());
  const Slice key(key_buf, sizeof(key_buf));
  if (cache != nullptr) {
    if (Cache::Handle* h = cache->Lookup(key)) {
      ref->SetCached(options_.block_cache, h, static_cast<Block*>(cache->Value(h)));
      return Status::OK();
    }
  }
  BlockContents contents;
  s = ReadBlock(file_.get(), options_.file_name, options, handle, &contents);
  if (!s.ok()) return s;
  auto block = std::make_unique<Block>(std::move(contents), handle.offset());
  if (cache != nullptr && options.fill_cache) {
    const size_t charge = block->size();
    Block* raw = block.release();
    ref->SetCached(options_.block_cache, cache->Insert(key, raw, charge, &DeleteCachedBlock), raw);
  } else {
    ref->SetOwned(std::move(block));
  }
  return Status::OK();
}

Iterator* Table::BlockReader(const ReadOptions& options, const Slice& index_value) const {
  DataBlockRef ref;
  Status s = GetDataBlock(options, index_value, &ref);
  if (!s.ok()) return NewEmptyIterator(s);
  Iterator* it = ref.block()->NewIterator(cmp_.get(), &options_.file_name);
  ref.MoveTo(it);
  return it;
}

Iterator* Table::NewIterator(const ReadOptions& options) const {
  return NewTwoLevelIterator(NewIndexIterator(), [this, options](const Slice& index_value) {
    return BlockReader(options, index_value);
  });
}

Status Table::InternalGet(const ReadOptions& options, const Slice& ikey,
                          FunctionRef<void(const Slice& ikey, const Slice& value)> handle) const {
  if (ikey.size() < 8) return Status::InvalidArgument("InternalGet: malformed internal key");
  if (filter_ != nullptr && !filter_->KeyMayMatch(ExtractUserKey(ikey))) return Status::OK();
  if (index_block_->malformed()) return index_block_->MalformedStatus(&options_.file_name);
  // Both iterators live on the stack: a lookup allocates nothing for them.
  Block::Iter index(index_block_.get(), cmp_.get(), &options_.file_name);
  index.Seek(ikey);
  // Usually one block; the next one only when ikey falls between a block's
  // last key and its (shortened) index separator.
  while (index.Valid()) {
    DataBlockRef ref;
    Status s = GetDataBlock(options, index.value(), &ref);
    if (!s.ok()) return s;
    if (ref.block()->malformed()) return ref.block()->MalformedStatus(&options_.file_name);
    Block::Iter block(ref.block(), cmp_.get(), &options_.file_name);
    block.Seek(ikey);
    if (block.Valid()) {
      handle(block.key(), block.value());
      return Status::OK();
    }
    if (!block.status().ok()) return block.status();
    index.Next();
  }
  return index.status();
}

uint64_t Table::ApproximateOffsetOf(const Slice& ikey) const {
  std::unique_ptr<Iterator> index(NewIndexIterator());
  index->Seek(ikey);
  if (index->Valid()) {
    Slice v = index->value();
    BlockHandle h;
    if (h.DecodeFrom(&v) && h.offset() < data_end_) return h.offset();
  }
  return data_end_;
}

}  // namespace lode
