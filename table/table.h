// Table: a reader of one SSTable file (format in table/format.h and
// doc/table_format.md).
//
// Open reads and verifies the footer, the index, the metaindex, the
// properties and the filter; data blocks are read on demand, through the
// shared block cache when there is one. A Table is immutable once open and
// thread-safe: any number of threads may call its const methods. Iterators
// and lookups must finish before the Table is destroyed.
#ifndef LODE_TABLE_TABLE_H_
#define LODE_TABLE_TABLE_H_

#include <cstdint>
#include <memory>
#include <string>

#include "lib/dbformat.h"
#include "lib/util/cache.h"
#include "lode/env.h"
#include "lode/iterator.h"
#include "lode/options.h"
#include "lode/status.h"
#include "table/format.h"
#include "table/function_ref.h"
#include "table/table_properties.h"

namespace lode {

class Block;
class BloomFilterReader;

struct TableReaderOptions {
  const InternalKeyComparator* icmp = nullptr;  // required; must outlive the Table
  std::shared_ptr<Cache> block_cache;           // may be null: no caching
  std::string file_name;                        // for error messages, e.g. "/db/000012.sst"
  bool paranoid_checks = false;                 // verify the index/filter/meta blocks fully at open
};

class Table {
 public:
  // Opens the table in file (file_size bytes long). On success *table holds
  // it; on failure *table is unchanged and the status (Corruption for a bad
  // file, naming options.file_name and the offset) says why.
  static Status Open(const TableReaderOptions& options, std::unique_ptr<RandomAccessFile> file,
                     uint64_t file_size, std::unique_ptr<Table>* table);

  Table(const Table&) = delete;
  Table& operator=(const Table&) = delete;
  ~Table();

  // Iterator over internal keys -> values (caller deletes). Honours
  // verify_checksums and fill_cache. A damaged block ends the walk with
  // status Corruption.
  Iterator* NewIterator(const ReadOptions& options) const;

  // Looks up the first entry with internal key >= ikey if the bloom filter
  // allows the user key; calls handle(found_internal_key, value) for it (at
  // most once; the slices live only during the call). OK if absent.
  // REQUIRES: ikey is an internal key (>= 8 bytes).
  Status InternalGet(const ReadOptions& options, const Slice& ikey,
                     FunctionRef<void(const Slice& ikey, const Slice& value)> handle) const;

  const TableProperties& properties() const { return props_; }

  // The file offset where the data for ikey begins (or would begin): the
  // offset of its data block, or the end of the data blocks if ikey is past
  // every key.
  uint64_t ApproximateOffsetOf(const Slice& ikey) const;

  uint64_t file_size() const { return file_size_; }

 private:
  class SafeComparator;

  Table(const TableReaderOptions& options, std::unique_ptr<RandomAccessFile> file,
        uint64_t file_size);

  Status ReadMetaBlocks(const BlockHandle& metaindex_handle);
  Status CheckIndex() const;
  // Corruption unless handle lies inside [0, limit).
  Status CheckHandle(const BlockHandle& handle, uint64_t limit, const char* what) const;
  // A data block in use: pinned in the block cache, or owned when it was
  // read without caching. Releases its pin when destroyed.
  class DataBlockRef;
  // The data block an index entry names, from the cache or the file.
  Status GetDataBlock(const ReadOptions& options, const Slice& index_value,
                      DataBlockRef* ref) const;
  // Iterator over the data block an index entry names.
  Iterator* BlockReader(const ReadOptions& options, const Slice& index_value) const;
  Iterator* NewIndexIterator() const;

  const TableReaderOptions options_;
  std::unique_ptr<SafeComparator> cmp_;
  const std::unique_ptr<RandomAccessFile> file_;
  const uint64_t file_size_;
  uint64_t cache_id_ = 0;
  uint64_t data_end_ = 0;  // first byte after the data blocks
  std::unique_ptr<Block> index_block_;
  BlockContents filter_contents_;
  std::unique_ptr<BloomFilterReader> filter_;
  TableProperties props_;
};

}  // namespace lode

#endif  // LODE_TABLE_TABLE_H_
